package app_test

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"clerkskill/app/apptest"
)

// Security: formula injection. Text a user typed or imported (names of people, units,
// sessions, questions, certificates) starting with =, +, -, @ or their full-width forms
// is planted in the store; every workbook the server sends (walked from the route table:
// every GET route ending .xlsx, and the other export routes) must hold it as text with a
// leading apostrophe, never as a formula and never as text Excel would read as one.

var hostileCells = []string{`=HYPERLINK("http://evil.example","点我")`, "+1+cmd|'/c calc'!A0", "-2+3", "@SUM(1,1)", "＝1+1", "＋1", "－1", "＠SUM(1)"}

func TestSecurityExportsHoldNoFormulas(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		fx := newFixture(t, env)
		plantHostileText(t, env, fx)
		tok := env.Login("admin")
		books, seen := 0, map[string]bool{}
		for _, route := range env.Srv.Routes {
			if route.Method != http.MethodGet || !workbookRoute(route.Path) {
				continue
			}
			path := fx.fill(route.Path, "chengguan")
			r := env.Do(apptest.Request{Method: "GET", Path: path, Token: tok})
			if !strings.HasPrefix(r.Body, "PK") {
				continue // a page or a refusal: nothing to open
			}
			books++
			scanWorkbook(t, path, []byte(r.Body), seen)
		}
		t.Logf("planted text found in: %v", seen)
		if books < 6 {
			t.Fatalf("only %d workbooks came back from the export routes", books)
		}
		for _, want := range []string{"roster", "gradebook", "questions", "certificates", "pay", "assessment"} {
			if !seen[want] {
				t.Errorf("no planted text found in the %s export, so it was not checked", want)
			}
		}
	})
}

// workbookRoute picks the routes that answer a workbook.
func workbookRoute(p string) bool {
	return strings.HasSuffix(p, ".xlsx") || strings.HasSuffix(p, "/export") || strings.HasSuffix(p, "/file") ||
		strings.HasSuffix(p, "/sheet")
}

// scanWorkbook checks every cell of every sheet, noting in seen which export carried the
// planted text.
func scanWorkbook(t *testing.T, path string, b []byte, seen map[string]bool) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Errorf("%s: not a workbook: %v", path, err)
		return
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Errorf("%s %s: %v", path, sheet, err)
			continue
		}
		for i, row := range rows {
			for j, v := range row {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				checkExportCell(t, f, path, sheet, cell, v, seen)
			}
		}
	}
}

func checkExportCell(t *testing.T, f *excelize.File, path, sheet, cell, v string, seen map[string]bool) {
	t.Helper()
	if formula, _ := f.GetCellFormula(sheet, cell); formula != "" && plantedIn(formula) {
		t.Errorf("%s %s!%s is a formula from user text: %s", path, sheet, cell, formula)
	}
	if plantedIn(v) {
		for _, k := range []string{"roster", "gradebook", "questions", "certificates", "pay", "assessment"} {
			if strings.Contains(path, k) {
				seen[k] = true
			}
		}
		if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeNumber && !strings.HasPrefix(v, "'") && startsRisky(v) {
			t.Errorf("%s %s!%s holds %q unescaped: Excel would read it as a formula", path, sheet, cell, v)
		}
	}
}

func plantedIn(s string) bool {
	for _, h := range hostileCells {
		if strings.Contains(s, strings.TrimLeft(h, "=+-@＝＋－＠")) && len(strings.TrimLeft(h, "=+-@＝＋－＠")) > 2 {
			return true
		}
	}
	return strings.Contains(s, "evil.example") || strings.Contains(s, "calc")
}

func startsRisky(s string) bool {
	for _, r := range s {
		return strings.ContainsRune("=+-@\t\r＝＋－＠", r)
	}
	return false
}

