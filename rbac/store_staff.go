package rbac

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// StaffFilter narrows FindStaff. Scope is required.
type StaffFilter struct {
	Scope          Scope
	Under          string // an org path: only that unit and its subtree
	Query          string
	EmploymentType EmploymentType
	Active         *bool
	Page           Page
}

// FindStaffByID returns one staff member with their unit.
func (s *Store) FindStaffByID(ctx context.Context, id int64) (*Staff, error) {
	return findStaff(ctx, s.db, id)
}

func findStaff(ctx context.Context, tx bun.IDB, id int64) (*Staff, error) {
	st := new(Staff)
	err := tx.NewSelect().Model(st).Relation("Org").Where("s.id = ?", id).Scan(ctx)
	return st, notFound(err, "人员")
}

// FindStaff lists staff in scope by 工号, with the total for paging.
func (s *Store) FindStaff(ctx context.Context, f StaffFilter) ([]*Staff, int, error) {
	var out []*Staff
	f.Page = f.Page.normalize()
	q := s.db.NewSelect().Model(&out).Relation("Org")
	q = f.Scope.Where(q, "org.path")
	if f.Under != "" {
		q = Scope{f.Under}.Where(q, "org.path")
	}
	if v := strings.TrimSpace(f.Query); v != "" {
		q = q.Where("(s.name LIKE ? OR s.emp_no LIKE ?)", "%"+v+"%", v+"%")
	}
	if f.EmploymentType != "" {
		q = q.Where("s.employment_type = ?", f.EmploymentType)
	}
	if f.Active != nil {
		q = q.Where("s.active = ?", *f.Active)
	}
	n, err := q.Order("s.emp_no").Offset(int64(f.Page.Offset)).Limit(int64(f.Page.Limit)).ScanAndCount(ctx)
	return out, int(n), err
}

// NewStaff is what HR enters to add a person; an account is opened with it.
type NewStaff struct {
	Staff
	Username string `json:"username"` // defaults to the lower-cased 工号
	Password string `json:"password"` // defaults to a one-time password
}

// CreateStaff adds a staff member, opens their account with the trainee role at their
// unit, and returns the one-time password when none was given.
func (s *Store) CreateStaff(ctx context.Context, actor int64, in *NewStaff) (*User, string, error) {
	u, pw, err := prepareStaff(ctx, in)
	if err != nil {
		return nil, "", err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.createStaffTx(ctx, tx, actor, &in.Staff, u); err != nil {
			return err
		}
		return grantsChanged(ctx, tx, u.ID)
	})
	if err != nil {
		return nil, "", err
	}
	if in.Password != "" {
		pw = ""
	}
	return u, pw, s.enf.reloadUser(ctx, s.db, u.ID)
}

// prepareStaff validates a new staff member and makes their account with a hashed
// password (the one-time password when none was given).
func prepareStaff(ctx context.Context, in *NewStaff) (*User, string, error) {
	if err := in.Staff.Validate(); err != nil {
		return nil, "", err
	}
	pw, err := initialPassword(in.Password)
	if err != nil {
		return nil, "", err
	}
	hash, err := HashPassword(ctx, pw)
	if err != nil {
		return nil, "", err
	}
	u := &User{Username: in.Username, DisplayName: in.Name, PasswordHash: hash, Active: true, MustChangePassword: true}
	if u.Username == "" {
		u.Username = strings.ToLower(in.EmpNo)
	}
	return u, pw, u.Validate()
}

func initialPassword(given string) (string, error) {
	if given == "" {
		return RandomPassword(), nil
	}
	return given, ValidatePassword(given)
}

func (s *Store) createStaffTx(ctx context.Context, tx bun.Tx, actor int64, st *Staff, u *User) error {
	if _, err := findOrg(ctx, tx, st.OrgID); err != nil {
		return err
	}
	st.Active = true
	st.CreatedAt, st.UpdatedAt = s.now(), s.now()
	if _, err := tx.NewInsert().Model(st).Returning("id").Exec(ctx); err != nil {
		return staffConflict(err, st)
	}
	u.StaffID = &st.ID
	if err := s.insertUser(ctx, tx, u); err != nil {
		return err
	}
	g := &Grant{UserID: u.ID, Role: RoleTrainee, OrgID: st.OrgID}
	if err := s.insertGrant(ctx, tx, actor, g); err != nil {
		return err
	}
	return s.audit(ctx, tx, actor, "staff.create", "staff", st.ID, &st.OrgID, st.WithMaskedID())
}

