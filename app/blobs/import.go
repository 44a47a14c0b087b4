package blobs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// Moved counts what Import did with the files it found in the directory.
type Moved struct {
	Found   int // files of the namespace's shape in the directory
	Stored  int // copied into the database now
	Present int // already in the database with the same bytes (an earlier run)
	Removed int // directory copies removed once the database held the same bytes
}

// Import moves every file of the namespace's shape from the directory into the database:
// each is stored, read back and compared, and only then removed from the directory
// (kept with keep). Running it again does nothing new; a name already stored with other
// bytes is an error and both copies are left as they are. progress, when not nil, is
// told after each file.
func (s *Store) Import(ctx context.Context, keep bool, progress func(done, total int)) (Moved, error) {
	var m Moved
	names, err := s.dirNames()
	if err != nil {
		return m, err
	}
	m.Found = len(names)
	for i, name := range names {
		stored, err := s.importOne(ctx, name)
		if err != nil {
			return m, err
		}
		if stored {
			m.Stored++
		} else {
			m.Present++
		}
		if !keep {
			if err := s.removeDir(name); err != nil {
				return m, err
			}
			m.Removed++
		}
		if progress != nil {
			progress(i+1, len(names))
		}
	}
	return m, nil
}

// Pending counts the directory's files the database does not hold yet: what a database
// backup would miss.
func (s *Store) Pending(ctx context.Context) (int, error) {
	names, err := s.dirNames()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, name := range names {
		_, err := s.size(ctx, name)
		if db.IsNoRows(err) {
			n++
		} else if err != nil {
			return n, err
		}
	}
	return n, nil
}

// dirNames lists the regular files of the namespace's shape in the directory, sorted;
// anything else there (a half-written upload, a stray file) is left alone.
func (s *Store) dirNames() ([]string, error) {
	if s.dir == "" {
		return nil, nil
	}
	entries, err := os.ReadDir(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && s.ns.Names.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// importOne stores one directory file unless the database has it, then checks that the
// database copy holds the same bytes. It reports whether it stored the file.
func (s *Store) importOne(ctx context.Context, name string) (bool, error) {
	root, err := os.OpenRoot(s.dir)
	if err != nil {
		return false, err
	}
	data, err := root.ReadFile(name)
	root.Close()
	if err != nil {
		return false, err
	}
	stored := true
	if err := s.Put(ctx, name, data); web.ErrorCode(err) == web.ECONFLICT {
		stored = false
	} else if err != nil {
		return false, err
	}
	same, err := s.holds(ctx, name, data)
	if err != nil {
		return stored, err
	}
	if !same {
		return stored, fmt.Errorf("%s/%s: the database holds other bytes under this name; both copies left as they are", s.ns.Name, name)
	}
	return stored, nil
}

// holds reports whether the database copy of name is exactly data.
func (s *Store) holds(ctx context.Context, name string, data []byte) (bool, error) {
	size, err := s.size(ctx, name)
	if err != nil {
		return false, err
	}
	if size != int64(len(data)) {
		return false, nil
	}
	r := &reader{ctx: ctx, db: s.db, ns: s.ns.Name, name: name, size: size, seq: -1}
	got, err := io.ReadAll(r)
	if err != nil {
		return false, err
	}
	return bytes.Equal(got, data), nil
}
