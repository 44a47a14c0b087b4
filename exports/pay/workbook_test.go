package pay_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exports"
	"clerkskill/exports/exportstest"
	"clerkskill/exports/pay"
	"clerkskill/rbac"
)

// xlsx builds an upload: the first row is the header.
func xlsx(t testing.TB, rows ...[]any) *bytes.Buffer {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return &b
}

func row(v ...any) []any { return v }

func importRatings(ctx context.Context, e *payEnv, scope rbac.Scope, r io.Reader) (int, *exports.Report, error) {
	return e.store.ImportRatingsFile(ctx, 0, scope, r, nil)
}

func importWorkload(ctx context.Context, e *payEnv, scope rbac.Scope, r io.Reader) (int, *exports.Report, error) {
	return e.store.ImportWorkloadFile(ctx, 0, scope, r, nil)
}

func errorLines(rep *exports.Report) []string {
	var out []string
	if rep != nil {
		for _, e := range rep.Errors {
			out = append(out, e.String())
		}
	}
	return out
}

// TestImportFiles: both layouts and workload are read (dates as text and as serials,
// full-width digits), bad files are refused whole with row-by-row errors.
func TestImportFiles(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newPayEnv(t, dialect)
			ctx, scope := context.Background(), e.scope(chengguanCode)
			n, rep, err := importRatings(ctx, e, scope, xlsx(t, row("工号", "评价日期", "评价等级", "评价渠道", "办件编号"),
				row("QS0061", "2026-11-03", "非常满意", "窗口", "X1"), row("ＱＳ００６１", 46330, " 满意 ", "网上", "X2")))
			if err != nil || n != 2 {
				t.Fatalf("ratings: %d %v %v", n, err, errorLines(rep))
			}
			n, rep, err = importRatings(ctx, e, scope, xlsx(t, row("工号", "月份", "非常满意", "满意", "基本满意", "不满意", "非常不满意"),
				row("QS0062", "2026-11", 3, "", 1, 0, "１")))
			if err != nil || n != 3 {
				t.Fatalf("counts: %d %v %v", n, err, errorLines(rep))
			}
			n, rep, err = importWorkload(ctx, e, scope, xlsx(t, row("工号", "月份", "办件量", "叫号量", "咨询量", "帮代办量"),
				row("QS0061", "2026年11月", 10, 20, 30, 40)))
			if err != nil || n != 1 {
				t.Fatalf("workload: %d %v %v", n, err, errorLines(rep))
			}
			e.mustPolicy(countyCode, "2026-01-01", countyRules())
			rows := e.sheet(chengguanCode, "2026-11")
			if r := rows["QS0061"]; r.RatingCount != 2 || r.WorkTotal != 100 || r.Ratings != [5]int{1, 1, 0, 0, 0} {
				t.Errorf("QS0061: %+v", r)
			}
			if r := rows["QS0062"]; r.RatingCount != 5 || r.Ratings != [5]int{3, 0, 1, 0, 1} {
				t.Errorf("QS0062: %+v", r)
			}
			checkBadImports(t, e)
		})
	}
}

