package certify

import (
	"context"
	"fmt"
	"time"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

// ApplicationDemoSummary counts what SeedApplications wrote.
type ApplicationDemoSummary struct {
	Qualifications, Applications, Eligible, Approved, Placed, Exceptions, Rejected, Withdrawn int
}

// demoQualification is an HR record for the n-th demo person (nil: none).
func demoQualification(n int) *Qualification {
	d := func(y, m, day int) *rbac.Date {
		return &rbac.Date{Time: time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)}
	}
	switch n % 8 {
	case 0:
		return &Qualification{PriorServiceMonths: 36, EducationDetail: "临江职业技术学院行政管理专业", EducationDate: d(2011, 6, 30)}
	case 1:
		return &Qualification{PriorServiceMonths: 12, EducationDetail: "云川开放大学公共事业管理专业", EducationDate: d(2016, 1, 15)}
	case 2:
		return &Qualification{EducationDetail: "临江市职业中专文秘专业", EducationDate: d(2009, 7, 1), Title: "初级专业技术职称", TitleDate: d(2015, 10, 1)}
	case 3:
		return &Qualification{PriorServiceMonths: 60, EducationDetail: "云川师范大学汉语言文学专业", EducationDate: d(2006, 7, 1), Title: "中级专业技术职称", TitleDate: d(2019, 12, 1)}
	case 5:
		return &Qualification{PriorServiceMonths: 8, EducationDetail: "临江市第二中学"}
	}
	return nil
}

// demoReasons are the exception reasons HR writes, and why it turns one down.
const (
	demoExceptionReason = "该同志在县政务服务中心综合窗口连续两年获评“服务之星”，市级岗位练兵竞赛一等奖，经中心班子会研究同意破格申报"
	demoRejectNote      = "经核实，入职前从业经历无劳动合同或社保记录佐证，本次不予通过；补齐材料后可重新申报"
)

// SeedApplications writes the demo's 申报: HR records for some of the people, then for
// each an application for the level above the best one they hold (五级 to 三级; every
// third one level higher still), filed by themselves or by HR (hr). HR then decides them in a mix: eligible ones approved, the
// 五级 ones placed into session (when given), the first ineligible one approved as an
// exception with its reason, one turned down, one withdrawn by its applicant, the rest
// left waiting.
func (s *Store) SeedApplications(ctx context.Context, hr, session int64, staffIDs []int64) (ApplicationDemoSummary, error) {
	var sum ApplicationDemoSummary
	held, err := s.CurrentLevels(ctx, staffIDs, s.now())
	if err != nil {
		return sum, err
	}
	for i, id := range staffIDs {
		if q := demoQualification(i); q != nil {
			q.StaffID = id
			if err := s.SaveQualification(ctx, hr, q); err != nil {
				return sum, fmt.Errorf("demo qualification: %w", err)
			}
			sum.Qualifications++
		}
		level := 5
		if h, ok := held[id]; ok {
			level = h - 1
		}
		if i%3 == 2 && level > 3 {
			level-- // some go straight for the level above, on years or a diploma
		}
		if level < 3 {
			continue
		}
		if err := s.seedApplication(ctx, hr, session, i, id, level, &sum); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

func (s *Store) seedApplication(ctx context.Context, hr, session int64, i int, staffID int64, level int, sum *ApplicationDemoSummary) error {
	actor := hr
	if p, err := findApplicant(ctx, s.db, staffID); err == nil && p.UserID != nil && i%3 != 0 {
		actor = *p.UserID // most clerks apply themselves
	}
	a, err := s.Apply(ctx, actor, staffID, level)
	if code := web.ErrorCode(err); code == web.EINVALID || code == web.ECONFLICT {
		return nil // stopped, or already applied: the demo moves on
	}
	if err != nil {
		return fmt.Errorf("demo application: %w", err)
	}
	sum.Applications++
	if a.Eligible {
		sum.Eligible++
	}
	return s.seedDecision(ctx, hr, session, i, a, sum)
}

// seedDecision decides the i-th demo application as HR would.
func (s *Store) seedDecision(ctx context.Context, hr, session int64, i int, a *ApplicationRow, sum *ApplicationDemoSummary) error {
	var err error
	switch {
	case i%7 == 6:
		_, err = s.Withdraw(ctx, 0, a.StaffID, a.ID)
		sum.Withdrawn++
	case !a.Eligible && sum.Exceptions == 0:
		_, err = s.Exception(ctx, hr, a.ID, demoExceptionReason)
		sum.Exceptions++
	case !a.Eligible && sum.Rejected == 0:
		_, err = s.Reject(ctx, hr, a.ID, demoRejectNote)
		sum.Rejected++
	case a.Eligible && i%4 != 3:
		_, err = s.Approve(ctx, hr, a.ID, "申报材料齐全，符合申报条件")
		sum.Approved++
		if err == nil && a.Level == 5 && session != 0 && i%2 == 0 {
			_, err = s.Place(ctx, hr, a.ID, session)
			sum.Placed++
		}
	}
	if err != nil {
		return fmt.Errorf("demo decision on application %d: %w", a.ID, err)
	}
	return nil
}

// DemoSession is the first open exam session of a level held highest in the tree, the
// one demo applicants are placed into; 0 when there is none.
func (s *Store) DemoSession(ctx context.Context, level int) (int64, error) {
	var ids []int64
	err := s.db.NewSelect().TableExpr("exam_sessions AS es").Column("es.id").Join("JOIN org_units AS o ON o.id = es.org_id").
		Where("es.level = ? AND es.status = ? AND es.closes_at > ?", level, "scheduled", s.now()).
		OrderExpr("o.depth, es.id").Limit(1).Scan(ctx, &ids)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}
