package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"clerkskill/app/db/dbtest"
	"clerkskill/exams/bank"
)

func TestImportExportCommands(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			c := newCLI(t, d)
			dir := t.TempDir()
			write := func(name, text string) string {
				p := filepath.Join(dir, name)
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				return p
			}
			good := write("good.txt", "材料不齐全时应当？\nA. 退回\nB. 一次性告知\nANSWER: B\n\n首问负责制要求？\nA. 推诿\nB. 负责到底\nC. 转交\nANSWER: B\n")
			bad := write("bad.txt", "材料不齐全时应当？\nA. 退回\nB. 一次性告知\nANSWER: E\n")
			gift := write("q.gift", "窗口可以要求提供法定以外的材料。{F}\n\n问答 {}\n")

			c.must("schema at version", "migrate")
			c.must("created", "org", "add", "--code", "QS", "--name", "青山县政务服务中心", "--tier", "county")
			c.fails("默认标准代码", "import", "questions", good, "--level", "5")
			c.fails("第 1 行“答案”", "import", "questions", bad, "--owner", "QS", "--level", "5,4", "--code", "2.1")
			c.fails("不支持问答题", "import", "questions", "--level", "5", "--code", "2.1", gift)
			c.fails("unknown subcommand", "import", "payslips", good)
			c.must("0 question(s)", "export", "questions", "-o", filepath.Join(dir, "empty.xlsx"))

			code, out, errs := c.run("import", "questions", good, "--owner", "QS", "--level", "5,4", "--code", "2.1", "--pool", "practice", "--score", "2")
			if code != 0 || !strings.Contains(out, "imported 2 question(s)") || !strings.Contains(out, "青山县政务服务中心") || !strings.Contains(errs, "2/2") {
				t.Fatalf("import: exit %d, stdout %q, stderr %q", code, out, errs)
			}
			xlsx := filepath.Join(dir, "bank.xlsx")
			c.must("exported 2 question(s)", "export", "questions", "-o", xlsx)
			f, err := excelize.OpenFile(xlsx)
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := f.GetRows(bank.SheetQuestions)
			f.Close()
			if len(rows) != 3 || rows[1][0] != "单选题" || rows[1][16] != "练习" {
				t.Errorf("exported rows %q", rows)
			}
			c.must("imported 2 question(s)", "import", "questions", xlsx, "--owner", "QS") // an export imports again
			c.must("exported 4 question(s)", "export", "questions", "-o", xlsx)
		})
	}
}
