package app_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"clerkskill/app/blobs"
	"clerkskill/app/db"
	"clerkskill/app/db/dbtest"
)

// storedFiles are file contents by namespace and name.
type storedFiles map[string]map[string][]byte

func noise(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 11))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// legacyFile writes a file as versions before app/blobs did, under <data>/<namespace>.
func legacyFile(t *testing.T, c *cli, ns, name string, data []byte) {
	t.Helper()
	dir := filepath.Join(c.env["CLERKSKILL_DATA"], ns)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o640); err != nil {
		t.Fatal(err)
	}
}

// seedFiles stores an attachment of several pieces in the database and leaves a piece of
// evidence only under the data dir, as an earlier version would have.
func seedFiles(t *testing.T, c *cli) storedFiles {
	t.Helper()
	files := storedFiles{
		"attachments": {"0123456789abcdef0123456789abcdef": noise(2<<20+99, 1)},
		"evidence":    {"fedcba9876543210fedcba9876543210.pdf": append([]byte("%PDF-1.4\n"), noise(5000, 2)...)},
	}
	d := openCLIStore(t, c)
	defer d.Close()
	for name, b := range files["attachments"] {
		if err := blobs.New(d, blobs.Attachments, "", nil).Put(context.Background(), name, b); err != nil {
			t.Fatal(err)
		}
	}
	for name, b := range files["evidence"] {
		legacyFile(t, c, "evidence", name, b)
	}
	return files
}

func openCLIStore(t *testing.T, c *cli) *bun.DB {
	t.Helper()
	d, err := db.Open(context.Background(), c.env["DATABASE_URL"], c.env["CLERKSKILL_DATA"])
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// checkFiles reads every file from the database of c (never from a directory) and
// compares it byte for byte.
func checkFiles(t *testing.T, c *cli, files storedFiles) {
	t.Helper()
	d := openCLIStore(t, c)
	defer d.Close()
	for _, ns := range []blobs.Namespace{blobs.Attachments, blobs.Evidence} {
		s := blobs.New(d, ns, "", nil)
		for name, want := range files[ns.Name] {
			r, _, err := s.Open(context.Background(), name)
			if err != nil {
				t.Errorf("%s/%s: %v", ns.Name, name, err)
				continue
			}
			got, err := io.ReadAll(r)
			r.Close()
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s/%s: %d bytes (%v), want %d", ns.Name, name, len(got), err, len(want))
			}
		}
	}
}

// TestFilesImport: `clerkskill files import` moves files an earlier version left under the
// data dir into the database, leaves anything not of a stored file's shape, and may run
// again; -keep leaves the directory copies.
func TestFilesImport(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			c := backupCLI(t, d)
			c.must("schema at version", "migrate")
			files := storedFiles{
				"attachments": {"00112233445566778899aabbccddeeff": noise(3<<20, 3)},
				"evidence":    {"ffeeddccbbaa99887766554433221100.png": noise(100, 4)},
			}
			for ns, m := range files {
				for name, b := range m {
					legacyFile(t, c, ns, name, b)
				}
			}
			legacyFile(t, c, "attachments", ".upload-12345", []byte("half an upload"))
			c.must("attachments: 1 file(s)", "files", "import", "-keep")
			checkFiles(t, c, files)
			out := c.must("evidence: 1 file(s)", "files", "import", "-keep")
			if strings.Count(out, "0 stored, 1 already in the database, 0 removed") != 2 {
				t.Errorf("second run with -keep:\n%s", out)
			}
			out = c.must("removed", "files", "import")
			if strings.Count(out, "0 stored, 1 already in the database, 1 removed") != 2 {
				t.Errorf("run without -keep:\n%s", out)
			}
			if out := c.must("removed", "files", "import"); strings.Count(out, ": 0 file(s)") != 2 {
				t.Errorf("run after the move:\n%s", out)
			}
			checkFiles(t, c, files)
			left, _ := filepath.Glob(filepath.Join(c.env["CLERKSKILL_DATA"], "*", "*"))
			if len(left) != 1 || filepath.Base(left[0]) != ".upload-12345" {
				t.Errorf("left in the data dir: %v", left)
			}
			c.fails("unknown subcommand", "files", "export")
		})
	}
}
