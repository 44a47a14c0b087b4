package training

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"clerkskill/app/web"
)

// Files keeps evidence files by a name the store chose. The server keeps them in the
// database (app/blobs), so every instance serves them; DirFiles is for tests.
type Files interface {
	Put(ctx context.Context, name string, data []byte) error
	Open(ctx context.Context, name string) (io.ReadSeekCloser, int64, error) // the file and its size
}

// fileName is the only shape of name the store writes: random hex and a known extension.
var fileName = regexp.MustCompile(`^[0-9a-f]{32}\.(pdf|png|jpg)$`)

// DirFiles keeps files in one directory; names that are not the store's own shape are
// refused, and the directory is opened as an os.Root so nothing can step outside it.
type DirFiles struct{ dir string }

// NewDirFiles returns a file store in dir, creating it.
func NewDirFiles(dir string) (*DirFiles, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	return &DirFiles{dir: dir}, nil
}

func (d *DirFiles) root(name string) (*os.Root, error) {
	if !fileName.MatchString(name) {
		return nil, web.Errorf(web.EINVALID, "文件名无效")
	}
	return os.OpenRoot(d.dir)
}

// Put writes a new file; an existing name is never overwritten.
func (d *DirFiles) Put(_ context.Context, name string, data []byte) error {
	r, err := d.root(name)
	if err != nil {
		return err
	}
	defer r.Close()
	f, err := r.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// Open opens a file for reading, with its size.
func (d *DirFiles) Open(_ context.Context, name string) (io.ReadSeekCloser, int64, error) {
	r, err := d.root(name)
	if err != nil {
		return nil, 0, err
	}
	defer r.Close()
	f, err := r.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, web.Errorf(web.ENOTFOUND, "证明材料不存在")
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

// Path is where a name would live, for tests.
func (d *DirFiles) Path(name string) string { return filepath.Join(d.dir, name) }

// MemFiles keeps files in memory: for tests, and commands that read no evidence.
type MemFiles struct {
	mu    sync.Mutex
	files map[string][]byte
}

// NewMemFiles returns an empty in-memory file store.
func NewMemFiles() *MemFiles { return &MemFiles{files: map[string][]byte{}} }

// Put keeps a copy of data under name.
func (m *MemFiles) Put(_ context.Context, name string, data []byte) error {
	if !fileName.MatchString(name) {
		return web.Errorf(web.EINVALID, "文件名无效")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[name] = append([]byte(nil), data...)
	return nil
}

// Open returns the file under name as an open file, with its size.
func (m *MemFiles) Open(_ context.Context, name string) (io.ReadSeekCloser, int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.files[name]
	if !ok {
		return nil, 0, web.Errorf(web.ENOTFOUND, "证明材料不存在")
	}
	return web.BytesFile(b), int64(len(b)), nil
}

// MaxEvidenceBytes is the largest evidence file accepted.
const MaxEvidenceBytes = 5 << 20

// errEvidenceTooLarge is a 413, like every other upload over its limit, with the field
// named so the form shows it beside the file input.
var errEvidenceTooLarge = &web.Error{Code: web.ETOOLARGE, Message: "证明材料不能超过5MB",
	Fields: map[string]string{"evidence": "证明材料不能超过5MB"}}

// evidenceTypes are the accepted types by sniffed content, with the extension stored.
var evidenceTypes = map[string]string{"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}

// extAliases are the names an uploader may give each stored extension.
var extAliases = map[string][]string{"pdf": {".pdf"}, "png": {".png"}, "jpg": {".jpg", ".jpeg"}}

// sniff checks an uploaded file by its content, not its name: the content must be a PDF,
// PNG or JPEG, within the size limit, and the name's extension must agree with it.
// It returns the extension to store and the content type.
func sniff(ev *Evidence) (ext, ctype string, err error) {
	if len(ev.Data) > MaxEvidenceBytes {
		return "", "", errEvidenceTooLarge
	}
	ctype = http.DetectContentType(ev.Data)
	ext, ok := evidenceTypes[ctype]
	if !ok {
		return "", "", web.Invalid(map[string]string{"evidence": "证明材料只能是PDF、PNG或JPEG文件（按文件内容识别）"})
	}
	given := strings.ToLower(filepath.Ext(ev.Name))
	for _, a := range extAliases[ext] {
		if a == given {
			return ext, ctype, nil
		}
	}
	return "", "", web.Invalid(map[string]string{"evidence": "文件扩展名与文件内容不符，请上传原始文件"})
}

func newFileName(ext string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b) + "." + ext
}

// cleanName keeps the base of an uploaded file's name for display, without control
// characters or quotes (it is sent back in Content-Disposition and shown in pages).
func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if len([]rune(name)) > 100 {
		name = string([]rune(name)[:100])
	}
	return name
}
