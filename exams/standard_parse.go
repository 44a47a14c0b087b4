package exams

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"clerkskill/app/web"
)

// MaxStandardSize is the largest standard file (YAML, JSON or workbook) accepted.
const MaxStandardSize = 5 << 20

//go:embed standard/default.yaml
var defaultFS embed.FS

// DefaultStandardYAML returns the embedded default profile as written.
func DefaultStandardYAML() []byte {
	b, err := defaultFS.ReadFile("standard/default.yaml")
	if err != nil {
		panic("exams: embedded default standard missing: " + err.Error())
	}
	return b
}

// DefaultStandard returns a fresh copy of the embedded default profile.
func DefaultStandard() (*Standard, error) {
	s, err := ParseStandard(bytes.NewReader(DefaultStandardYAML()), "yaml")
	if err != nil {
		return nil, fmt.Errorf("embedded default standard: %w", err)
	}
	return s, nil
}

// ParseStandard reads a definition in "yaml" or "json" (also accepted: "yml") and
// validates it. Unknown fields, oversize input and invalid definitions are refused with
// EINVALID or ETOOLARGE errors whose messages a user can act on.
func ParseStandard(r io.Reader, format string) (*Standard, error) {
	b, err := readLimited(r, MaxStandardSize)
	if err != nil {
		return nil, err
	}
	s := new(Standard)
	switch strings.ToLower(strings.TrimPrefix(format, ".")) {
	case "yaml", "yml":
		err = decodeYAML(b, s)
	case "json":
		err = decodeJSON(b, s)
	default:
		return nil, web.Errorf(web.EINVALID, "不支持的标准文件格式“%s”，应为 yaml 或 json", format)
	}
	if err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// FormatOf guesses a definition's format from a file name: "yaml", "json" or "xlsx";
// "" when the extension is none of these.
func FormatOf(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.HasSuffix(n, ".yaml"), strings.HasSuffix(n, ".yml"):
		return "yaml"
	case strings.HasSuffix(n, ".json"):
		return "json"
	case strings.HasSuffix(n, ".xlsx"):
		return "xlsx"
	}
	return ""
}

// readLimited reads all of r, refusing more than limit bytes.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read standard file: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, web.Errorf(web.ETOOLARGE, "文件超过 %d MiB，已拒绝", limit>>20)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, web.Errorf(web.EINVALID, "文件为空")
	}
	return b, nil
}

func decodeYAML(b []byte, s *Standard) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(s); err != nil {
		return web.Errorf(web.EINVALID, "YAML 格式错误：%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return nil
}

func decodeJSON(b []byte, s *Standard) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(s); err != nil {
		return web.Errorf(web.EINVALID, "JSON 格式错误：%s", jsonProblem(b, err))
	}
	if dec.More() {
		return web.Errorf(web.EINVALID, "JSON 格式错误：文件末尾有多余内容")
	}
	return nil
}

// jsonProblem describes a decode error with the line it happened on, when known.
func jsonProblem(b []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("第 %d 行：%s", lineOf(b, syn.Offset), syn.Error())
	case errors.As(err, &typ):
		return fmt.Sprintf("第 %d 行：字段 %s 应为 %s，实际为 %s", lineOf(b, typ.Offset), typ.Field, typ.Type, typ.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func lineOf(b []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(b)))
	return bytes.Count(b[:offset], []byte("\n")) + 1
}

// MarshalStandard writes a definition as "yaml" or "json" (indented), for export and
// for the round trip an administrator makes when editing a version by hand.
func MarshalStandard(w io.Writer, s *Standard, format string) error {
	switch strings.ToLower(format) {
	case "yaml", "yml":
		enc := yaml.NewEncoder(w)
		enc.SetIndent(2)
		if err := enc.Encode(s); err != nil {
			return err
		}
		return enc.Close()
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	return web.Errorf(web.EINVALID, "不支持的标准文件格式“%s”，应为 yaml 或 json", format)
}

// Clone returns a deep copy, so a caller may change it without touching the original.
func (s *Standard) Clone() *Standard {
	b, err := json.Marshal(s)
	if err != nil {
		panic("exams: marshal standard: " + err.Error()) // plain data: cannot fail
	}
	out := new(Standard)
	if err := json.Unmarshal(b, out); err != nil {
		panic("exams: unmarshal standard: " + err.Error())
	}
	return out
}