// plantHostileText writes hostile text where users' text lives: the names of 城关镇's
// people and of a unit, an exam session, questions and certificates.
func plantHostileText(t *testing.T, env *apptest.Env, fx *fixture) {
	t.Helper()
	ctx := context.Background()
	db := env.Srv.DB
	fx.examAttemptID("chengguan")
	fx.certificateID("chengguan")
	fx.ratingID("chengguan")
	exec := func(q string, args ...any) {
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var staff []int64
	if err := db.NewSelect().Table("staff").Column("id").Where("org_id = ?", fx.orgs["chengguan"].ID).Order("id").Scan(ctx, &staff); err != nil {
		t.Fatal(err)
	}
	for i, id := range staff {
		h := hostileCells[i%len(hostileCells)]
		exec("UPDATE staff SET name = ?, position = ?, education = ? WHERE id = ?", h, h, h, id)
		exec("UPDATE users SET display_name = ? WHERE staff_id = ?", h, id)
	}
	exec("UPDATE exam_sessions SET name = ?", hostileCells[0])
	exec("UPDATE questions SET stem = ?, explanation = ?", hostileCells[1], hostileCells[3])
	exec("UPDATE certificates SET name = ?, occupation = ?", hostileCells[4], hostileCells[0])
}

var reportKey = regexp.MustCompile(`report\.xlsx\?key=([A-Za-z0-9_-]+)`)

// TestSecurityRosterImportThenExport takes hostile cells in through the roster import
// (good rows, stored, and a bad row, echoed in the error report) and checks the roster
// export and the error report workbook hold them as escaped text.
func TestSecurityRosterImportThenExport(t *testing.T) {
	eachStore(t, func(t *testing.T, env *apptest.Env) {
		head := []any{"工号", "姓名", "身份证号", "电话", "机构代码", "所属机构", "岗位", "用工性质", "入职日期", "学历", "在岗"}
		good := rosterBook(t, [][]any{head,
			{"QS9301", "王芳", "", "", "QS-CG", "", hostileCells[0], "编外", "2025/9/1", "本科", ""},
			{"QS9302", "李明", "", "", "QS-CG", "", hostileCells[3], "编外", "2025/9/1", "本科", ""},
			{"QS9303", "赵敏", "", "", "QS-CG", "", hostileCells[6], "编外", "2025/9/1", "本科", ""},
			{"QS9304", "钱进", "", "", "QS-CG", "", hostileCells[7], "编外", "2025/9/1", "本科", ""}})
		r := sendUpload(env, nil, uploadRoute{"POST", "/api/v1/exports/roster/import", "file", "", nil, true}, "roster.xlsx", good)
		mustStatus(t, r, 200, "roster import with hostile cells")
		seen := map[string]bool{}
		roster := env.Do(apptest.Request{Method: "GET", Path: "/exports/roster.xlsx", Cookie: env.Login("hr.chengguan")})
		scanWorkbook(t, "/exports/roster.xlsx", []byte(roster.Body), seen)
		bad := rosterBook(t, [][]any{head, {"QS9309", hostileCells[1], "", "", "NO-SUCH", "", hostileCells[0], "编外", "", hostileCells[4], ""}})
		page := sendUpload(env, nil, uploadRoute{"POST", "/exports/roster/import", "file", "", nil, true}, "roster.xlsx", bad)
		m := reportKey.FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatalf("no error report offered: %d %.300s", page.Status, page.Body)
		}
		if !seen["roster"] {
			t.Errorf("the imported hostile cells did not come back in the roster export")
		}
		other := env.Do(apptest.Request{Method: "GET", Path: "/exports/roster/import/report.xlsx?key=" + m[1], Cookie: env.Login("hr.chengguan")})
		if other.Status != http.StatusNotFound {
			t.Errorf("another importer fetched the admin's error report by its key: %d", other.Status)
		}
		rep := env.Do(apptest.Request{Method: "GET", Path: "/exports/roster/import/report.xlsx?key=" + m[1], Cookie: env.Login("admin")})
		seen = map[string]bool{}
		scanWorkbook(t, "/exports/roster/import/report.xlsx", []byte(rep.Body), seen)
		if !seen["roster"] {
			t.Errorf("the hostile cells did not come back in the error report")
		}
	})
}

func rosterBook(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
