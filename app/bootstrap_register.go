package app

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"clerkskill/exams"
	"clerkskill/exams/certify"
	"clerkskill/exams/marking"
	"clerkskill/exams/paper"
	"clerkskill/exams/session"
)

// seedCertificates fills the register: awards of earlier years written straight in (五级
// to 三级 for county clerks, one revoked), 定岗晋级 records resting on them, and this
// year's 五级 awards signed off by HR from a finished 城关镇 session with theory and
// skill, marked (the practical tasks by the trainer) and released.
func seedCertificates(env Env, srv *Server) error {
	ctx := env.Ctx
	ids, err := demoIDs(ctx, srv)
	if err != nil {
		return fmt.Errorf("demo certificates: %w", err)
	}
	past := demoPastCertificates(ids)
	if err := srv.Certify.SeedDemoHistory(ctx, ids["hr"], past, demoPosts()); err != nil {
		return fmt.Errorf("demo certificates: %w", err)
	}
	n, err := awardDemoSession(ctx, srv, ids)
	if err != nil {
		return fmt.Errorf("demo awards: %w", err)
	}
	fmt.Fprintf(env.Stdout, "demo certificates: %d from earlier years (one revoked), %d 五级 awarded from a finished 城关镇 session, %d post changes\n",
		len(past), n, len(demoPosts()))
	return nil
}

// demoIDs finds the units and accounts the demo register uses.
func demoIDs(ctx context.Context, srv *Server) (map[string]int64, error) {
	ids := map[string]int64{}
	for _, code := range []string{"QS", "QS-CG", "QS-DH", "QS-XS"} {
		o, err := srv.RBAC.FindOrgByCode(ctx, code)
		if err != nil {
			return nil, err
		}
		ids[code] = o.ID
	}
	for _, name := range []string{"hr", "trainer"} {
		u, err := srv.RBAC.FindUserByUsername(ctx, name)
		if err != nil {
			return nil, err
		}
		ids[name] = u.ID
	}
	return ids, nil
}

// demoPastCertificates: county clerks clerk001–clerk030 took 五级 in 2023, the first
// fifteen 四级 in 2024 and the first five 三级 in 2025 (valid five years); some township
// clerks took 五级 in 2025; one 2024 certificate was revoked.
func demoPastCertificates(ids map[string]int64) []certify.DemoCertificate {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 10, 0, 0, 0, time.UTC) }
	var out []certify.DemoCertificate
	add := func(from, to, level int, issuer int64, on time.Time, years int) {
		for i := from; i <= to; i++ {
			out = append(out, certify.DemoCertificate{Username: fmt.Sprintf("clerk%03d", i), Level: level, IssuerID: issuer, IssuedOn: on, ValidYears: years})
		}
	}
	add(1, 30, 5, ids["QS"], day(2023, 6, 28), 0)
	add(1, 15, 4, ids["QS"], day(2024, 11, 15), 0)
	add(1, 5, 3, ids["QS"], day(2025, 12, 5), 5)
	add(91, 96, 5, ids["QS-DH"], day(2025, 7, 10), 0)
	add(121, 124, 5, ids["QS-XS"], day(2025, 7, 12), 0)
	out = append(out, certify.DemoCertificate{Username: "clerk040", Level: 5, IssuerID: ids["QS"], IssuedOn: day(2024, 6, 20),
		RevokeClass: "考试违纪", RevokeWhy: "2024年第二季度五级理论知识考试由他人代考，经县中心核实（青政服〔2024〕31号），撤销证书。"})
	return out
}

func demoPosts() []certify.DemoPost {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	return []certify.DemoPost{
		{Username: "clerk001", FromPost: "综合受理窗口", ToPost: "综窗组长", FromGrade: "二档", ToGrade: "三档", EffectiveOn: day(2026, 1, 1), Note: "取得三级（高级工）证书，经中心研究定岗为综窗组长"},
		{Username: "clerk002", FromPost: "综合受理窗口", ToPost: "综合受理窗口", FromGrade: "二档", ToGrade: "三档", EffectiveOn: day(2026, 1, 1), Note: "取得三级证书，岗级晋升一档"},
		{Username: "clerk007", FromPost: "咨询导服台", ToPost: "综合受理窗口", FromGrade: "一档", ToGrade: "二档", EffectiveOn: day(2025, 1, 1), Note: "取得四级（中级工）证书后转岗综合受理"},
		{Username: "clerk012", FromPost: "出件窗口", ToPost: "帮办代办窗口", FromGrade: "一档", ToGrade: "二档", EffectiveOn: day(2025, 3, 1)},
	}
}

