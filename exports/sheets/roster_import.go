package sheets

import (
	"context"
	"errors"
	"io"
	"strings"

	"clerkskill/app/web"
	"clerkskill/exports"
	"clerkskill/rbac"
)

// NewAccount is the account opened for a person the import added, with the one-time
// password to hand over (shown once).
type NewAccount struct {
	EmpNo    string `json:"emp_no"`
	Name     string `json:"name"`
	Username string `json:"username"`
	Password string `json:"password"`
}

// RosterImport is what a roster import did, or, when refused, the report saying why.
type RosterImport struct {
	Rows     int             `json:"rows"`
	Added    int             `json:"added"`
	Updated  int             `json:"updated"`
	Accounts []NewAccount    `json:"accounts"`
	Report   *exports.Report `json:"report,omitempty"`
}

// rosterHeaders are the template's column names.
var rosterHeaders = func() []string {
	out := make([]string, len(RosterColumns))
	for i, c := range RosterColumns {
		out[i] = c.Header
	}
	return out
}()

// fieldColumns maps Staff.Validate's field names to the template's columns.
var fieldColumns = map[string]string{"emp_no": "工号", "name": "姓名", "id_number": "身份证号", "phone": "电话",
	"org_id": "机构代码", "employment_type": "用工性质", "education": "学历", "position": "岗位"}

// ImportRoster adds and updates the people in the uploaded roster, all or none, within
// scope (the importer's roster:import subtrees): units by code must lie in it, and so
// must the current unit of anyone updated. When any row is wrong nothing changes and the
// result's report lists every problem by row and column.
func (s *Store) ImportRoster(ctx context.Context, actor int64, scope rbac.Scope, r io.Reader, progress Progress) (*RosterImport, error) {
	wb, err := exports.Open(r, exports.Limits{})
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
	chk, err := s.newRosterCheck(ctx, scope, tab, pos)
	if err != nil {
		return nil, err
	}
	changes := chk.run(progress)
	res := &RosterImport{Rows: len(tab.Rows), Report: chk.rep}
	if !chk.rep.OK() {
		return res, chk.rep.Err("人员")
	}
	return res, s.applyRoster(ctx, actor, changes, res)
}

func (s *Store) applyRoster(ctx context.Context, actor int64, changes []rbac.StaffChange, res *RosterImport) error {
	pws, err := s.people.ImportStaff(ctx, actor, changes)
	if err != nil {
		return importFailed(err)
	}
	for i, c := range changes {
		if c.New == nil {
			res.Updated++
			continue
		}
		res.Added++
		res.Accounts = append(res.Accounts, NewAccount{EmpNo: c.New.EmpNo, Name: c.New.Name,
			Username: strings.ToLower(c.New.EmpNo), Password: pws[i]})
	}
	res.Report = nil
	return nil
}

// importFailed says which row the store refused (a race with another change, since every
// row was checked first).
func importFailed(err error) error {
	var we *web.Error
	if errors.As(err, &we) {
		return web.Errorf(we.Code, "未导入任何人员：%s", strings.TrimPrefix(err.Error(), we.Code+": "))
	}
	return err
}
