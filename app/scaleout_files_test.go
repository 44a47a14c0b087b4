package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"testing"

	"clerkskill/curriculum"
	"clerkskill/rbac"
)

// attachmentsAreShared: an attachment of several 1 MiB pieces uploaded through A is served
// by B byte for byte, whole and as a byte range across a piece boundary (video seeking).
// With files on each instance's own disk (or in its memory) B answers 404.
func attachmentsAreShared(t *testing.T, a, b *scaleInstance) {
	lesson := scaleLesson(t, a)
	admin := a.login(t, "admin")
	data := append([]byte("%PDF-1.4\n"), noise(2<<20+4321, 5)...)
	id := uploadAttachment(t, a, admin, lesson, data)
	path := fmt.Sprintf("/attachments/%d", id)
	for name, in := range map[string]*scaleInstance{"A": a, "B": b} {
		st, _, body := in.get(t, path, admin, "")
		if st != http.StatusOK || !bytes.Equal(body, data) {
			t.Fatalf("download from %s: %d, %d bytes (want %d, identical)", name, st, len(body), len(data))
		}
	}
	st, h, body := b.get(t, path, admin, "bytes=1048570-1048589")
	if st != http.StatusPartialContent || !bytes.Equal(body, data[1048570:1048590]) {
		t.Errorf("range from B: %d %q, %d bytes", st, h.Get("Content-Range"), len(body))
	}
	if want := fmt.Sprintf("bytes 1048570-1048589/%d", len(data)); h.Get("Content-Range") != want {
		t.Errorf("Content-Range %q, want %q", h.Get("Content-Range"), want)
	}
}

// scaleLesson makes a course with one lesson through A's store, owned by the top unit.
func scaleLesson(t *testing.T, in *scaleInstance) int64 {
	t.Helper()
	ctx := context.Background()
	units, err := in.srv.RBAC.FindOrgs(ctx, rbac.OrgFilter{Scope: rbac.Scope{"/"}})
	if err != nil || len(units) == 0 {
		t.Fatalf("org units: %d %v", len(units), err)
	}
	s := in.srv.Courses
	c, err := s.CreateCourse(ctx, 0, curriculum.Meta{Code: "SCALE-1", Title: "多实例附件", Kind: curriculum.KindTheory,
		Levels: []int{5}, ClassHours: 1, OwnerOrgID: units[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.AddModule(ctx, c.ID, "模块")
	if err != nil {
		t.Fatal(err)
	}
	l, err := s.AddLesson(ctx, m.ID, curriculum.LessonInput{Title: "课节", Body: "正文", Required: true})
	if err != nil {
		t.Fatal(err)
	}
	return l.ID
}

// uploadAttachment posts data as a lesson attachment through the API of in.
func uploadAttachment(t *testing.T, in *scaleInstance, token string, lesson int64, data []byte) int64 {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "讲义.pdf")
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, err := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/courses/lessons/%d/attachments", in.base, lesson), &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var out struct{ ID int64 }
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(body, &out) != nil || out.ID == 0 {
		t.Fatalf("upload through %s: %d %.300s", in.base, resp.StatusCode, body)
	}
	return out.ID
}

// get fetches path with the session cookie, and a Range header when rng is set.
func (in *scaleInstance) get(t *testing.T, path, token, rng string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", in.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: rbac.SessionCookie, Value: token})
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp.StatusCode, resp.Header, body
}