func staffConflict(err error, st *Staff) error {
	if !db.IsUniqueViolation(err) {
		return err
	}
	if strings.Contains(err.Error(), "id_number") {
		return web.Errorf(web.ECONFLICT, "身份证号码已登记在其他人员名下")
	}
	return web.Errorf(web.ECONFLICT, "工号 %s 已存在", st.EmpNo)
}

// StaffUpdate holds the fields a PATCH may change; nil means unchanged.
type StaffUpdate struct {
	Name           *string         `json:"name"`
	IDNumber       *string         `json:"id_number"`
	Phone          *string         `json:"phone"`
	OrgID          *int64          `json:"org_id"`
	Position       *string         `json:"position"`
	EmploymentType *EmploymentType `json:"employment_type"`
	HireDate       *Date           `json:"hire_date"`
	Education      *string         `json:"education"`
	Active         *bool           `json:"active"`
}

// UpdateStaff changes a staff record. Moving someone to another unit moves their trainee
// grant with them; deactivating them closes their account, ends its sessions and revokes
// its API tokens.
func (s *Store) UpdateStaff(ctx context.Context, actor, id int64, upd StaffUpdate) (*Staff, error) {
	st, _, err := s.UpdateStaffRevoking(ctx, actor, id, upd)
	return st, err
}

// UpdateStaffRevoking is UpdateStaff, also returning how many API tokens a deactivation
// revoked, for the reply to whoever deactivated.
func (s *Store) UpdateStaffRevoking(ctx context.Context, actor, id int64, upd StaffUpdate) (*Staff, int, error) {
	var userID int64
	var revoked int
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if userID, revoked, err = s.updateStaffTx(ctx, tx, actor, id, upd); err != nil || userID == 0 {
			return err
		}
		return grantsChanged(ctx, tx, userID) // a move or a deactivation changes what they may do
	})
	if err != nil {
		return nil, 0, err
	}
	if userID != 0 {
		err = s.enf.reloadUser(ctx, s.db, userID)
	}
	st, _ := findStaff(ctx, s.db, id)
	return st, revoked, err
}

// updateStaffTx changes one staff record inside tx and returns the bound account's id
// and how many of its API tokens a deactivation revoked.
func (s *Store) updateStaffTx(ctx context.Context, tx bun.Tx, actor, id int64, upd StaffUpdate) (userID int64, revoked int, err error) {
	st, err := findStaff(ctx, tx, id)
	if err != nil {
		return 0, 0, err
	}
	oldOrg := st.OrgID
	applyStaffUpdate(st, upd)
	if err := st.Validate(); err != nil {
		return 0, 0, err
	}
	st.UpdatedAt = s.now()
	if _, err := tx.NewUpdate().Model(st).ExcludeColumn("id", "emp_no", "created_at").WherePK().Exec(ctx); err != nil {
		return 0, 0, staffConflict(err, st)
	}
	if userID, err = s.syncAccount(ctx, tx, st, oldOrg); err != nil {
		return 0, 0, err
	}
	if userID != 0 && !st.Active {
		if revoked, err = s.endAccess(ctx, tx, actor, userID, "deactivate"); err != nil {
			return 0, 0, err
		}
	}
	return userID, revoked, s.audit(ctx, tx, actor, "staff.update", "staff", st.ID, &st.OrgID, maskUpdate(upd))
}

// StaffChange is one row of a bulk roster change: ID names the staff member to update
// with Update; when ID is 0, New is added with an account, as CreateStaff does.
type StaffChange struct {
	ID     int64
	Update StaffUpdate
	New    *NewStaff
}

