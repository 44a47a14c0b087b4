package exports

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"clerkskill/app/web"
)

// Limits bound what an upload may hold. Zero fields take DefaultLimits.
type Limits struct {
	MaxBytes int64 // the file as uploaded
	MaxUnzip int64 // every entry of the xlsx zip, uncompressed, together
	MaxRows  int   // data rows below the header
}

// DefaultLimits suit a roster or a question bank of a county.
var DefaultLimits = Limits{MaxBytes: 10 << 20, MaxUnzip: 64 << 20, MaxRows: 5000}

func (l Limits) orDefault() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultLimits.MaxBytes
	}
	if l.MaxUnzip <= 0 {
		l.MaxUnzip = DefaultLimits.MaxUnzip
	}
	if l.MaxRows <= 0 {
		l.MaxRows = DefaultLimits.MaxRows
	}
	return l
}

// Workbook is an uploaded workbook that passed the size, type and zip-bomb checks.
type Workbook struct {
	File *excelize.File
	lim  Limits
}

// Open reads an upload and opens it as a workbook, refusing, before excelize parses
// anything, a file over MaxBytes, anything but .xlsx (old .xls and password-protected
// files named), and a zip whose entries would inflate past MaxUnzip (a zip bomb).
func Open(r io.Reader, lim Limits) (*Workbook, error) {
	lim = lim.orDefault()
	b, err := ReadUpload(r, lim.MaxBytes)
	if err != nil {
		return nil, err
	}
	if err := sniffXLSX(b); err != nil {
		return nil, err
	}
	if err := checkZip(b, lim.MaxUnzip); err != nil {
		return nil, err
	}
	f, err := openReader(b, lim)
	if err != nil {
		return nil, err
	}
	return &Workbook{File: f, lim: lim}, nil
}

// maxUnzipXML bounds one worksheet's XML, which excelize holds in memory whole.
const maxUnzipXML = 16 << 20

func openReader(b []byte, lim Limits) (f *excelize.File, err error) {
	defer func() {
		if v := recover(); v != nil { // a malformed file must never take the server down
			f, err = nil, web.Errorf(web.EINVALID, "无法读取工作簿，文件可能已损坏")
		}
	}()
	// excelize refuses every file when the XML limit exceeds the unzip limit.
	f, err = excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: lim.MaxUnzip,
		UnzipXMLSizeLimit: min(maxUnzipXML, lim.MaxUnzip)})
	if err != nil {
		return nil, OpenProblem(err, lim.MaxUnzip)
	}
	return f, nil
}

// Close releases the workbook.
func (w *Workbook) Close() error { return w.File.Close() }

// ReadUpload reads at most limit bytes and refuses anything longer or empty.
func ReadUpload(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, web.Errorf(web.ETOOLARGE, "文件超过 %s 的上限，请分成几个文件导入", sizeText(limit))
	}
	if len(b) == 0 {
		return nil, web.Errorf(web.EINVALID, "文件是空的")
	}
	return b, nil
}

func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", max(n>>10, 1))
}

func sniffXLSX(b []byte) error {
	switch {
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return nil
	case bytes.HasPrefix(b, []byte("\xD0\xCF\x11\xE0")):
		return web.Errorf(web.EINVALID, "文件是旧版 .xls 或设有密码的工作簿，请另存为不设密码的 .xlsx 后再导入")
	}
	return web.Errorf(web.EINVALID, "文件不是 Excel 工作簿（.xlsx），请下载模板填写后再导入")
}

// checkZip adds up the uncompressed sizes the zip declares; excelize's own limit then
// guards against entries that lie about their size while they inflate.
func checkZip(b []byte, limit int64) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return web.Errorf(web.EINVALID, "文件不是有效的 Excel 工作簿（.xlsx），请下载模板填写后再导入")
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(limit) {
			return bombError(limit)
		}
	}
	return nil
}

func bombError(limit int64) error {
	return web.Errorf(web.ETOOLARGE, "工作簿解压后超过 %s（疑似压缩炸弹），已拒绝", sizeText(limit))
}

// OpenProblem tells a user why a workbook could not be opened or read.
func OpenProblem(err error, unzipLimit int64) error {
	switch {
	case strings.Contains(err.Error(), "unzip size exceeds"):
		return bombError(unzipLimit)
	case errors.Is(err, excelize.ErrWorkbookPassword):
		return web.Errorf(web.EINVALID, "工作簿设有密码，请取消密码后再导入")
	}
	return web.Errorf(web.EINVALID, "文件不是有效的 Excel 工作簿（.xlsx），请下载模板填写后再导入")
}
