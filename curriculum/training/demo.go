package training

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// demoEvent is one demo event: its day relative to today, times of day in China time,
// the owner unit's code and the clerks (by number) who registered and who came.
type demoEvent struct {
	Event
	day            int // days from today; negative is in the past
	startH, startM int
	owner          string
	registered     [][2]int // ranges of clerk numbers, inclusive
	absentEveryNth int      // in past events every nth registered clerk stayed away
	length         float64  // hours from start to end
	cancelWhy      string   // set: the trainer called the event off after people registered
}

var demoEvents = []demoEvent{
	{Event: Event{Title: "窗口工作人员心理调适与压力疏导讲座", Kind: KindLecture, Place: "县政务服务中心四楼多功能厅", Capacity: 150, Hours: 2,
		Summary: "邀请县心理健康服务中心的心理咨询师，讲解窗口服务中常见的情绪压力来源、自我觉察与放松方法，并现场答疑。"},
		day: -40, startH: 14, startM: 30, owner: "QS", absentEveryNth: 9, length: 2, registered: [][2]int{{1, 40}, {61, 70}, {91, 100},
			{121, 128}, {151, 158}, {181, 188}, {211, 218}, {241, 248}, {271, 278}}},
	{Event: Event{Title: "“微笑服务”窗口礼仪经验分享会", Kind: KindSharing, Place: "城关镇便民服务中心二楼会议室", Capacity: 40, Hours: 1.5,
		Summary: "由去年“服务之星”分享接待群众的仪容仪表、首问负责和文明用语经验，结合真实场景交流。"},
		day: -25, startH: 15, startM: 0, owner: "QS-CG", registered: [][2]int{{61, 80}, {81, 86}}, absentEveryNth: 7, length: 1.5},
	{Event: Event{Title: "模拟窗口练兵日：一次性告知与帮办代办", Kind: KindPractice, Place: "县政务服务中心一楼模拟受理区", Capacity: 60, Hours: 6,
		Summary: "分组轮岗模拟咨询、受理、一次性告知和帮办代办全过程，培训师现场点评。"},
		day: -12, startH: 9, startM: 0, owner: "QS", registered: [][2]int{{1, 30}, {91, 110}}, absentEveryNth: 10, length: 7},
	{Event: Event{Title: "群众情绪识别与沟通技巧——心理辅导专题讲座（第二期）", Kind: KindLecture, Place: "县政务服务中心四楼多功能厅", Capacity: 100, Hours: 2,
		Summary: "面向窗口一线人员，讲解如何识别来访群众的焦虑和不满情绪，练习共情式回应。"},
		day: 9, startH: 14, startM: 30, owner: "QS", registered: [][2]int{{41, 60}, {121, 130}}, length: 2},
	{Event: Event{Title: "政务服务礼仪规范分享会（东湖专场）", Kind: KindSharing, Place: "东湖街道便民服务中心会议室", Capacity: 30, Hours: 1.5,
		Summary: "围绕接待礼仪、电话礼仪和窗口环境规范，交流各社区便民服务站的做法。"},
		day: 5, startH: 15, startM: 0, owner: "QS-DH", registered: [][2]int{{91, 105}}, length: 1.5},
	{Event: Event{Title: "“高效办成一件事”模拟窗口练兵", Kind: KindPractice, Place: "县政务服务中心一楼模拟受理区", Capacity: 50, Hours: 4,
		Summary: "以新生儿出生、企业开办等“一件事”为例，模拟综合窗口一次受理、并联审批和结果送达。"},
		day: 16, startH: 9, startM: 0, owner: "QS", registered: [][2]int{{1, 15}}, length: 4},
	{Event: Event{Title: "12345热线工单转办与答复规范分享会", Kind: KindSharing, Place: "城关镇便民服务中心二楼会议室", Capacity: 30, Hours: 1,
		Summary: "交流热线工单的签收、转办、限时答复和回访要求。"},
		day: 7, startH: 15, startM: 0, owner: "QS-CG", registered: [][2]int{{61, 66}}, length: 1,
		cancelWhy: "主讲人临时抽调参加市级督查，本期取消，另行通知"},
}

// demoExternal is one external training entry for a range of clerks.
type demoExternal struct {
	from, to        int
	title, provider string
	hours           float64
	daysAgo         int
	note, voidWhy   string
}

