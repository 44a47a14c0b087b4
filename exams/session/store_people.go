package session

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

// CandidateInput adds candidates one by one (by login name) or by whole org units: each
// active account holding the 综窗人员 (trainee) role anywhere in the unit's subtree.
type CandidateInput struct {
	Usernames []string `json:"usernames"`
	OrgIDs    []int64  `json:"org_ids"`
	Room      string   `json:"room"`
}

// AddCandidates adds people within scope to a session and returns how many were new.
func (s *Store) AddCandidates(ctx context.Context, sessionID int64, scope rbac.Scope, in CandidateInput) (int, error) {
	ids, err := s.traineesIn(ctx, scope, in)
	if err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, web.Invalid(map[string]string{"candidates": "没有找到可添加的考生（须为管理范围内持有综窗人员角色的在用账号）"})
	}
	rows := make([]*Candidate, len(ids))
	for i, id := range ids {
		rows[i] = &Candidate{SessionID: sessionID, UserID: id, Room: strings.TrimSpace(in.Room), AddedAt: s.now()}
	}
	q := s.db.NewInsert().Model(&rows)
	if rows[0].Room != "" {
		q = q.On("CONFLICT (session_id, user_id) DO UPDATE").Set("room = EXCLUDED.room")
	} else {
		q = q.On("CONFLICT (session_id, user_id) DO NOTHING")
	}
	res, err := q.Returning("").Exec(ctx)
	if err != nil {
		return 0, err
	}
	return int(rowsAffected(res)), nil
}

// traineesIn resolves the input to the ids of active trainee accounts within scope.
func (s *Store) traineesIn(ctx context.Context, scope rbac.Scope, in CandidateInput) ([]int64, error) {
	sub := scope
	if len(in.OrgIDs) > 0 {
		paths, err := s.people.OrgPathByID(ctx, in.OrgIDs...)
		if err != nil {
			return nil, err
		}
		sub = nil
		for _, id := range in.OrgIDs {
			p, ok := paths[id]
			if !ok || !scope.Covers(p) {
				return nil, web.Invalid(map[string]string{"org_ids": "所选机构不存在或不在您的管理范围内"})
			}
			sub = append(sub, p)
		}
	}
	names := cleanNames(in.Usernames)
	if len(names) == 0 && len(in.OrgIDs) == 0 {
		return nil, nil
	}
	var out []int64
	q := s.db.NewSelect().TableExpr("grants AS g").ColumnExpr("DISTINCT g.user_id").
		Join("JOIN org_units AS o ON o.id = g.org_id").Join("JOIN users AS u ON u.id = g.user_id").
		Where("g.role = ?", rbac.RoleTrainee).Where("u.active = ?", true)
	if len(names) > 0 {
		q = q.Where("u.username IN (?)", bun.In(names))
	}
	if err := sub.Where(q, "o.path").Scan(ctx, &out); err != nil {
		return nil, err
	}
	if len(names) > 0 && len(out) < len(names) {
		return nil, web.Invalid(map[string]string{"usernames": "部分账号不存在、已停用、不是综窗人员或不在您的管理范围内"})
	}
	return out, nil
}

func cleanNames(in []string) []string {
	var out []string
	for _, n := range in {
		for _, f := range strings.FieldsFunc(n, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '\n' || r == '、' }) {
			if f = strings.ToLower(strings.TrimSpace(f)); f != "" && !contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// RemoveCandidate takes a person off a session; one who has started cannot be removed.
func (s *Store) RemoveCandidate(ctx context.Context, sessionID, userID int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		started, err := tx.NewSelect().Model((*Attempt)(nil)).Where("session_id = ? AND user_id = ?", sessionID, userID).Exists(ctx)
		if err != nil {
			return err
		}
		if started {
			return web.Errorf(web.ECONFLICT, "该考生已开始作答，不能移出场次")
		}
		_, err = tx.NewDelete().Model((*Candidate)(nil)).Where("session_id = ? AND user_id = ?", sessionID, userID).Exec(ctx)
		return err
	})
}

