package app_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/app/blobs"
	"clerkskill/app/db/dbtest"
)

// TestServeLegacyAttachment: an attachment an earlier version wrote under
// <data>/attachments, and that is not in the database, still downloads through the wired
// server (whole and by range), and after the move into the database as well.
func TestServeLegacyAttachment(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			env := dataDirEnv(t, d, data)
			fx := newFixture(t, env)
			ctx := context.Background()
			a, err := env.Srv.Courses.FindAttachment(ctx, fx.attachmentID("chengguan"))
			if err != nil {
				t.Fatal(err)
			}
			old := append([]byte("%PDF-1.4\n"), noise(1<<20+50, 6)...)
			inDB := blobs.New(env.Srv.DB, blobs.Attachments, "", nil)
			if err := inDB.Delete(ctx, a.StorageKey); err != nil {
				t.Fatal(err)
			}
			if _, _, err := inDB.Open(ctx, a.StorageKey); err == nil {
				t.Fatal("the attachment is still in the database")
			}
			legacy := &cli{t: t, env: map[string]string{"CLERKSKILL_DATA": data}}
			legacyFile(t, legacy, "attachments", a.StorageKey, old)
			path := "/attachments/" + strconv.FormatInt(a.ID, 10)
			checkDownload(t, env, path, old)
			m, err := blobs.New(env.Srv.DB, blobs.Attachments, data, nil).Import(ctx, false, nil)
			if err != nil || m.Stored != 1 || m.Removed != 1 {
				t.Fatalf("import: %+v %v", m, err)
			}
			if _, err := os.Stat(filepath.Join(data, "attachments", a.StorageKey)); err == nil {
				t.Fatal("the file is still in the data dir")
			}
			checkDownload(t, env, path, old)
		})
	}
}

func checkDownload(t *testing.T, env *apptest.Env, path string, want []byte) {
	t.Helper()
	tok := env.Login("admin")
	r := env.Do(apptest.Request{Method: "GET", Path: path, Cookie: tok})
	if r.Status != http.StatusOK || r.Body != string(want) {
		t.Errorf("GET %s: %d, %d bytes, want %d", path, r.Status, len(r.Body), len(want))
	}
	r = env.Do(apptest.Request{Method: "GET", Path: path, Cookie: tok, Header: map[string]string{"Range": "bytes=1048570-1048589"}})
	if r.Status != http.StatusPartialContent || r.Body != string(want[1048570:1048590]) {
		t.Errorf("GET %s with a range: %d %.80q", path, r.Status, r.Body)
	}
}
