package curriculum

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sync"

	"clerkskill/app/web"
)

// Storage keeps attachment bytes under keys the store makes up. The server keeps them in
// the database (app/blobs), so every instance serves them; DirStorage and MemStorage are
// for tests.
type Storage interface {
	Put(ctx context.Context, key string, data []byte) error
	Open(ctx context.Context, key string) (io.ReadSeekCloser, int64, error) // the file and its size
	Delete(ctx context.Context, key string) error
}

// keyRe is the only shape a storage key has: 32 hex digits, made by newKey. Nothing a
// user sends becomes part of a path.
var keyRe = regexp.MustCompile(`^[0-9a-f]{32}$`)

func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func checkKey(key string) error {
	if !keyRe.MatchString(key) {
		return fmt.Errorf("storage key %q: not a generated key", key)
	}
	return nil
}

// DirStorage keeps files in one directory, named by key.
type DirStorage struct{ dir string }

// NewDirStorage returns storage under dir, creating it.
func NewDirStorage(dir string) (*DirStorage, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("attachment dir: %w", err)
	}
	return &DirStorage{dir: dir}, nil
}

// Put writes data under key, through a temporary file so a reader never sees half a file.
func (d *DirStorage) Put(_ context.Context, key string, data []byte) error {
	if err := checkKey(key); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(d.dir, ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(d.dir, key))
}

// Open opens the file under key for reading, with its size.
func (d *DirStorage) Open(_ context.Context, key string) (io.ReadSeekCloser, int64, error) {
	if err := checkKey(key); err != nil {
		return nil, 0, err
	}
	f, err := os.Open(filepath.Join(d.dir, key))
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, web.Errorf(web.ENOTFOUND, "附件文件不存在")
	}
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

// Delete removes the file under key; a missing file is not an error.
func (d *DirStorage) Delete(_ context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(d.dir, key)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// MemStorage keeps files in memory, for tests.
type MemStorage struct {
	mu    sync.Mutex
	files map[string][]byte
}

// NewMemStorage returns empty in-memory storage.
func NewMemStorage() *MemStorage { return &MemStorage{files: map[string][]byte{}} }

// Put stores a copy of data under key.
func (m *MemStorage) Put(_ context.Context, key string, data []byte) error {
	if err := checkKey(key); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[key] = bytes.Clone(data)
	return nil
}

// Open returns the bytes under key as an open file, with their size.
func (m *MemStorage) Open(_ context.Context, key string) (io.ReadSeekCloser, int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.files[key]
	if !ok {
		return nil, 0, web.Errorf(web.ENOTFOUND, "附件文件不存在")
	}
	return web.BytesFile(b), int64(len(b)), nil
}

// Delete drops key.
func (m *MemStorage) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.files, key)
	return nil
}
