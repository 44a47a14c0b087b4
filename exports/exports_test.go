package exports_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"clerkskill/app/web"
	"clerkskill/exports"
	"clerkskill/exports/exportstest"
	"clerkskill/rbac"
)

func TestSafe(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=1+1", "'=1+1"}, {"+86 138", "'+86 138"}, {"-2", "'-2"}, {"@SUM(A1)", "'@SUM(A1)"},
		{"\t=cmd", "'\t=cmd"}, {"\r=cmd", "'\r=cmd"}, {"＝HYPERLINK()", "'＝HYPERLINK()"},
		{"张三", "张三"}, {"", ""}, {"a=b", "a=b"}, {"'plain", "'plain"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := exports.Safe(tc.in); got != tc.want {
				t.Errorf("Safe(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if back := exports.Unsafe(exports.Safe(tc.in)); back != tc.in {
				t.Errorf("Unsafe(Safe(%q)) = %q", tc.in, back)
			}
		})
	}
}

func TestIDView(t *testing.T) {
	id := "110101199003071234"
	for _, tc := range []struct {
		name string
		pii  rbac.Scope
		path string
		want string
	}{
		{"hr of the unit sees it whole", rbac.Scope{"/1/2/"}, "/1/2/5/", id},
		{"no pii right: masked", nil, "/1/2/", "110***********1234"},
		{"pii elsewhere: masked", rbac.Scope{"/1/3/"}, "/1/2/", "110***********1234"},
		{"no id stays empty", nil, "/1/2/", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := id
			if tc.want == "" {
				in = ""
			}
			if got := (exports.IDView{PII: tc.pii}).Show(tc.path, in); got != tc.want {
				t.Errorf("Show = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2024-03-01", "2024-03-01"}, {"2024/3/1", "2024-03-01"}, {"2024年3月1日", "2024-03-01"},
		{"2024.3.1", "2024-03-01"}, {"20240301", "2024-03-01"}, {"２０２４－０３－０１", "2024-03-01"},
		{"45352", "2024-03-01"}, {"45352.0", "2024-03-01"}, {"2024-02-30", ""}, {"昨天", ""}, {"", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := exports.ParseDate(tc.in)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("ParseDate(%q) = %v, want an error", tc.in, got)
				}
				return
			}
			if err != nil || got.Format("2006-01-02") != tc.want {
				t.Errorf("ParseDate(%q) = %v, %v; want %s", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseIntAndText(t *testing.T) {
	for in, want := range map[string]int{"３": 3, "12": 12, "3.0": 3, "1,200": 1200} {
		if got, err := exports.ParseInt(in); err != nil || got != want {
			t.Errorf("ParseInt(%q) = %d, %v", in, got, err)
		}
	}
	if _, err := exports.ParseInt("三"); err == nil {
		t.Error("ParseInt(三) should fail")
	}
	for in, want := range map[string]string{"１３８００１３８０００": "13800138000", "1.3800138E+10": "13800138000", " QS001 ": "QS001"} {
		if got := exports.Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBookGolden(t *testing.T) {
	b, err := exports.NewBook()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	s, err := b.Sheet("花名册", []exports.Column{{Header: "姓名", Width: 10}, {Header: "备注", Width: 30},
		{Header: "分数"}, {Header: "日期"}, {Header: "合计"}}, exports.Layout{})
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	must(t, s.Row("张三", "=HYPERLINK(\"http://x\")", 88.5, day, excelize.Cell{Formula: "C2*2"}))
	must(t, s.Row("李四", "＝1+1", 60, nil, "-3"))
	s2, err := b.Sheet("汇总", []exports.Column{{Header: "单位", Width: 20}}, exports.Layout{Landscape: true})
	if err != nil {
		t.Fatal(err)
	}
	must(t, s2.Row("城关镇"))
	var out bytes.Buffer
	must(t, b.Write(&out))
	exportstest.Golden(t, "book", out.Bytes())
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// workbook writes rows (the first is the header) to a sheet and returns the file.
func workbook(t *testing.T, sheet string, rows [][]any, prep func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must(t, f.SetSheetName("Sheet1", sheet))
	for i, r := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		must(t, f.SetSheetRow(sheet, ref, &r))
	}
	if prep != nil {
		prep(f)
	}
	var b bytes.Buffer
	must(t, f.Write(&b))
	return b.Bytes()
}

var header = []string{"工号", "姓名", "入职日期"}

func TestReadTable(t *testing.T) {
	good := [][]any{{"工号", "姓名", "入职日期"}, {"QS1", "张三", "2024/3/1"}, {}, {"QS2", "'=李四", 45352}}
	tab := readTable(t, workbook(t, "花名册", good, nil), exports.Limits{})
	pos, err := tab.Columns(header)
	must(t, err)
	var got []string
	for _, r := range tab.Rows {
		got = append(got, fmt.Sprint(r.No, exports.Cells(r, pos)))
	}
	want := "2 [QS1 张三 2024/3/1]|4 [QS2 =李四 45352]"
	if strings.Join(got, "|") != want {
		t.Errorf("rows = %q, want %q", strings.Join(got, "|"), want)
	}
}

// A small unzip limit (below excelize's default XML limit of 16 MiB) still reads a
// small workbook: excelize used to refuse every file then.
func TestSmallUnzipLimit(t *testing.T) {
	good := [][]any{{"工号", "姓名", "入职日期"}, {"QS1", "张三", "2024/3/1"}}
	tab := readTable(t, workbook(t, "花名册", good, nil), exports.Limits{MaxUnzip: 1 << 20})
	if len(tab.Rows) != 1 {
		t.Errorf("rows = %d, want 1", len(tab.Rows))
	}
}

// A cell Book wrote as "\t" (Safe makes it "'\t") reads back blank, and a row of such
// cells is a blank row (found by FuzzTableRoundTrip).
func TestSafeBlankReadsBlank(t *testing.T) {
	b, err := exports.NewBook()
	must(t, err)
	defer b.Close()
	s, err := b.Sheet("人员", []exports.Column{{Header: "工号"}, {Header: "姓名"}}, exports.Layout{})
	must(t, err)
	must(t, s.Row("QS1", "\t"))
	must(t, s.Row("\t", "\r "))
	must(t, s.Row("QS2", "\t=李四"))
	var buf bytes.Buffer
	must(t, b.Write(&buf))
	tab := readTable(t, buf.Bytes(), exports.Limits{})
	var got []string
	for _, r := range tab.Rows {
		got = append(got, fmt.Sprintf("%d %q", r.No, r.Cells))
	}
	if want := `2 ["QS1" ""]|4 ["QS2" "=李四"]`; strings.Join(got, "|") != want {
		t.Errorf("rows = %s, want %s", strings.Join(got, "|"), want)
	}
}

func readTable(t *testing.T, b []byte, lim exports.Limits) *exports.Table {
	t.Helper()
	w, err := exports.Open(bytes.NewReader(b), lim)
	must(t, err)
	t.Cleanup(func() { w.Close() })
	tab, err := w.Table("", "人员")
	must(t, err)
	return tab
}

func TestHeaderCheck(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header []any
		want   string
	}{
		{"renamed column", []any{"工号", "名字", "入职日期"}, "缺少列“姓名”；无法识别的列“名字”。模板表头为：工号、姓名、入职日期；文件表头为：工号、名字、入职日期"},
		{"repeated column", []any{"工号", "姓名", "姓名", "入职日期"}, "重复的列“姓名”"},
		{"full-width and spaced names pass", []any{"工 号", "姓名", "入职日期", exports.ReportColumn}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := readTable(t, workbook(t, "S", [][]any{tc.header, {"QS1", "张三", "2024-01-01"}}, nil), exports.Limits{})
			_, err := tab.Columns(header)
			if tc.want == "" {
				must(t, err)
				return
			}
			if err == nil || !strings.Contains(web.ErrorMessage(err), tc.want) {
				t.Errorf("err = %v, want it to say %q", err, tc.want)
			}
		})
	}
}

func TestRefusedUploads(t *testing.T) {
	rows := [][]any{{"工号", "姓名", "入职日期"}, {"QS1", "张三", "2024-01-01"}, {"QS2", "李四", "2024-01-01"}}
	merged := workbook(t, "花名册", rows, func(f *excelize.File) { must(t, f.MergeCell("花名册", "B2", "B3")) })
	for _, tc := range []struct {
		name string
		body []byte
		lim  exports.Limits
		code string
		want string
	}{
		{"merged cells named", merged, exports.Limits{}, web.EINVALID, "B2:B3 是合并单元格"},
		{"too large", merged, exports.Limits{MaxBytes: 1024}, web.ETOOLARGE, "文件超过 1 KiB"},
		{"not a workbook", []byte("姓名,工号\n张三,1\n"), exports.Limits{}, web.EINVALID, "不是 Excel 工作簿"},
		{"old xls", []byte("\xD0\xCF\x11\xE0 rest"), exports.Limits{}, web.EINVALID, "旧版 .xls"},
		{"empty", nil, exports.Limits{}, web.EINVALID, "文件是空的"},
		{"zip bomb", zipBomb(t), exports.Limits{}, web.ETOOLARGE, "疑似压缩炸弹"},
		{"too many rows", workbook(t, "花名册", append(rows, []any{"QS3", "王五", ""}), nil), exports.Limits{MaxRows: 2},
			web.ETOOLARGE, "超过 2 条人员的上限"},
		{"header only", workbook(t, "花名册", rows[:1], nil), exports.Limits{}, web.EINVALID, "没有数据"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := openTable(tc.body, tc.lim)
			if web.ErrorCode(err) != tc.code || !strings.Contains(web.ErrorMessage(err), tc.want) {
				t.Errorf("err = %v (%s), want %s saying %q", err, web.ErrorCode(err), tc.code, tc.want)
			}
		})
	}
}

func openTable(b []byte, lim exports.Limits) error {
	w, err := exports.Open(bytes.NewReader(b), lim)
	if err != nil {
		return err
	}
	defer w.Close()
	_, err = w.Table("", "人员")
	return err
}

// zipBomb is a workbook whose sheet inflates from a few hundred KiB to 80 MiB.
func zipBomb(t *testing.T) []byte {
	return rewriteSheet(t, func(w *strings.Builder) {
		w.WriteString(strings.Repeat(" ", 80<<20))
	})
}

// rewriteSheet takes a one-row workbook and replaces its sheet's XML with body's.
func rewriteSheet(t *testing.T, body func(w *strings.Builder)) []byte {
	t.Helper()
	src := workbook(t, "花名册", [][]any{{"工号"}}, nil)
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	must(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		must(t, err)
		if f.Name == "xl/worksheets/sheet1.xml" {
			var b strings.Builder
			body(&b)
			_, err = w.Write([]byte(b.String()))
			must(t, err)
			continue
		}
		r, err := f.Open()
		must(t, err)
		var buf bytes.Buffer
		_, err = buf.ReadFrom(r)
		must(t, err)
		_, err = w.Write(buf.Bytes())
		must(t, err)
	}
	must(t, zw.Close())
	return out.Bytes()
}

func TestTwoMillionRows(t *testing.T) {
	big := rewriteSheet(t, func(w *strings.Builder) {
		w.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		for i := 1; i <= 2_000_000; i++ {
			n := strconv.Itoa(i)
			w.WriteString(`<row r="` + n + `"><c r="A` + n + `"><v>` + n + `</v></c></row>`)
		}
		w.WriteString(`</sheetData></worksheet>`)
	})
	t.Run("default limits: refused before opening", func(t *testing.T) {
		if err := openTable(big, exports.Limits{}); web.ErrorCode(err) != web.ETOOLARGE {
			t.Errorf("err = %v, want too large", err)
		}
	})
	t.Run("room to inflate: the row count stops it", func(t *testing.T) {
		start := time.Now()
		err := openTable(big, exports.Limits{MaxBytes: 1 << 30, MaxUnzip: 1 << 30})
		if web.ErrorCode(err) != web.ETOOLARGE || !strings.Contains(web.ErrorMessage(err), "超过 5000 条人员的上限") {
			t.Errorf("err = %v, want the row limit", err)
		}
		t.Logf("refused in %v", time.Since(start))
	})
}

func TestReportWorkbookGolden(t *testing.T) {
	rep := &exports.Report{Rows: 2, Header: []string{"工号", "姓名"},
		Source: []exports.SourceRow{{No: 2, Cells: []string{"QS1", "=张三"}}, {No: 3, Cells: []string{"QS 2", "李四"}}}}
	rep.Add(3, "工号", "工号须为1至32位字母、数字")
	rep.Add(3, "", "与第 2 行重复")
	rep.SortErrors([]string{"工号", "姓名"})
	err := rep.Err("人员")
	if !strings.Contains(web.ErrorMessage(err), "2 行人员中有 1 行存在错误（共 2 处），未导入任何人员。首个错误：第 3 行“工号”：工号须为1至32位字母、数字") {
		t.Errorf("Err = %v", err)
	}
	var out bytes.Buffer
	must(t, rep.WriteWorkbook(&out, "花名册"))
	exportstest.Golden(t, "report", out.Bytes())
}
