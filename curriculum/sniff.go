package curriculum

import (
	"archive/zip"
	"bytes"
	"net/http"
	"path"
	"strings"

	"clerkskill/app/web"
)

// DefaultMaxFileSize bounds one attachment unless the store is told otherwise.
const DefaultMaxFileSize = 15 << 20

// fileType is an accepted kind of attachment, recognised by content, never by name.
type fileType struct {
	MIME, Ext, Label string
}

var (
	typePDF  = fileType{"application/pdf", ".pdf", "PDF 文档"}
	typePNG  = fileType{"image/png", ".png", "图片"}
	typeJPEG = fileType{"image/jpeg", ".jpg", "图片"}
	typeGIF  = fileType{"image/gif", ".gif", "图片"}
	typeWEBP = fileType{"image/webp", ".webp", "图片"}
	typeMP4  = fileType{"video/mp4", ".mp4", "视频"}
	typeWEBM = fileType{"video/webm", ".webm", "视频"}
	typeDOCX = fileType{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word 文档"}
	typeXLSX = fileType{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel 表格"}
	typePPTX = fileType{"application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx", "PPT 演示文稿"}
	typeOLE  = fileType{"application/vnd.ms-office", "", "Office 文档（旧格式）"}
)

var sniffed = map[string]fileType{
	"application/pdf": typePDF, "image/png": typePNG, "image/jpeg": typeJPEG, "image/gif": typeGIF,
	"image/webp": typeWEBP, "video/mp4": typeMP4, "video/webm": typeWEBM,
}

// oleMagic opens the compound files of .doc, .xls and .ppt.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// sniff recognises data as one of the accepted types from its bytes alone.
func sniff(data []byte) (fileType, error) {
	if t, ok := sniffed[http.DetectContentType(data)]; ok {
		return t, nil
	}
	if bytes.HasPrefix(data, oleMagic) {
		return typeOLE, nil
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		if t, ok := officeZip(data); ok {
			return t, nil
		}
	}
	return fileType{}, web.Invalid(map[string]string{"file": "只接受 PDF、图片（PNG/JPEG/GIF/WebP）、Office 文档和 MP4/WebM 视频；文件内容与这些类型都不符"})
}

// officeZip tells the Office Open XML kinds apart by the part that only each one has.
func officeZip(data []byte) (fileType, bool) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fileType{}, false
	}
	var types bool
	var kind fileType
	for _, f := range zr.File {
		switch {
		case f.Name == "[Content_Types].xml":
			types = true
		case strings.HasPrefix(f.Name, "word/"):
			kind = typeDOCX
		case strings.HasPrefix(f.Name, "xl/"):
			kind = typeXLSX
		case strings.HasPrefix(f.Name, "ppt/"):
			kind = typePPTX
		}
	}
	return kind, types && kind.MIME != ""
}

// cleanName keeps a display name: the base of what was sent, without control characters,
// bounded, and with the extension of the sniffed type when it has one.
func cleanName(name string, t fileType) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if name == "." || name == "/" || name == "" {
		name = "附件"
	}
	if r := []rune(name); len(r) > 80 {
		name = string(r[:80])
	}
	if t.Ext != "" && !strings.EqualFold(path.Ext(name), t.Ext) && !(t == typeJPEG && strings.EqualFold(path.Ext(name), ".jpeg")) {
		name += t.Ext
	}
	return name
}