// ImportStaff applies every change in one transaction, all or none (the roster import),
// and returns the one-time passwords of the people added, by change index.
func (s *Store) ImportStaff(ctx context.Context, actor int64, changes []StaffChange) (map[int]string, error) {
	users, pws, err := prepareAll(ctx, changes)
	if err != nil {
		return nil, err
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for i, c := range changes {
			var err error
			if c.New != nil {
				err = s.createStaffTx(ctx, tx, actor, &c.New.Staff, users[i])
			} else {
				_, _, err = s.updateStaffTx(ctx, tx, actor, c.ID, c.Update)
			}
			if err != nil {
				return fmt.Errorf("row %d: %w", i+1, err)
			}
		}
		return grantsChanged(ctx, tx) // one notice for the whole roster
	})
	if err != nil {
		return nil, err
	}
	return pws, s.enf.Reload()
}

// prepareAll makes the accounts of the people added, hashing their passwords two at a
// time (each hash is the cost of a login).
func prepareAll(ctx context.Context, changes []StaffChange) (map[int]*User, map[int]string, error) {
	users, pws := map[int]*User{}, map[int]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var first error
	slots := make(chan struct{}, 2)
	for i, c := range changes {
		if c.New == nil {
			continue
		}
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			u, pw, err := prepareStaff(ctx, c.New)
			mu.Lock()
			defer mu.Unlock()
			users[i], pws[i] = u, pw
			if err != nil && first == nil {
				first = fmt.Errorf("row %d: %w", i+1, err)
			}
		}()
	}
	wg.Wait()
	return users, pws, first
}

func applyStaffUpdate(st *Staff, u StaffUpdate) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&st.Name, u.Name)
	set(&st.Phone, u.Phone)
	set(&st.Position, u.Position)
	set(&st.Education, u.Education)
	if u.IDNumber != nil {
		st.IDNumber = u.IDNumber
	}
	if u.OrgID != nil {
		st.OrgID = *u.OrgID
	}
	if u.EmploymentType != nil {
		st.EmploymentType = *u.EmploymentType
	}
	if u.HireDate != nil {
		st.HireDate = u.HireDate
	}
	if u.Active != nil {
		st.Active = *u.Active
	}
}

func maskUpdate(u StaffUpdate) StaffUpdate {
	if u.IDNumber != nil {
		m := MaskID(*u.IDNumber)
		u.IDNumber = &m
	}
	return u
}

// syncAccount keeps the bound account in step with the staff record and returns its id.
func (s *Store) syncAccount(ctx context.Context, tx bun.Tx, st *Staff, oldOrg int64) (int64, error) {
	u := new(User)
	err := tx.NewSelect().Model(u).Where("staff_id = ?", st.ID).Scan(ctx)
	if db.IsNoRows(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if _, err := findOrg(ctx, tx, st.OrgID); err != nil {
		return 0, err
	}
	if st.OrgID != oldOrg {
		if _, err := tx.NewUpdate().Model((*Grant)(nil)).Set("org_id = ?", st.OrgID).
			Where("user_id = ? AND role = ? AND org_id = ?", u.ID, RoleTrainee, oldOrg).Exec(ctx); err != nil {
			return 0, err
		}
	}
	_, err = tx.NewUpdate().Model(u).Set("active = ?", st.Active).Set("display_name = ?", st.Name).
		Set("updated_at = ?", s.now()).WherePK().Exec(ctx)
	return u.ID, err
}

// StaffCounts summarises a roster.
type StaffCounts struct {
	Total  int `bun:"total" json:"total"`
	Active int `bun:"active" json:"active"`
}

// CountStaff counts staff in scope, all and active.
func (s *Store) CountStaff(ctx context.Context, scope Scope) (StaffCounts, error) {
	var out StaffCounts
	q := s.db.NewSelect().TableExpr("staff AS s").Join("JOIN org_units AS org ON org.id = s.org_id").
		ColumnExpr("COUNT(*) AS total").
		ColumnExpr("COALESCE(SUM(CASE WHEN s.active THEN 1 ELSE 0 END), 0) AS active")
	err := scope.Where(q, "org.path").Scan(ctx, &out)
	return out, err
}
