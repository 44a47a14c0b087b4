package exams

import (
	"context"
	"io"

	"clerkskill/app/web"
)

// ParseStandardFile reads an uploaded or local standard file by its name's extension:
// YAML or JSON is a whole definition; an .xlsx weight workbook is applied to the current
// version. The result is validated but not stored; ImportStandard stores it.
func (s *Store) ParseStandardFile(ctx context.Context, name string, r io.Reader) (*Standard, error) {
	switch format := FormatOf(name); format {
	case "yaml", "json":
		return ParseStandard(r, format)
	case "xlsx":
		cur, err := s.CurrentStandard(ctx)
		if err != nil {
			return nil, err
		}
		return ParseWeightWorkbook(r, cur.Definition)
	}
	return nil, web.Errorf(web.EINVALID, "无法识别文件“%s”的格式：应为 .yaml、.yml、.json 或权重表模板 .xlsx", name)
}