func checkBadImports(t *testing.T, e *payEnv) {
	ctx, scope := context.Background(), e.scope(chengguanCode)
	_, _, err := importRatings(ctx, e, scope, xlsx(t, row("工号", "日期", "等级"), row("QS0061", "2026-11-03", "满意")))
	wantCode(t, "wrong headers", err, web.EINVALID, "缺少列“评价日期”“评价等级”“评价渠道”“办件编号”")
	_, rep, err := importRatings(ctx, e, scope, xlsx(t, row("工号", "评价日期", "评价等级", "评价渠道", "办件编号"),
		row("QS0063", "2026-11-03", "很好", "", ""), row("QS0063", "2026-13-01", "满意", "", ""),
		row("QS7777", "2026-11-03", "满意", "", ""), row("QS0095", "2026-11-03", "满意", "", "Y1"),
		row("QS0064", "2026-11-05", "不满意", "窗口", "Y2"), row("QS0064", "2026-11-05", "不满意", "窗口", "Y2")))
	wantCode(t, "bad rows", err, web.EINVALID, "未导入任何评价")
	want := []string{"第 2 行“评价等级”：“很好”不是评价等级，应为 非常满意、满意、基本满意、不满意、非常不满意 之一",
		"第 3 行“评价日期”：日期“2026-13-01”无法识别，请写成 2024-03-01、2024/3/1 或 2024年3月1日",
		"第 4 行“工号”：花名册中没有工号 QS7777",
		"第 5 行“工号”：工号 QS0095（" + e.name("QS0095") + "）不在您管理的机构范围内",
		"第 7 行：与第 6 行重复"}
	if diff := cmp.Diff(want, errorLines(rep)); diff != "" {
		t.Errorf("row errors (-want +got):\n%s", diff)
	}
	_, rep, err = importWorkload(ctx, e, scope, xlsx(t, row("工号", "月份", "办件量", "叫号量", "咨询量", "帮代办量"),
		row("QS0061", "2026-11", -1, "x", 0, 0), row("QS0062", "2026-11", 1, 1, 1, 1), row("QS0062", "2026-11", 2, 2, 2, 2)))
	wantCode(t, "bad workload", err, web.EINVALID, "未导入任何工作量")
	want = []string{"第 2 行“办件量”：须在0至100000之间", "第 2 行“叫号量”：“x”不是整数", "第 4 行：与第 3 行重复（同一人员同一月份）"}
	if diff := cmp.Diff(want, errorLines(rep)); diff != "" {
		t.Errorf("workload errors (-want +got):\n%s", diff)
	}
	if r := e.sheet(chengguanCode, "2026-11")["QS0062"]; r.WorkTotal != 0 || r.RatingCount != 5 {
		t.Errorf("a refused file stored something: %+v", r)
	}
}

// TestPayWorkbookGolden reads the pay workbook back: detail rows with the formulas, the
// summary by unit and tier, the policies and the tier distribution (with its chart).
func TestPayWorkbookGolden(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newPayEnv(t, dialect)
			seedComputation(t, e)
			var b bytes.Buffer
			n, err := e.store.ExportSheet(context.Background(), pay.SheetQuery{Path: e.unit(chengguanCode).Path, Period: "2026-11"}, "城关镇 2026-11", &b, nil)
			if err != nil || n != 30 {
				t.Fatalf("export: %d %v", n, err)
			}
			exportstest.Golden(t, "pay_chengguan", b.Bytes())
			checkFormulas(t, b.Bytes(), e)
		})
	}
}

func checkFormulas(t *testing.T, book []byte, e *payEnv) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(pay.SheetRows)
	if len(rows) != 31 || rows[1][0] != "QS0061" {
		t.Fatalf("城关镇 rows: %d, first %v", len(rows), rows[1])
	}
	for cell, want := range map[string]string{"P2": "IF(M2=0,0,ROUND(N2/M2/O2*100,2))", "AA2": "ROUND(G2*X2/100+P2*Y2/100+W2*Z2/100,2)", "AF2": "ROUND(F2+AE2,2)"} {
		if got, _ := f.GetCellFormula(pay.SheetRows, cell); got != want {
			t.Errorf("%s formula %q, want %q", cell, got, want)
		}
	}
	for cell, want := range map[string]string{"P2": "82", "AA2": "69.2", "AF2": "1050"} {
		if got, _ := f.GetCellValue(pay.SheetRows, cell, excelize.Options{RawCellValue: true}); got != want {
			t.Errorf("%s cached %q, want %q", cell, got, want)
		}
	}
	var hasChart bool
	for _, name := range f.GetSheetList() {
		hasChart = hasChart || name == pay.SheetTiers
	}
	if !hasChart || !bytes.Contains(book, []byte("xl/charts/chart1.xml")) {
		t.Error("no tier chart in the workbook")
	}
	if s, _ := f.GetRows(pay.SheetSummary); !strings.Contains(strings.Join(s[1], "|"), "城关镇便民服务中心") {
		t.Errorf("summary: %v", s)
	}
}

func TestTemplates(t *testing.T) {
	for kind, tpl := range pay.Templates {
		var b bytes.Buffer
		if err := pay.WriteTemplate(&b, tpl); err != nil {
			t.Fatal(err)
		}
		exportstest.Golden(t, "template_"+kind, b.Bytes())
	}
}
