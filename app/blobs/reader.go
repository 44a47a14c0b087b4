package blobs

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
)

// reader reads a stored file one piece (one query) at a time and seeks without reading:
// a byte range deep in a large video costs one piece, and memory stays at one piece
// whatever the file's size.
type reader struct {
	ctx      context.Context
	db       bun.IDB
	ns, name string
	size     int64
	off      int64
	seq      int // the piece in buf; -1 for none
	buf      []byte
	closed   bool
}

var errClosed = errors.New("blobs: read of a closed file")

func (r *reader) Read(p []byte) (int, error) {
	if r.closed {
		return 0, errClosed
	}
	if r.off >= r.size {
		return 0, io.EOF
	}
	seq := int(r.off / chunkSize)
	if seq != r.seq {
		if err := r.load(seq); err != nil {
			return 0, err
		}
	}
	start := r.off - int64(seq)*chunkSize
	if start >= int64(len(r.buf)) {
		return 0, fmt.Errorf("%s/%s: piece %d is short: %w", r.ns, r.name, seq, io.ErrUnexpectedEOF)
	}
	n := copy(p, r.buf[start:])
	r.off += int64(n)
	return n, nil
}

func (r *reader) load(seq int) error {
	var c blobChunk
	err := r.db.NewSelect().Model(&c).Where("namespace = ? AND name = ? AND seq = ?", r.ns, r.name, seq).Scan(r.ctx)
	if db.IsNoRows(err) {
		return fmt.Errorf("%s/%s: piece %d is missing: %w", r.ns, r.name, seq, io.ErrUnexpectedEOF)
	}
	if err != nil {
		return err
	}
	r.buf, r.seq = c.Data, seq
	return nil
}

// Seek moves the offset only; the piece is read by the next Read.
func (r *reader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.off
	case io.SeekEnd:
		offset += r.size
	default:
		return 0, errors.New("blobs: invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("blobs: negative position")
	}
	r.off = offset
	return offset, nil
}

func (r *reader) Close() error {
	r.closed, r.buf = true, nil
	return nil
}
