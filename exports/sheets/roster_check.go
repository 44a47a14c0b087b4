package sheets

import (
	"context"
	"database/sql"
	"strings"

	"clerkskill/app/web"
	"clerkskill/exports"
	"clerkskill/rbac"
)

// rosterCheck reads every row of an uploaded roster against what is stored.
type rosterCheck struct {
	tab      *exports.Table
	pos      []int
	rep      *exports.Report
	orgs     map[string]*rbac.OrgUnit // units in the importer's scope, by code
	scope    rbac.Scope
	existing map[string]*Person // people stored with the file's 工号
	idOwner  map[string]string  // 身份证号 stored → its 工号
	empRows  map[string]int     // 工号 → first row in the file
	idRows   map[string]int     // 身份证号 → first row in the file
}

func (s *Store) newRosterCheck(ctx context.Context, scope rbac.Scope, tab *exports.Table, pos []int) (*rosterCheck, error) {
	units, err := s.people.FindOrgs(ctx, rbac.OrgFilter{Scope: scope})
	if err != nil {
		return nil, err
	}
	c := newCheck(scope, tab, pos, units)
	return c, s.loadStored(ctx, c)
}

// newCheck starts a check of tab against units (the importer's scope); loadStored then
// adds the stored people the file names.
func newCheck(scope rbac.Scope, tab *exports.Table, pos []int, units []*rbac.OrgUnit) *rosterCheck {
	c := &rosterCheck{tab: tab, pos: pos, scope: scope, orgs: map[string]*rbac.OrgUnit{}, existing: map[string]*Person{},
		idOwner: map[string]string{}, empRows: map[string]int{}, idRows: map[string]int{},
		rep: &exports.Report{Rows: len(tab.Rows), Header: tab.Header, Source: tab.Rows}}
	for _, u := range units {
		c.orgs[u.Code] = u
	}
	return c
}

// loadStored finds the stored people the file names by 工号 and by 身份证号, whatever
// their unit, in chunks.
func (s *Store) loadStored(ctx context.Context, c *rosterCheck) error {
	var emps, ids []string
	for _, r := range c.tab.Rows {
		cells := exports.Cells(r, c.pos)
		emps = append(emps, exports.Text(cells[rcEmpNo]))
		if id := strings.ToUpper(exports.Text(cells[rcIDNumber])); id != "" && !strings.Contains(id, "*") {
			ids = append(ids, id)
		}
	}
	for chunk := range chunks(emps, 500) {
		var found []*Person
		if err := s.personQuery(rbac.Scope{"/"}).Where("s.emp_no IN (?)", bunIn(chunk)).Scan(ctx, &found); err != nil {
			return err
		}
		for _, p := range found {
			c.existing[p.EmpNo] = p
		}
	}
	for chunk := range chunks(ids, 500) {
		var found []struct {
			EmpNo    string         `bun:"emp_no"`
			IDNumber sql.NullString `bun:"id_number"`
		}
		err := s.db.NewSelect().Table("staff").Column("emp_no", "id_number").Where("id_number IN (?)", bunIn(chunk)).Scan(ctx, &found)
		if err != nil {
			return err
		}
		for _, f := range found {
			c.idOwner[f.IDNumber.String] = f.EmpNo
		}
	}
	return nil
}

// run checks every row and returns the changes to make.
func (c *rosterCheck) run(progress Progress) []rbac.StaffChange {
	var out []rbac.StaffChange
	for i, r := range c.tab.Rows {
		if ch, ok := c.row(r); ok {
			out = append(out, ch)
		}
		progress.report(i+1, len(c.tab.Rows))
	}
	c.rep.SortErrors(rosterHeaders)
	return out
}

// row reads one row into a change, reporting each problem on the report.
func (c *rosterCheck) row(r exports.SourceRow) (rbac.StaffChange, bool) {
	cells := exports.Cells(r, c.pos)
	before := c.rep.Total
	st := c.staff(r.No, cells)
	prev := c.existing[st.EmpNo]
	c.keepMaskedID(st, prev, cells[rcIDNumber])
	c.validate(r.No, st)
	c.duplicates(r.No, st)
	if prev != nil && !c.scope.Covers(prev.OrgPath) {
		c.rep.Add(r.No, "工号", "工号 %s 已被其他单位的人员使用", st.EmpNo)
	}
	if c.rep.Total > before {
		return rbac.StaffChange{}, false
	}
	if prev == nil {
		return rbac.StaffChange{New: &rbac.NewStaff{Staff: *st}}, true
	}
	return rbac.StaffChange{ID: prev.ID, Update: update(st)}, true
}

