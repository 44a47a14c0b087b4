package sheets_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exports"
	"clerkskill/exports/exportstest"
	"clerkskill/exports/sheets"
	"clerkskill/rbac"
)

// validID is a well-formed resident ID with a fictional region code (990102).
const validID = "990102199001010015"

// TestRosterImport adds and updates people in one file, reading dates written as text
// and as Excel serials and full-width digits, then refuses bad files as a whole: nothing
// is half-imported, and the report names every row.
func TestRosterImport(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			env := apptest.New(t, dialect)
			scope := rbac.Scope{org(t, env, chengguan).Path}
			cg, dh := staffOf(t, env, chengguan), staffOf(t, env, donghu)
			t.Run("adds and updates", func(t *testing.T) { importGood(t, env, scope, cg[0]) })
			before := len(staffOf(t, env, "QS"))
			for _, tc := range badRosters(cg, dh) {
				t.Run(tc.name, func(t *testing.T) {
					res, err := env.Srv.Sheets.ImportRoster(ctx, 0, scope, bytes.NewReader(xlsx(t, tc.rows, tc.prep)), nil)
					wantCode(t, tc.name, err, tc.code, tc.want)
					if tc.golden != "" {
						var b bytes.Buffer
						must(t, res.Report.WriteWorkbook(&b, "花名册"))
						exportstest.Golden(t, tc.golden, b.Bytes())
					}
				})
			}
			if after := len(staffOf(t, env, "QS")); after != before {
				t.Errorf("refused files changed the roster: %d people, was %d", after, before)
			}
		})
	}
}

// importGood updates the first 城关镇 clerk (moved to a village, new phone, hired on an
// Excel serial date, ID left as the masked export wrote it) and adds a new one with a
// text date and full-width digits.
func importGood(t *testing.T, env *apptest.Env, scope rbac.Scope, prev *sheets.Person) {
	masked := exports.MaskID(prev.IDNumber.String)
	rows := [][]any{rosterHeader,
		{prev.EmpNo, prev.Name, masked, "１３９００１３９０００", village, "（不读）", "综合受理窗口", "编外", 45352, "本科", "是"},
		{"ＱＳ９００１", "周敏", validID, "", chengguan, "", "帮办代办窗口", "劳务派遣", "2024年3月1日", "", ""},
	}
	res, err := env.Srv.Sheets.ImportRoster(ctx, 0, scope, bytes.NewReader(xlsx(t, rows, nil)), nil)
	must(t, err)
	if res.Added != 1 || res.Updated != 1 || len(res.Accounts) != 1 || res.Accounts[0].Username != "qs9001" || res.Accounts[0].Password == "" {
		t.Fatalf("result = %+v", res)
	}
	got := map[string]*sheets.Person{}
	for _, p := range staffOf(t, env, chengguan) {
		got[p.EmpNo] = p
	}
	u, n := got[prev.EmpNo], got["QS9001"]
	if u == nil || n == nil {
		t.Fatalf("people missing after import: %v %v", u, n)
	}
	if u.OrgCode != village || u.Phone != "13900139000" || u.HireDate.String() != "2024-03-01" || u.IDNumber.String != prev.IDNumber.String ||
		u.EmploymentType != rbac.EmployNonEstablished || u.Education != "本科" {
		t.Errorf("updated = %+v", u)
	}
	if n.IDNumber.String != validID || n.HireDate.String() != "2024-03-01" || n.EmploymentType != rbac.EmployDispatched || !n.UserID.Valid {
		t.Errorf("added = %+v", n)
	}
}

type badRoster struct {
	name, code, want, golden string
	rows                     [][]any
	prep                     func(*excelize.File)
}

func badRosters(cg, dh []*sheets.Person) []badRoster {
	ok := []any{"QS9101", "吴婷", "", "", chengguan, "", "", "编内", "2020-01-01", "", ""}
	return []badRoster{
		{name: "wrong headers", code: web.EINVALID, want: "缺少列“工号”；无法识别的列“员工编号”。模板表头为：工号、姓名",
			rows: [][]any{append([]any{"员工编号"}, rosterHeader[1:]...), ok}},
		{name: "merged cells", code: web.EINVALID, want: "A2:A3 是合并单元格",
			rows: [][]any{rosterHeader, ok, {"", "李雷", "", "", chengguan, "", "", "编内", "", "", ""}},
			prep: func(f *excelize.File) { _ = f.MergeCell("花名册", "A2", "A3") }},
		{name: "rows wrong, report written", code: web.EINVALID, want: "未导入任何人员", golden: "import_report", rows: [][]any{rosterHeader,
			ok,
			{"QS9101", "吴婷婷", "", "", chengguan, "", "", "编内", "", "", ""},                    // duplicate 工号
			{"QS9102", "钱", "12345", "abc", "QS-XX", "", "", "临时工", "2024-02-30", "大学", "也许"}, // every field wrong
			{"QS9103", "孙悦", validID, "", chengguan, "", "", "编内", "", "", ""},                // ID
			{"QS9104", "李娜", validID, "", chengguan, "", "", "编内", "", "", ""},                // same ID again
			{"QS9105", "陈晨", cg[1].IDNumber.String, "", chengguan, "", "", "编内", "", "", ""},  // someone else's ID
			{"QS9106", "赵磊", "", "", donghu, "", "", "编内", "", "", ""},                        // a sibling's unit
			{dh[0].EmpNo, dh[0].Name, "", "", chengguan, "", "", "编内", "", "", ""},            // a sibling's person
			{"QS9107", "＝HYPERLINK(\"x\")", "", "", "", "", "", "编内", "", "", ""},             // formula, no unit
		}},
	}
}
