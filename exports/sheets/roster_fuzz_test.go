package sheets

import (
	"testing"
	"time"
	"unicode/utf8"

	"clerkskill/app/web/webtest"
	"clerkskill/exports/fuzztest"
	"clerkskill/rbac"
)

// fuzzUnits stand in for the importer's scope; the database is not needed to read rows.
var fuzzUnits = []*rbac.OrgUnit{{ID: 1, Code: "CG", Path: "/1/", Active: true}, {ID: 2, Code: "DH", Path: "/1/2/", Active: true}}

// FuzzRosterParse feeds the roster import's row checks the rows of a sheet as the shared
// reader gives them (a grid below the template's header, see fuzztest.Table; the
// reader and the header check are fuzzed in exports), up to the point where it would
// store. It never panics or hangs, refuses with an application error, and every change
// it would make holds a valid person in a known unit, while every refused row is in the
// report. Seeds are a row or two: the fuzzing engine minimises every input that finds
// new code a byte at a time, at a cost that grows with the square of its length.
func FuzzRosterParse(f *testing.F) {
	for _, rows := range rosterSeeds {
		f.Add(fuzztest.Grid(rows...))
	}
	f.Fuzz(func(t *testing.T, rows string) {
		if len(rows) > 1<<13 || !utf8.ValidString(rows) { // cells read from a workbook are UTF-8
			return
		}
		grid := fuzztest.Grid(rosterHeaders) + fuzztest.RowSep + rows
		start := time.Now()
		c, err := checkRoster(grid)
		webtest.Within(t, start)
		webtest.AppError(t, err)
		if err != nil {
			return
		}
		changes := c.run(nil)
		if len(changes)+c.rep.BadRows() != len(c.tab.Rows) {
			t.Errorf("%d rows: %d changes and %d reported rows", len(c.tab.Rows), len(changes), c.rep.BadRows())
		}
		for _, ch := range changes {
			if ch.New == nil || ch.New.Staff.Validate() != nil || (ch.New.OrgID != 1 && ch.New.OrgID != 2) {
				t.Errorf("would store a bad person %+v", ch.New)
			}
		}
	})
}

// checkRoster checks a grid as ImportRoster checks an upload, without the stored people.
func checkRoster(grid string) (*rosterCheck, error) {
	tab := fuzztest.Table(grid)
	pos, err := tab.Columns(rosterHeaders)
	if err != nil {
		return nil, err
	}
	return newCheck(rbac.Scope{"/1/"}, tab, pos, fuzzUnits), nil
}

// rosterSeeds are rows below the header: a good one, one with a formula-like name, a
// date serial and another's ID number, one wrong in every column, one with full-width
// and masked values, and none.
var rosterSeeds = [][][]string{
	{{"CG001", "张三", "990102199001010015", "13800000000", "CG", "城关", "综合窗口", "在编", "2024-03-01", "本科", "是"},
		{"CG002", "=李四", "990102199001010015", "", "DH", "", "", "编外", "45352", "", "否"}},
	{{"", "", "123", "x", "ZZ", "", "", "临时", "2024-13-45", "", "也许"}},
	{{"ｃｇ００３", "王五", "990102********0015", "", "CG"}},
	{},
}
