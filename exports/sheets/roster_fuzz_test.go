package sheets

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"clerkskill/app/web/webtest"
	"clerkskill/exports"
	"clerkskill/rbac"
)

// fuzzUnits stand in for the importer's scope; the database is not needed to read rows.
var fuzzUnits = []*rbac.OrgUnit{{ID: 1, Code: "CG", Path: "/1/", Active: true}, {ID: 2, Code: "DH", Path: "/1/2/", Active: true}}

// FuzzRosterParse feeds the roster import up to the point where it would store: the
// shared reader, the header check and every row's check. It never panics or hangs,
// refuses with an application error, and every change it would make holds a valid
// person in a known unit, while every refused row is in the report.
func FuzzRosterParse(f *testing.F) {
	for _, seed := range rosterSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		start := time.Now()
		c, err := checkRoster(b)
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

// checkRoster reads an upload as ImportRoster does, without the stored people.
func checkRoster(b []byte) (*rosterCheck, error) {
	wb, err := exports.Open(bytes.NewReader(b), exports.Limits{MaxBytes: 1 << 20, MaxRows: 200})
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	tab, err := wb.Table("", "人员")
	if err != nil {
		return nil, err
	}
	pos, err := tab.Columns(rosterHeaders)
	if err != nil {
		return nil, err
	}
	return newCheck(rbac.Scope{"/1/"}, tab, pos, fuzzUnits), nil
}

// rosterSeeds are the template, a filled roster with good and bad rows, and broken files.
func rosterSeeds(f *testing.F) [][]byte {
	var tmpl bytes.Buffer
	if err := WriteRosterTemplate(&tmpl); err != nil {
		f.Fatal(err)
	}
	x := excelize.NewFile()
	defer x.Close()
	rows := [][]any{
		anyRow(rosterHeaders...),
		{"CG001", "张三", "990102199001010015", "13800000000", "CG", "城关", "综合窗口", "在编", "2024-03-01", "本科", "是"},
		{"CG002", "=李四", "990102199001010015", "", "DH", "", "", "编外", 45352, "", "否"},
		{"", "", "123", "x", "ZZ", "", "", "临时", "2024-13-45", "", "也许"},
		{"ｃｇ００３", "王五", "990102********0015", "", "CG"},
	}
	for i, r := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", ref, &r); err != nil {
			f.Fatal(err)
		}
	}
	var filled bytes.Buffer
	if err := x.Write(&filled); err != nil {
		f.Fatal(err)
	}
	return [][]byte{tmpl.Bytes(), filled.Bytes(), filled.Bytes()[:filled.Len()/2], []byte("PK\x03\x04"), []byte("工号,姓名\n")}
}

func anyRow(ss ...string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
