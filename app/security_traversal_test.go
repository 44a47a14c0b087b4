package app_test

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"clerkskill/app"
	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
)

// Security: path traversal. Uploaded attachment and evidence names full of ../, absolute
// paths, backslashes, NUL, CR/LF and %2e%2e never reach the file system: stored files
// have server-made names (in the database; nothing is written under the data dir), the
// names shown and sent back in Content-Disposition are plain labels, and ids made of
// dot-dot segments find nothing.

var hostileNames = []string{
	"../../../../evil.pdf", `..\..\..\evil.pdf`, "/etc/cron.d/evil.pdf", `C:\Windows\evil.pdf`,
	"%2e%2e%2f%2e%2e%2fevil.pdf", "....//....//evil.pdf", "evil%00.pdf", "evil\tname.pdf",
	`evil";.pdf`, "<script>alert(1)</script>.pdf", ".pdf", "..",
}

// storedName is the only shape of a stored file's name: random hex (and for evidence a
// known extension).
var storedName = regexp.MustCompile(`^[0-9a-f]{32}(\.(pdf|png|jpg))?$`)

func TestSecurityTraversal(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			root := t.TempDir()
			env := dataDirEnv(t, d, filepath.Join(root, "data"))
			fx := newFixture(t, env)
			ids := uploadHostile(t, env, fx)
			checkDataDir(t, env, root)
			checkDownloads(t, env, ids)
			checkDotDotPaths(t, env)
		})
	}
}

// dataDirEnv is a wired server with a data dir, as in production (apptest has none).
func dataDirEnv(t *testing.T, dialect, dir string) *apptest.Env {
	t.Helper()
	env := apptest.New(t, dialect)
	cfg := app.TestConfig()
	cfg.DataDir = dir
	srv, err := app.NewServer(context.Background(), cfg, env.Srv.DB, slog.New(slog.NewTextHandler(io.Discard, nil)), env.Now.Now)
	if err != nil {
		t.Fatal(err)
	}
	env.Srv = srv
	return env
}

// uploadHostile sends every hostile name as an attachment and as evidence; it returns the
// download paths of what was stored.
func uploadHostile(t *testing.T, env *apptest.Env, fx *fixture) []string {
	t.Helper()
	var downloads []string
	lesson := strconv.FormatInt(fx.lessonID("chengguan"), 10)
	att := uploadRoute{"POST", "/api/v1/courses/lessons/" + lesson + "/attachments", "file", "", nil, false}
	ev := uploadRoute{"POST", "/api/v1/hours", "evidence", "", hoursFields, false}
	for _, name := range hostileNames {
		for _, u := range []uploadRoute{att, ev} {
			r := sendUpload(env, fx, u, name, pdfBytes)
			if r.Status >= 500 || r.Status != http.StatusCreated && r.Status != http.StatusBadRequest {
				t.Errorf("%s named %q: %d %.200s", u.path, name, r.Status, r.Body)
				continue
			}
			if r.Status != http.StatusCreated {
				continue
			}
			var out struct {
				ID           int64  `json:"id"`
				Name         string `json:"name"`
				EvidenceName string `json:"evidence_name"`
			}
			r.JSON(t, &out)
			checkLabel(t, name, out.Name+out.EvidenceName)
			if u.field == "file" {
				downloads = append(downloads, "/attachments/"+strconv.FormatInt(out.ID, 10))
			} else {
				downloads = append(downloads, "/hours/"+strconv.FormatInt(out.ID, 10)+"/evidence")
			}
		}
	}
	if len(downloads) < 4 {
		t.Fatalf("only %d hostile names were stored; nothing to check", len(downloads))
	}
	return downloads
}

func checkLabel(t *testing.T, sent, label string) {
	t.Helper()
	if label == "" || label == "." || label == ".." || strings.ContainsAny(label, "/\\\x00\r\n\t") {
		t.Errorf("name %q was kept as %q: a label must hold no path or control characters", sent, label)
	}
}

// checkDataDir proves uploads write nothing to the file system (their bytes are rows of
// file_blobs, app/blobs), nothing escaped the data dir, and every stored file has a
// server-made name.
func checkDataDir(t *testing.T, env *apptest.Env, root string) {
	t.Helper()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		t.Errorf("unexpected file %s in the data dir", rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	if err := env.Srv.DB.NewSelect().TableExpr("file_blobs").Column("name").Scan(context.Background(), &names); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if !storedName.MatchString(name) {
			t.Errorf("stored file named %q", name)
		}
	}
	if len(names) < 4 {
		t.Fatalf("only %d stored files found in the database", len(names))
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(root), "evil.pdf")); err == nil {
		t.Errorf("a file escaped the data dir")
	}
}

// checkDownloads fetches each stored file: its Content-Disposition names a plain file.
func checkDownloads(t *testing.T, env *apptest.Env, paths []string) {
	t.Helper()
	tok := env.Login("admin")
	for _, p := range paths {
		r := env.Do(apptest.Request{Method: "GET", Path: p, Cookie: tok})
		if r.Status != http.StatusOK || !bytes.Equal([]byte(r.Body), pdfBytes) {
			t.Errorf("GET %s: %d %.100s", p, r.Status, r.Body)
			continue
		}
		cd := r.Header.Get("Content-Disposition")
		_, params, err := mime.ParseMediaType(cd)
		if err != nil {
			t.Errorf("GET %s: Content-Disposition %q does not parse: %v", p, cd, err)
			continue
		}
		checkLabel(t, p, params["filename"])
	}
}

// checkDotDotPaths asks for files by paths made of dot-dot segments, raw and encoded.
func checkDotDotPaths(t *testing.T, env *apptest.Env) {
	t.Helper()
	tok := env.Login("admin")
	for _, p := range []string{
		"/attachments/..%2f..%2f..%2fgo.mod", "/attachments/%2e%2e", "/learn/attachments/..%2F1",
		"/hours/1%2f..%2f..%2fgo.mod/evidence", "/exports/jobs/..%2f..%2fgo.mod/file", "/api/v1/exports/jobs/%2e%2e%2f1/file",
		"/static/..%2f..%2fgo.mod", "/static/%2e%2e/%2e%2e/go.mod", "/static/../../go.mod", "/static/..%5c..%5cgo.mod",
		"/attachments/1%00", "/attachments/-1", "/attachments/99999999999999999999",
	} {
		r := env.Do(apptest.Request{Method: "GET", Path: p, Cookie: tok})
		if r.Status < 400 || r.Status >= 500 || strings.Contains(r.Body, "module clerkskill") || strings.Contains(r.Body, "%PDF") {
			t.Errorf("GET %s: %d %.100s, want a 4xx without the file", p, r.Status, r.Body)
		}
	}
}