// StaffInput names an invigilator or assessor by login name.
type StaffInput struct {
	Username string `json:"username"`
	Role     string `json:"role"`
	Room     string `json:"room"`
}

// AddStaff adds an invigilator or assessor: an active account holding any role within scope.
func (s *Store) AddStaff(ctx context.Context, sessionID int64, scope rbac.Scope, in StaffInput) error {
	f := map[string]string{}
	if in.Role != RoleInvigilator && in.Role != RoleAssessor {
		f["role"] = "请选择监考员或考评员"
	}
	names := cleanNames([]string{in.Username})
	if len(names) != 1 {
		f["username"] = "请填写一个账号"
	}
	if err := web.Invalid(f); err != nil {
		return err
	}
	var ids []int64
	q := s.db.NewSelect().TableExpr("grants AS g").ColumnExpr("DISTINCT g.user_id").
		Join("JOIN org_units AS o ON o.id = g.org_id").Join("JOIN users AS u ON u.id = g.user_id").
		Where("u.username = ?", names[0]).Where("u.active = ?", true)
	if err := scope.Where(q, "o.path").Scan(ctx, &ids); err != nil {
		return err
	}
	if len(ids) != 1 {
		return web.Invalid(map[string]string{"username": "账号不存在、已停用或不在您的管理范围内"})
	}
	m := &StaffMember{SessionID: sessionID, UserID: ids[0], Role: in.Role, Room: strings.TrimSpace(in.Room)}
	_, err := s.db.NewInsert().Model(m).On("CONFLICT (session_id, user_id, role) DO UPDATE").Set("room = EXCLUDED.room").Exec(ctx)
	return err
}

// RemoveStaff takes an invigilator or assessor off a session.
func (s *Store) RemoveStaff(ctx context.Context, sessionID, userID int64, role string) error {
	_, err := s.db.NewDelete().Model((*StaffMember)(nil)).Where("session_id = ? AND user_id = ? AND role = ?", sessionID, userID, role).Exec(ctx)
	return err
}

// FindCandidates lists a session's candidates with their names, by room and name.
func (s *Store) FindCandidates(ctx context.Context, sessionID int64) ([]*Candidate, error) {
	var list []*Candidate
	err := s.db.NewSelect().Model(&list).ColumnExpr("sc.*, u.display_name AS name, u.username AS username").
		Join("JOIN users AS u ON u.id = sc.user_id").Where("sc.session_id = ?", sessionID).
		OrderExpr("sc.room, u.username").Scan(ctx)
	return list, err
}

// FindStaff lists a session's invigilators and assessors with their names.
func (s *Store) FindStaff(ctx context.Context, sessionID int64) ([]*StaffMember, error) {
	var list []*StaffMember
	err := s.db.NewSelect().Model(&list).ColumnExpr("ss2.*, u.display_name AS name, u.username AS username").
		Join("JOIN users AS u ON u.id = ss2.user_id").Where("ss2.session_id = ?", sessionID).
		OrderExpr("ss2.role DESC, ss2.room, u.username").Scan(ctx)
	return list, err
}

// IsStaff reports whether user is an invigilator or assessor of the session (or of any
// session when sessionID is 0).
func (s *Store) IsStaff(ctx context.Context, sessionID, userID int64) (bool, error) {
	q := s.db.NewSelect().Model((*StaffMember)(nil)).Where("user_id = ?", userID)
	if sessionID != 0 {
		q = q.Where("session_id = ?", sessionID)
	}
	return q.Exists(ctx)
}

// IsCandidate reports whether user sits the session.
func (s *Store) IsCandidate(ctx context.Context, sessionID, userID int64) (bool, error) {
	return s.db.NewSelect().Model((*Candidate)(nil)).Where("session_id = ? AND user_id = ?", sessionID, userID).Exists(ctx)
}