// staff reads the cells into a staff record, reporting unreadable cells.
func (c *rosterCheck) staff(no int, cells []string) *rbac.Staff {
	st := &rbac.Staff{EmpNo: exports.Text(cells[rcEmpNo]), Name: exports.Normalize(cells[rcName]),
		Phone: exports.Text(cells[rcPhone]), Position: exports.Normalize(cells[rcPosition]),
		Education: exports.Normalize(cells[rcEducation]), Active: true}
	if id := strings.ToUpper(exports.Text(cells[rcIDNumber])); id != "" {
		st.IDNumber = &id
	}
	code := exports.Text(cells[rcOrgCode])
	if o := c.orgs[code]; o != nil {
		st.OrgID = o.ID
	} else if code != "" {
		c.rep.Add(no, "机构代码", "机构代码“%s”不存在或不在您管理的范围内", code)
	}
	st.EmploymentType = employmentByLabel(exports.Normalize(cells[rcEmployment]))
	c.hireDate(no, st, cells[rcHireDate])
	switch exports.Normalize(cells[rcActive]) {
	case "", "是", "在岗":
	case "否", "离岗":
		st.Active = false
	default:
		c.rep.Add(no, "在岗", "请填写 是 或 否")
	}
	return st
}

func (c *rosterCheck) hireDate(no int, st *rbac.Staff, cell string) {
	if strings.TrimSpace(cell) == "" {
		return
	}
	t, err := exports.ParseDate(cell)
	if err != nil {
		c.rep.Add(no, "入职日期", "%s", err.Error())
		return
	}
	st.HireDate = &rbac.Date{Time: t}
}

func employmentByLabel(label string) rbac.EmploymentType {
	for _, t := range rbac.EmploymentTypes {
		if t.Label() == label || string(t) == label {
			return t
		}
	}
	return rbac.EmploymentType(label)
}

// keepMaskedID leaves a stored ID unchanged when the cell is empty or the masked form an
// export without the pii right wrote.
func (c *rosterCheck) keepMaskedID(st *rbac.Staff, prev *Person, cell string) {
	if prev == nil || st.IDNumber == nil && cell == "" {
		return
	}
	if st.IDNumber == nil || (strings.Contains(*st.IDNumber, "*") && prev.IDNumber.Valid &&
		exports.MaskID(prev.IDNumber.String) == *st.IDNumber) {
		if prev.IDNumber.Valid {
			v := prev.IDNumber.String
			st.IDNumber = &v
		}
	}
}

func (c *rosterCheck) validate(no int, st *rbac.Staff) {
	err := st.Validate()
	e, ok := err.(*web.Error)
	if !ok || e == nil {
		return
	}
	for field, msg := range e.Fields {
		col := fieldColumns[field]
		if field == "org_id" { // an unknown code was reported already, a blank one here
			if c.rep.Has(no, col) {
				continue
			}
			msg = "请填写机构代码"
		}
		c.rep.Add(no, col, "%s", msg)
	}
}

// duplicates refuses a 工号 or 身份证号 the file repeats, or an ID stored for someone else.
func (c *rosterCheck) duplicates(no int, st *rbac.Staff) {
	if first, ok := c.empRows[st.EmpNo]; ok && st.EmpNo != "" {
		c.rep.Add(no, "工号", "与第 %d 行的工号重复", first)
	} else {
		c.empRows[st.EmpNo] = no
	}
	if st.IDNumber == nil {
		return
	}
	id := *st.IDNumber
	if first, ok := c.idRows[id]; ok {
		c.rep.Add(no, "身份证号", "与第 %d 行的身份证号重复", first)
		return
	}
	c.idRows[id] = no
	if owner, ok := c.idOwner[id]; ok && owner != st.EmpNo {
		c.rep.Add(no, "身份证号", "身份证号已登记在其他人员名下")
	}
}

// update changes every field the roster holds.
func update(st *rbac.Staff) rbac.StaffUpdate {
	return rbac.StaffUpdate{Name: &st.Name, IDNumber: st.IDNumber, Phone: &st.Phone, OrgID: &st.OrgID,
		Position: &st.Position, EmploymentType: &st.EmploymentType, HireDate: st.HireDate,
		Education: &st.Education, Active: &st.Active}
}
