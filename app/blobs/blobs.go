// Package blobs keeps uploaded files (course attachments, training evidence) in the
// database, in pieces of 1 MiB, so that every instance behind a load balancer serves the
// same bytes and a database backup carries them. A Store is one namespace of names; it
// satisfies curriculum.Storage and training.Files. Files that older versions wrote under
// the data dir are read through (a name missing from the database is looked up in the
// namespace's directory) until `clerkskill files import` moves them in (Import).
package blobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// chunkSize is one row of file_blob_chunks, as for export workbooks (exports/sheets).
const chunkSize = 1 << 20

// Namespace is one user's share of the table: its names never meet another's.
type Namespace struct {
	Name    string         // the namespace column, and the directory under the data dir
	Names   *regexp.Regexp // the only names accepted: the shape the owning store makes up
	Missing string         // the message of the not-found error
}

// The namespaces the server uses. Their directories are where earlier versions kept the
// files, and the names are the shapes curriculum and training make up.
var (
	Attachments = Namespace{Name: "attachments", Names: regexp.MustCompile(`^[0-9a-f]{32}$`), Missing: "附件文件不存在"}
	Evidence    = Namespace{Name: "evidence", Names: regexp.MustCompile(`^[0-9a-f]{32}\.(pdf|png|jpg)$`), Missing: "证明材料不存在"}
)

// fileBlob is a stored file; its bytes are its chunks.
type fileBlob struct {
	bun.BaseModel `bun:"table:file_blobs,alias:fb"`

	Namespace string    `bun:"namespace,pk"`
	Name      string    `bun:"name,pk"`
	Size      int64     `bun:"size"`
	CreatedAt time.Time `bun:"created_at"`
}

// blobChunk is one piece of a file, seq from 0; every piece but the last is chunkSize long.
type blobChunk struct {
	bun.BaseModel `bun:"table:file_blob_chunks,alias:fc"`

	Namespace string `bun:"namespace,pk"`
	Name      string `bun:"name,pk"`
	Seq       int    `bun:"seq,pk"`
	Data      []byte `bun:"data"`
}

// Store keeps one namespace's files in the database, reading through to dir.
type Store struct {
	db  bun.IDB
	ns  Namespace
	dir string // "" when there is no directory to fall back to
	now func() time.Time
}

// New returns the namespace's store over d. dataDir is the data dir whose
// <namespace> directory earlier versions wrote to ("" for none); it is only read.
func New(d bun.IDB, ns Namespace, dataDir string, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	s := &Store{db: d, ns: ns, now: now}
	if dataDir != "" {
		s.dir = filepath.Join(dataDir, ns.Name)
	}
	return s
}

// Dir is the directory read through to, "" for none.
func (s *Store) Dir() string { return s.dir }

func (s *Store) check(name string) error {
	if !s.ns.Names.MatchString(name) {
		return web.Errorf(web.EINVALID, "文件名无效")
	}
	return nil
}

// Put stores data under name, the file row and every piece in one transaction. A name
// already stored is a conflict: a stored file never changes.
func (s *Store) Put(ctx context.Context, name string, data []byte) error {
	if err := s.check(name); err != nil {
		return err
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		f := &fileBlob{Namespace: s.ns.Name, Name: name, Size: int64(len(data)), CreatedAt: s.now()}
		if _, err := tx.NewInsert().Model(f).Exec(ctx); err != nil {
			return err
		}
		for seq := 0; seq*chunkSize < len(data); seq++ {
			piece := data[seq*chunkSize : min((seq+1)*chunkSize, len(data))]
			c := &blobChunk{Namespace: s.ns.Name, Name: name, Seq: seq, Data: piece}
			if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
				return fmt.Errorf("store piece %d: %w", seq, err)
			}
		}
		return nil
	})
	if db.IsUniqueViolation(err) {
		return web.Errorf(web.ECONFLICT, "文件已存在")
	}
	if err != nil {
		return fmt.Errorf("store %s/%s: %w", s.ns.Name, name, err)
	}
	return nil
}

// Open returns the file under name and its size. The reader holds one piece at a time,
// read when needed, and may be read after ctx ends (a download streams on after its
// handler returned). A name not in the database is looked for in the directory.
func (s *Store) Open(ctx context.Context, name string) (io.ReadSeekCloser, int64, error) {
	if err := s.check(name); err != nil {
		return nil, 0, err
	}
	size, err := s.size(ctx, name)
	if db.IsNoRows(err) {
		return s.openDir(name)
	}
	if err != nil {
		return nil, 0, err
	}
	r := &reader{ctx: context.WithoutCancel(ctx), db: s.db, ns: s.ns.Name, name: name, size: size, seq: -1}
	return r, size, nil
}

func (s *Store) size(ctx context.Context, name string) (int64, error) {
	var size int64
	err := s.db.NewSelect().Model((*fileBlob)(nil)).Column("size").
		Where("namespace = ? AND name = ?", s.ns.Name, name).Scan(ctx, &size)
	return size, err
}

// openDir opens a file an earlier version wrote, inside the directory only.
func (s *Store) openDir(name string) (io.ReadSeekCloser, int64, error) {
	if s.dir == "" {
		return nil, 0, web.Errorf(web.ENOTFOUND, "%s", s.ns.Missing)
	}
	root, err := os.OpenRoot(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, web.Errorf(web.ENOTFOUND, "%s", s.ns.Missing)
	}
	if err != nil {
		return nil, 0, err
	}
	defer root.Close()
	f, err := root.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, web.Errorf(web.ENOTFOUND, "%s", s.ns.Missing)
	}
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, 0, web.Errorf(web.ENOTFOUND, "%s", s.ns.Missing)
	}
	return f, st.Size(), nil
}

// Delete removes the file under name, from the database and from the directory; a
// missing file is not an error.
func (s *Store) Delete(ctx context.Context, name string) error {
	if err := s.check(name); err != nil {
		return err
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*blobChunk)(nil)).Where("namespace = ? AND name = ?", s.ns.Name, name).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewDelete().Model((*fileBlob)(nil)).Where("namespace = ? AND name = ?", s.ns.Name, name).Exec(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("delete %s/%s: %w", s.ns.Name, name, err)
	}
	return s.removeDir(name)
}

// removeDir removes an old copy in the directory, so a deleted file cannot come back
// through the read-through.
func (s *Store) removeDir(name string) error {
	if s.dir == "" {
		return nil
	}
	root, err := os.OpenRoot(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer root.Close()
	if err := root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
