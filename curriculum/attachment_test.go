package curriculum_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/web"
	"clerkskill/curriculum"
)

var (
	pdf  = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
	png  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	exe  = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00 this program cannot be run in DOS mode")
	html = []byte("<html><script>alert(1)</script></html>")
)

// officeZip builds a minimal Office Open XML package of the given kind ("word", "xl").
func officeZip(t *testing.T, dir string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", dir + "/document.xml"} {
		w, _ := zw.Create(name)
		_, _ = w.Write([]byte("<x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func plainZip(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("evil.sh")
	_, _ = w.Write([]byte("rm -rf /"))
	_ = zw.Close()
	return buf.Bytes()
}

// TestAttachmentsByContent: the type comes from the bytes, never the name; size is bounded;
// names are cleaned; bytes are shared across revisions and go with the last reference.
func TestAttachmentsByContent(t *testing.T) {
	forEachDB(t, func(t *testing.T, env *apptest.Env, _ *ledger) {
		ctx := context.Background()
		s := env.Srv.Courses
		c := mustCourse(t, env, "ATT-1", "QS", false)
		lid := c.Lessons[0].ID
		good := []struct {
			name string
			data []byte
			mime string
			want string
		}{
			{"办事指南.pdf", pdf, "application/pdf", "办事指南.pdf"},
			{"../../etc/passwd", png, "image/png", "passwd.png"},
			{"表格.xlsx", officeZip(t, "xl"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "表格.xlsx"},
			{"讲稿", officeZip(t, "word"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "讲稿.docx"},
		}
		for _, g := range good {
			a, err := s.AddAttachment(ctx, lid, g.name, g.data)
			if err != nil || a.MIME != g.mime || a.Name != g.want {
				t.Errorf("%s: %+v %v", g.name, a, err)
			}
		}
		for name, data := range map[string][]byte{"setup.pdf": exe, "photo.png": html, "报表.xlsx": plainZip(t), "空.pdf": nil} {
			if _, err := s.AddAttachment(ctx, lid, name, data); web.ErrorCode(err) != web.EINVALID {
				t.Errorf("disguised %s: %v, want invalid", name, err)
			}
		}
		s.MaxFile = 1 << 10
		big := append(append([]byte{}, pdf...), bytes.Repeat([]byte(" "), 1<<10)...)
		if _, err := s.AddAttachment(ctx, lid, "big.pdf", big); web.ErrorCode(err) != web.ETOOLARGE {
			t.Errorf("oversize: %v", err)
		}
		s.MaxFile = curriculum.DefaultMaxFileSize
		l, _ := s.FindLesson(ctx, lid)
		a := l.Attachments[0]
		rc, size, err := s.OpenAttachment(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(got, pdf) || size != int64(len(pdf)) {
			t.Errorf("stored bytes differ, or size %d", size)
		}
		if _, err := s.Publish(ctx, 0, c.ID); err != nil {
			t.Fatal(err)
		}
		// Removing from the new draft keeps the bytes: the published revision still has them.
		if err := s.RemoveAttachment(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if rc, _, err := s.OpenAttachment(ctx, a); err != nil {
			t.Errorf("bytes gone while the published revision refers to them: %v", err)
		} else {
			rc.Close()
		}
	})
}

func TestDirStorageKeys(t *testing.T) {
	dir := t.TempDir()
	st, err := curriculum.NewDirStorage(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, key := range []string{"../escape", "/etc/passwd", "abc", strings.Repeat("g", 32), "..%2f..%2fx"} {
		if err := st.Put(ctx, key, []byte("x")); err == nil {
			t.Errorf("put %q accepted", key)
		}
		if _, _, err := st.Open(ctx, key); err == nil {
			t.Errorf("open %q accepted", key)
		}
	}
	key := strings.Repeat("ab", 16)
	if err := st.Put(ctx, key, []byte("内容")); err != nil {
		t.Fatal(err)
	}
	rc, size, err := st.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "内容" || size != int64(len("内容")) {
		t.Errorf("read back %q, size %d", b, size)
	}
	if err := st.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Open(ctx, key); web.ErrorCode(err) != web.ENOTFOUND {
		t.Errorf("after delete: %v", err)
	}
}
