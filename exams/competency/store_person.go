package competency

import (
	"context"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
)

// PersonMastery is one member of staff's mastery of every branch with the evidence
// behind each figure, under the settings of their unit.
type PersonMastery struct {
	Person
	OrgPath  string   `json:"-"`
	Branches []Branch `json:"branches"`
	Settings Settings `json:"settings"`
}

// FindPersonMastery figures one member of staff's mastery.
func (s *Store) FindPersonMastery(ctx context.Context, staffID int64) (*PersonMastery, error) {
	p, err := s.person(ctx, staffID)
	if err != nil {
		return nil, err
	}
	set, err := s.SettingsFor(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	ev, names, err := s.evidenceBy(ctx, s.feedQuery("", staffID))
	if err != nil {
		return nil, err
	}
	branches, err := s.branches(ctx, names)
	if err != nil {
		return nil, err
	}
	pm := &PersonMastery{Person: *p, OrgPath: p.orgPath, Branches: branches, Settings: set}
	now := s.now()
	for _, b := range branches {
		c := personCell(ev[staffID][b.Code], b.Code, set, now)
		if c.Band == BandGap {
			pm.Gaps++
		}
		pm.Cells = append(pm.Cells, c)
	}
	return pm, nil
}

// FindStaffIDByUser is the member of staff behind an account, 0 for none.
func (s *Store) FindStaffIDByUser(ctx context.Context, userID int64) (int64, error) {
	var id *int64
	err := s.db.NewSelect().Table("users").Column("staff_id").Where("id = ?", userID).Scan(ctx, &id)
	if err != nil || id == nil {
		return 0, err
	}
	return *id, nil
}

// person reads one member of staff with their unit and account.
func (s *Store) person(ctx context.Context, staffID int64) (*Person, error) {
	list, err := s.findStaff(ctx, func(q *bun.SelectQuery) *bun.SelectQuery { return q.Where("st.id = ?", staffID) })
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, web.Errorf(web.ENOTFOUND, "人员不存在")
	}
	return &list[0], nil
}
