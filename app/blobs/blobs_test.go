package blobs_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/blobs"
	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/curriculum"
	"clerkskill/curriculum/training"
)

// The store is what curriculum and training take.
var (
	_ curriculum.Storage = (*blobs.Store)(nil)
	_ training.Files     = (*blobs.Store)(nil)
)

const mib = 1 << 20

func key(i int) string {
	return strings.Repeat("0", 30) + string("0123456789abcdef"[i/16]) + string("0123456789abcdef"[i%16])
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func clock() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }

func chunks(t *testing.T, d *bun.DB, ns, name string) int {
	t.Helper()
	n, err := d.NewSelect().TableExpr("file_blob_chunks").Where("namespace = ? AND name = ?", ns, name).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func readAll(t *testing.T, s *blobs.Store, name string) []byte {
	t.Helper()
	r, size, err := s.Open(context.Background(), name)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer r.Close()
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	if int64(len(got)) != size {
		t.Fatalf("%s: read %d bytes, size said %d", name, len(got), size)
	}
	return got
}

func TestRoundTrip(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		s := blobs.New(d, blobs.Attachments, "", clock)
		cases := []struct {
			size, pieces int
		}{{0, 0}, {1, 1}, {1000, 1}, {mib - 1, 1}, {mib, 1}, {mib + 1, 2}, {3*mib + 12345, 4}}
		for i, c := range cases {
			data := randomBytes(c.size, uint64(i))
			if err := s.Put(context.Background(), key(i), data); err != nil {
				t.Fatalf("put %d bytes: %v", c.size, err)
			}
			if got := readAll(t, s, key(i)); !bytes.Equal(got, data) {
				t.Errorf("%d bytes: read back differs", c.size)
			}
			if n := chunks(t, d, "attachments", key(i)); n != c.pieces {
				t.Errorf("%d bytes: %d pieces, want %d", c.size, n, c.pieces)
			}
		}
		if err := s.Put(context.Background(), key(1), []byte("other")); web.ErrorCode(err) != web.ECONFLICT {
			t.Errorf("a second put under a stored name: %v, want a conflict", err)
		}
		if got := readAll(t, s, key(1)); !bytes.Equal(got, randomBytes(1, 1)) {
			t.Errorf("a refused put changed the file")
		}
	})
}

// TestSeek: the reader passes iotest's reader and seeker checks over a file of several
// pieces, and ranges across a piece boundary read what a bytes.Reader would.
func TestSeek(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		s := blobs.New(d, blobs.Evidence, "", clock)
		data := randomBytes(2*mib+777, 42)
		name := key(1) + ".pdf"
		if err := s.Put(context.Background(), name, data); err != nil {
			t.Fatal(err)
		}
		r, _, err := s.Open(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		if err := iotest.TestReader(r, data); err != nil {
			t.Error(err)
		}
		for _, rg := range [][2]int64{{0, 10}, {mib - 5, 10}, {mib, 1}, {2*mib + 700, 77}, {2*mib + 776, 1}, {5, 2 * mib}} {
			if _, err := r.Seek(rg[0], io.SeekStart); err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(io.LimitReader(r, rg[1]))
			if err != nil || !bytes.Equal(got, data[rg[0]:rg[0]+rg[1]]) {
				t.Errorf("range %v: %d bytes, %v", rg, len(got), err)
			}
		}
		if pos, err := r.Seek(-3, io.SeekEnd); err != nil || pos != int64(len(data))-3 {
			t.Errorf("seek from end: %d %v", pos, err)
		}
		if _, err := r.Seek(-1, io.SeekStart); err == nil {
			t.Error("a negative position was accepted")
		}
		r.Close()
		if _, err := r.Read(make([]byte, 1)); err == nil {
			t.Error("read after close succeeded")
		}
	})
}

// TestReadAfterContextEnds: a download streams after its handler (and its context) ended.
func TestReadAfterContextEnds(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		s := blobs.New(d, blobs.Attachments, "", clock)
		data := randomBytes(mib+10, 3)
		if err := s.Put(context.Background(), key(1), data); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		r, _, err := s.Open(ctx, key(1))
		if err != nil {
			t.Fatal(err)
		}
		cancel()
		if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, data) {
			t.Errorf("read after cancel: %d bytes, %v", len(got), err)
		}
	})
}

func TestDeleteNamesAndNamespaces(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		att := blobs.New(d, blobs.Attachments, "", clock)
		other := blobs.New(d, blobs.Namespace{Name: "other", Names: blobs.Attachments.Names, Missing: "无"}, "", clock)
		if err := att.Put(ctx, key(1), randomBytes(mib+1, 1)); err != nil {
			t.Fatal(err)
		}
		if err := other.Put(ctx, key(1), []byte("other namespace")); err != nil {
			t.Fatalf("the same name in another namespace: %v", err)
		}
		if err := att.Delete(ctx, key(1)); err != nil {
			t.Fatal(err)
		}
		if _, _, err := att.Open(ctx, key(1)); web.ErrorCode(err) != web.ENOTFOUND || web.ErrorMessage(err) != "附件文件不存在" {
			t.Errorf("open after delete: %v", err)
		}
		if n := chunks(t, d, "attachments", key(1)); n != 0 {
			t.Errorf("%d pieces left after delete", n)
		}
		if got := readAll(t, other, key(1)); string(got) != "other namespace" {
			t.Errorf("delete reached the other namespace: %q", got)
		}
		if err := att.Delete(ctx, key(2)); err != nil {
			t.Errorf("delete of a missing file: %v", err)
		}
		for _, bad := range []string{"../" + key(1), key(1) + ".pdf", strings.ToUpper(key(0xab)), "", key(1)[:31]} {
			if err := att.Put(ctx, bad, []byte("x")); web.ErrorCode(err) != web.EINVALID {
				t.Errorf("put %q: %v", bad, err)
			}
			if _, _, err := att.Open(ctx, bad); web.ErrorCode(err) != web.EINVALID {
				t.Errorf("open %q: %v", bad, err)
			}
		}
	})
}

