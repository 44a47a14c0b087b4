package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"clerkskill/app/db/dbtest"
	"clerkskill/exports"
)

// TestSheetCommands imports a roster from the command line (refused whole, then taken),
// and exports it, the register and the 考核表, with progress on stderr.
func TestSheetCommands(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			c := newCLI(t, d)
			dir := t.TempDir()
			c.must("schema at version", "migrate")
			c.must("created", "org", "add", "--code", "QS", "--name", "青山县政务服务中心", "--tier", "county")
			header := []any{"工号", "姓名", "身份证号", "电话", "机构代码", "所属机构", "岗位", "用工性质", "入职日期", "学历", "在岗"}
			bad := rosterFile(t, dir, "bad.xlsx", header, []any{"QS1", "张三", "", "", "QS", "", "", "临时工", "", "", ""})
			c.fails("第 2 行“用工性质”", "import", "roster", bad)
			good := rosterFile(t, dir, "good.xlsx", header, []any{"QS1", "张三", "990102199001010015", "", "QS", "", "", "编内", "2024/3/1", "", ""},
				[]any{"QS2", "李四", "", "", "QS", "", "", "编外", "45352", "", ""})
			code, out, errs := c.run("import", "roster", good, "--org", "QS")
			if code != 0 || !strings.Contains(out, "2 added") || !strings.Contains(out, "qs1") || !strings.Contains(errs, "2/2") {
				t.Fatalf("import: exit %d, stdout %q, stderr %q", code, out, errs)
			}
			roster := filepath.Join(dir, "roster.xlsx")
			c.must("exported 2 staff", "export", "roster", "-o", roster)
			if s := dumpFile(t, roster); !strings.Contains(s, "990***********0015") || !strings.Contains(s, "2024-03-01") {
				t.Errorf("roster:\n%s", s)
			}
			c.must("exported 2 staff", "export", "roster", "--pii", "-o", roster)
			if s := dumpFile(t, roster); !strings.Contains(s, "990102199001010015") {
				t.Errorf("roster with --pii:\n%s", s)
			}
			c.must("exported 0 certificate(s)", "export", "certificates", "--org", "QS", "-o", filepath.Join(dir, "reg.xlsx"))
			c.must("exported 1 考核表", "export", "assessment", "--org", "QS", "--staff", "QS2", "--year", "2026", "-o", filepath.Join(dir, "a.xlsx"))
			c.fails("-o must name an .xlsx file", "export", "roster", "-o", filepath.Join(dir, "roster.csv"))
		})
	}
}

func rosterFile(t *testing.T, dir, name string, rows ...[]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", ref, &r); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, name)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func dumpFile(t *testing.T, path string) string {
	t.Helper()
	s, err := exports.Dump(mustOpen(t, path))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