var demoExternals = []demoExternal{
	{1, 5, "市级政务服务综合窗口业务骨干培训班", "临江市政务服务管理局", 16, 60, "凭结业证书登记。", ""},
	{61, 62, "电子证照与档案数字化应用培训", "青山县数据资源局", 4, 30, "凭培训通知和签到表登记。", ""},
	{91, 91, "公文写作与政务信息报送专题培训", "中共青山县委办公室", 6, 20, "凭结业证书登记。", ""},
	{63, 63, "市级政务服务综合窗口业务骨干培训班", "临江市政务服务管理局", 16, 58, "凭结业证书登记。", "与本人实际参训记录不符，经核实为重复登记"},
}

// DemoSummary counts what SeedDemo wrote; Events leaves the cancelled ones out.
type DemoSummary struct{ Events, Cancelled, Attendances, Registrations, Externals int }

// SeedDemo writes the demo events (past ones with attendance, coming ones with
// registrations, one of them cancelled after clerks registered) and external training entries for the demo roster (clerkNNN at the
// demo units). It does nothing when any event exists.
func (s *Store) SeedDemo(ctx context.Context) (DemoSummary, error) {
	var sum DemoSummary
	if n, err := s.db.NewSelect().Model((*Event)(nil)).Count(ctx); err != nil || n > 0 {
		return sum, err
	}
	today := s.now().In(China)
	for _, d := range demoEvents {
		if err := s.seedEvent(ctx, d, today, &sum); err != nil {
			return sum, fmt.Errorf("demo event %s: %w", d.Title, err)
		}
	}
	for _, x := range demoExternals {
		if err := s.seedExternal(ctx, x, today, &sum); err != nil {
			return sum, fmt.Errorf("demo external %s: %w", x.title, err)
		}
	}
	return sum, nil
}

func (s *Store) seedEvent(ctx context.Context, d demoEvent, today time.Time, sum *DemoSummary) error {
	e := d.Event
	day := today.AddDate(0, 0, d.day)
	e.StartsAt = time.Date(day.Year(), day.Month(), day.Day(), d.startH, d.startM, 0, 0, China).UTC()
	e.EndsAt = e.StartsAt.Add(time.Duration(d.length * float64(time.Hour)))
	if err := s.db.NewSelect().Table("org_units").Column("id").Where("code = ?", d.owner).Scan(ctx, &e.OrgID); err != nil {
		return err
	}
	if err := s.CreateEvent(ctx, 0, &e); err != nil {
		return err
	}
	if err := s.seedPlaces(ctx, d, &e, sum); err != nil || d.cancelWhy == "" {
		sum.Events++
		return err
	}
	sum.Cancelled++
	_, err := s.CancelEvent(ctx, 0, e.ID, d.cancelWhy)
	return err
}

// seedPlaces registers the event's clerks and, for a past event, signs most of them in.
func (s *Store) seedPlaces(ctx context.Context, d demoEvent, e *Event, sum *DemoSummary) error {
	i := 0
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, r := range d.registered {
			for n := r[0]; n <= r[1]; n++ {
				i++
				if err := s.seedPlace(ctx, tx, e, n, d.day < 0 && (d.absentEveryNth == 0 || i%d.absentEveryNth != 0), sum); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// seedPlace registers clerk number n and, for a past event, signs them in.
func (s *Store) seedPlace(ctx context.Context, tx bun.IDB, e *Event, n int, came bool, sum *DemoSummary) error {
	var uid int64
	if err := tx.NewSelect().Table("users").Column("id").Where("username = ?", fmt.Sprintf("clerk%03d", n)).Scan(ctx, &uid); err != nil {
		return err
	}
	if _, err := eligible(ctx, tx, e.ID, uid); err != nil {
		return nil // the clerk is outside the audience: a typo in the table, not a reason to fail
	}
	if came {
		sum.Attendances++
		_, err := s.attend(ctx, tx, e, uid, 0, viaTrainer)
		return err
	}
	sum.Registrations++
	_, err := s.takePlace(ctx, tx, e, uid, uid, false)
	return err
}

func (s *Store) seedExternal(ctx context.Context, x demoExternal, today time.Time, sum *DemoSummary) error {
	for n := x.from; n <= x.to; n++ {
		var uid int64
		if err := s.db.NewSelect().Table("users").Column("id").Where("username = ?", fmt.Sprintf("clerk%03d", n)).Scan(ctx, &uid); err != nil {
			return err
		}
		e, err := s.AddExternal(ctx, 0, &External{UserID: uid, Title: x.title, Provider: x.provider, Hours: x.hours,
			Date: today.AddDate(0, 0, -x.daysAgo).Format("2006-01-02"), Note: x.note})
		if err != nil {
			return err
		}
		sum.Externals++
		if x.voidWhy != "" {
			if _, err := s.VoidEntry(ctx, 0, e.ID, x.voidWhy); err != nil {
				return err
			}
		}
	}
	return nil
}