// legacyDir writes files as earlier versions did, under <data>/<namespace>.
func legacyDir(t *testing.T, ns string, files map[string][]byte) string {
	t.Helper()
	data := t.TempDir()
	dir := filepath.Join(data, ns)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o640); err != nil {
			t.Fatal(err)
		}
	}
	return data
}

func TestReadThroughToDir(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		old := randomBytes(mib+5, 9)
		data := legacyDir(t, "evidence", map[string][]byte{key(1) + ".png": old})
		s := blobs.New(d, blobs.Evidence, data, clock)
		if got := readAll(t, s, key(1)+".png"); !bytes.Equal(got, old) {
			t.Error("a file in the directory did not read through")
		}
		if _, _, err := s.Open(ctx, key(2)+".png"); web.ErrorCode(err) != web.ENOTFOUND || web.ErrorMessage(err) != "证明材料不存在" {
			t.Errorf("missing everywhere: %v", err)
		}
		if err := s.Put(ctx, key(3)+".pdf", []byte("%PDF-new")); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(data, "evidence", key(3)+".pdf")); err == nil {
			t.Error("a new file was written to the directory")
		}
		if err := s.Delete(ctx, key(1)+".png"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Open(ctx, key(1)+".png"); web.ErrorCode(err) != web.ENOTFOUND {
			t.Errorf("a deleted directory file still reads: %v", err)
		}
		none := blobs.New(d, blobs.Attachments, t.TempDir(), clock) // no attachments/ at all
		if _, _, err := none.Open(ctx, key(1)); web.ErrorCode(err) != web.ENOTFOUND {
			t.Errorf("without a directory: %v", err)
		}
	})
}

func TestImport(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		files := map[string][]byte{key(1): randomBytes(10, 1), key(2): randomBytes(2*mib+1, 2), key(3): randomBytes(mib, 3),
			".upload-123": []byte("half"), "README": []byte("stray")}
		data := legacyDir(t, "attachments", files)
		s := blobs.New(d, blobs.Attachments, data, clock)
		if err := s.Put(ctx, key(3), files[key(3)]); err != nil { // moved by an earlier, interrupted run
			t.Fatal(err)
		}
		if n, err := s.Pending(ctx); err != nil || n != 2 {
			t.Fatalf("pending: %d %v", n, err)
		}
		var calls int
		m, err := s.Import(ctx, false, func(done, total int) { calls++ })
		if err != nil || m != (blobs.Moved{Found: 3, Stored: 2, Present: 1, Removed: 3}) || calls != 3 {
			t.Fatalf("import: %+v %v, %d progress calls", m, err, calls)
		}
		for _, k := range []string{key(1), key(2), key(3)} {
			if got := readAll(t, s, k); !bytes.Equal(got, files[k]) {
				t.Errorf("%s: imported bytes differ", k)
			}
			if _, err := os.Stat(filepath.Join(data, "attachments", k)); err == nil {
				t.Errorf("%s: still in the directory", k)
			}
		}
		for _, k := range []string{".upload-123", "README"} {
			if _, err := os.Stat(filepath.Join(data, "attachments", k)); err != nil {
				t.Errorf("%s was touched: %v", k, err)
			}
		}
		if m, err := s.Import(ctx, false, nil); err != nil || m != (blobs.Moved{}) {
			t.Errorf("second import: %+v %v", m, err)
		}
	})
}

func TestImportKeepsAndRefusesOtherBytes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		data := legacyDir(t, "evidence", map[string][]byte{key(1) + ".pdf": []byte("%PDF-disk"), key(2) + ".jpg": []byte("jpeg")})
		s := blobs.New(d, blobs.Evidence, data, clock)
		for range 2 {
			if m, err := s.Import(ctx, true, nil); err != nil || m.Found != 2 || m.Removed != 0 {
				t.Fatalf("import -keep: %+v %v", m, err)
			}
		}
		if n, err := s.Pending(ctx); err != nil || n != 0 {
			t.Errorf("pending after import: %d %v", n, err)
		}
		other := key(3) + ".pdf"
		if err := s.Put(ctx, other, []byte("%PDF-db")); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(data, "evidence", other), []byte("%PDF-disk, different"), 0o640); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Import(ctx, false, nil); err == nil || !strings.Contains(err.Error(), "other bytes") {
			t.Errorf("import over other bytes: %v", err)
		}
		if _, err := os.Stat(filepath.Join(data, "evidence", other)); err != nil {
			t.Errorf("the differing disk copy was removed: %v", err)
		}
		if got := readAll(t, s, other); string(got) != "%PDF-db" {
			t.Errorf("the database copy changed: %q", got)
		}
	})
}