// awardDemoSession holds a finished 五级 session at 城关镇 with theory and skill, marks
// it (objective items by the exam loop, practical tasks by the trainer), releases the
// results and has HR award everyone whose parts all passed.
func awardDemoSession(ctx context.Context, srv *Server, ids map[string]int64) (int, error) {
	theory, err := srv.Papers.FindBlueprintFor(ctx, 5, exams.PartTheory)
	if err != nil {
		return 0, err
	}
	skill, err := srv.Papers.FindBlueprintFor(ctx, 5, exams.PartSkill)
	if err != nil {
		return 0, err
	}
	sid, err := seedDemoAwardSession(ctx, srv, ids, theory.ID, skill.ID)
	if err != nil {
		return 0, err
	}
	if err := markDemoSession(ctx, srv, ids["trainer"], sid); err != nil {
		return 0, err
	}
	certs, err := srv.Certify.Award(ctx, ids["hr"], sid, certify.AwardInput{All: true})
	return len(certs), err
}

func seedDemoAwardSession(ctx context.Context, srv *Server, ids map[string]int64, theory, skill int64) (int64, error) {
	now := srv.Sessions.Now()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local).AddDate(0, 0, -21)
	room := "城关镇便民服务中心三楼实训室"
	parts := []session.PartInput{{Kind: exams.PartTheory, DurationMinutes: 90, Source: paper.Source{BlueprintID: theory}},
		{Kind: exams.PartSkill, DurationMinutes: 90, Source: paper.Source{BlueprintID: skill}}}
	in := session.Input{Name: "城关镇便民服务中心2026年第三季度五级（初级工）等级认定考核", Level: 5, OrgID: ids["QS-CG"],
		OpensAt: day.Add(9 * time.Hour), ClosesAt: day.Add(12 * time.Hour), Rooms: []string{room}, Parts: parts}
	finished, err := srv.Sessions.SeedDemo(ctx, ids["trainer"], []session.DemoSession{{Input: in, Finished: true,
		Candidates: session.CandidateInput{OrgIDs: []int64{ids["QS-CG"]}, Room: room},
		Staff:      []session.StaffInput{{Username: "trainer", Role: session.RoleInvigilator, Room: room}, {Username: "trainer", Role: session.RoleAssessor}}}})
	if err != nil || len(finished) != 1 {
		return 0, fmt.Errorf("demo award session: %v", err)
	}
	return finished[0], nil
}

// markDemoSession marks what the exam loop leaves to people: every hand-marked item gets
// the trainer's mark, from 45% to 100% of each criterion, steady per candidate.
func markDemoSession(ctx context.Context, srv *Server, trainer, sid int64) error {
	for {
		n, err := srv.Sessions.MarkPending(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
	}
	q, err := srv.Marking.FindQueue(ctx, trainer, sid)
	if err != nil {
		return err
	}
	for _, it := range q.ToMark {
		if err := markDemoItem(ctx, srv, trainer, sid, it); err != nil {
			return err
		}
	}
	return srv.Marking.Release(ctx, trainer, sid)
}

func markDemoItem(ctx context.Context, srv *Server, trainer, sid int64, it marking.QueueItem) error {
	task, err := srv.Marking.FindTask(ctx, trainer, sid, it.AttemptID, it.Idx)
	if err != nil {
		return err
	}
	share := 0.45 + rand.New(rand.NewPCG(uint64(it.AttemptID), 7)).Float64()*0.55
	in := marking.MarkInput{AttemptID: it.AttemptID, Idx: it.Idx, Comment: "演示数据：按评分细则评分"}
	if len(task.Question.Rubric) > 0 {
		for _, c := range task.Question.Rubric {
			in.Criteria = append(in.Criteria, float64(int(float64(c.Points)*share*2))/2)
		}
	} else {
		raw := float64(int(float64(task.Question.Score)*share*2)) / 2
		in.Raw = &raw
	}
	_, err = srv.Marking.SaveMark(ctx, trainer, sid, in)
	return err
}
