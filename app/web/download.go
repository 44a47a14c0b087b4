package web

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Download describes a stored file to send: the name shown to the user, its type as
// sniffed when it came in, and validators where the caller has them cheaply.
type Download struct {
	Name    string        // display name, sent as a UTF-8 filename
	Type    string        // content type checked at upload; never sniffed by the browser
	Size    int64         // bytes
	ModTime time.Time     // zero: no Last-Modified
	ETag    string        // strong validator without quotes (the bytes under it never change); empty: none
	MaxAge  time.Duration // private caching; 0 means revalidate every time
}

// ServeContent streams a stored file as a download, closing rs. It answers a conditional
// GET with 304 when If-None-Match (or, without it, If-Modified-Since) matches, and a
// single byte range (bytes=0-9, bytes=10-, bytes=-5) with 206 and Content-Range, or 416
// when no byte of it exists. A Range header it does not serve is ignored and the whole
// body sent with 200 (RFC 9110 lets a server ignore Range): bad syntax, and several
// ranges at once, which only download managers ask for. If-Range must match the ETag or
// Last-Modified for the range to be served.
func ServeContent(c *fiber.Ctx, d Download, rs io.ReadSeekCloser) error {
	setDownloadHeaders(c, d)
	if notModified(c, d) {
		rs.Close()
		return c.SendStatus(fiber.StatusNotModified)
	}
	start, n, status := int64(0), d.Size, fiber.StatusOK
	if rangeApplies(c, d) {
		var ok bool
		start, n, ok = parseRange(c.Get(fiber.HeaderRange), d.Size)
		switch {
		case !ok:
			start, n = 0, d.Size
		case n == 0:
			rs.Close()
			c.Set(fiber.HeaderContentRange, "bytes */"+strconv.FormatInt(d.Size, 10))
			return c.SendStatus(fiber.StatusRequestedRangeNotSatisfiable)
		default:
			status = fiber.StatusPartialContent
			c.Set(fiber.HeaderContentRange, "bytes "+strconv.FormatInt(start, 10)+"-"+strconv.FormatInt(start+n-1, 10)+"/"+strconv.FormatInt(d.Size, 10))
		}
	}
	if _, err := rs.Seek(start, io.SeekStart); err != nil {
		rs.Close()
		return err
	}
	c.Status(status)
	c.Context().SetBodyStream(readCloser{io.LimitReader(rs, n), rs}, int(n))
	return nil
}

// readCloser reads a part of a file and closes the file: fasthttp closes a body stream
// once sent, or when the response is dropped.
type readCloser struct {
	io.Reader
	io.Closer
}

func setDownloadHeaders(c *fiber.Ctx, d Download) {
	c.Set(fiber.HeaderContentType, d.Type)
	c.Set(fiber.HeaderContentDisposition, ContentDisposition("attachment", d.Name))
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentSecurityPolicy, "sandbox; default-src 'none'")
	c.Set(fiber.HeaderAcceptRanges, "bytes")
	if d.MaxAge > 0 {
		c.Set(fiber.HeaderCacheControl, "private, max-age="+strconv.Itoa(int(d.MaxAge.Seconds())))
	} else {
		c.Set(fiber.HeaderCacheControl, "private, no-cache")
	}
	if d.ETag != "" {
		c.Set(fiber.HeaderETag, `"`+d.ETag+`"`)
	}
	if !d.ModTime.IsZero() {
		c.Set(fiber.HeaderLastModified, d.ModTime.UTC().Format(http.TimeFormat))
	}
}

// notModified reports whether the client's copy is current.
func notModified(c *fiber.Ctx, d Download) bool {
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" {
		return d.ETag != "" && etagListed(inm, d.ETag)
	}
	ims, err := http.ParseTime(c.Get(fiber.HeaderIfModifiedSince))
	return err == nil && !d.ModTime.IsZero() && !d.ModTime.Truncate(time.Second).After(ims)
}

// etagListed reports whether a comma-separated If-None-Match list names tag (weakly).
func etagListed(list, tag string) bool {
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == `"`+tag+`"` {
			return true
		}
	}
	return false
}

// rangeApplies reports whether a Range header is to be looked at: there is one, and any
// If-Range names the current file.
func rangeApplies(c *fiber.Ctx, d Download) bool {
	if c.Get(fiber.HeaderRange) == "" {
		return false
	}
	ir := c.Get(fiber.HeaderIfRange)
	switch {
	case ir == "":
		return true
	case strings.HasPrefix(ir, `"`):
		return d.ETag != "" && ir == `"`+d.ETag+`"`
	}
	t, err := http.ParseTime(ir)
	return err == nil && !d.ModTime.IsZero() && d.ModTime.Truncate(time.Second).Equal(t)
}

// parseRange reads one byte range of a file of size bytes. ok is false when the header is
// not one well-formed range (it is then ignored); n is 0 when the range is well formed
// but no byte of it exists (416).
func parseRange(h string, size int64) (start, n int64, ok bool) {
	spec, found := strings.CutPrefix(h, "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false
	}
	first, last, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, 0, false
	}
	if first == "" { // suffix: the last n bytes
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n < 0 || !digits(last) {
			return 0, 0, false
		}
		n = min(n, size)
		return size - n, n, true
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil || !digits(first) {
		return 0, 0, false
	}
	end := size - 1
	if last != "" {
		if end, err = strconv.ParseInt(last, 10, 64); err != nil || !digits(last) || end < start {
			return 0, 0, false
		}
		end = min(end, size-1)
	}
	if start >= size {
		return 0, 0, true
	}
	return start, end - start + 1, true
}

func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// ContentDisposition is a Content-Disposition value naming a file: an ASCII fallback for
// old clients and the exact UTF-8 name (RFC 6266, RFC 8187).
func ContentDisposition(kind, name string) string {
	var ascii, ext strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r == 0x7f || r == '"' || r == '\\' || r > 0x7e:
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	for _, b := range []byte(name) {
		if attrChar(b) {
			ext.WriteByte(b)
		} else {
			ext.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(b)|0x100, 16)[1:]))
		}
	}
	return kind + `; filename="` + ascii.String() + `"; filename*=UTF-8''` + ext.String()
}

// attrChar reports whether b may stand unescaped in an RFC 8187 value.
func attrChar(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || bytes.IndexByte([]byte("!#$&+-.^_`|~"), b) >= 0
}

// BytesFile serves b as an open file, for stores that keep files in memory.
func BytesFile(b []byte) io.ReadSeekCloser {
	return readSeekNopCloser{bytes.NewReader(b)}
}

type readSeekNopCloser struct{ *bytes.Reader }

func (readSeekNopCloser) Close() error { return nil }
