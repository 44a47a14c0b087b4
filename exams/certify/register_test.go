package certify_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exams/certify"
)

func TestCheckCharCatchesEveryTypoAndSwap(t *testing.T) {
	for _, n := range []string{certify.FormatNumber(2026, 4, 1), certify.FormatNumber(2026, 17, 12), certify.FormatNumber(2031, 1234, 99999),
		certify.FormatNumber(2027, 52, 407), certify.FormatNumber(2026, 3, 58)} {
		if got, err := certify.ParseNumber(strings.ToLower(strings.ReplaceAll(n, "-", " "))); err != nil || got != n {
			t.Fatalf("ParseNumber(%s) = %q, %v", n, got, err)
		}
		s := certify.NormalizeNumber(n)
		for i := range s {
			for _, r := range "0123456789X" {
				if byte(r) == s[i] {
					continue
				}
				typo := s[:i] + string(r) + s[i+1:]
				if _, err := certify.ParseNumber(typo); err == nil {
					t.Errorf("%s: typo %s passes the check", n, typo)
				}
			}
			if i+1 < len(s) && s[i] != s[i+1] {
				swap := s[:i] + string(s[i+1]) + string(s[i]) + s[i+2:]
				if _, err := certify.ParseNumber(swap); err == nil {
					t.Errorf("%s: swap %s passes the check", n, swap)
				}
			}
		}
	}
	if _, err := certify.ParseNumber("2026-0004-00001-0"); err == nil || !strings.Contains(err.Error(), "证书编号校验位不符") {
		t.Fatalf("wrong check character: %v", err)
	}
}

// TestNeverAwardedUnlessEveryPartPasses: a level is proposed and awarded only when every
// part its level requires has a complete, passing result; naming anyone else refuses
// the whole sign-off and writes nothing.
func TestNeverAwardedUnlessEveryPartPasses(t *testing.T) {
	type score struct {
		part     string
		score    float64
		complete bool
	}
	cases := []struct {
		name     string
		level    int
		scores   []score
		review   []float64
		proposal string
		reason   string
	}{
		{"theory fails", 5, []score{{"theory", 59.5, true}, {"skill", 90, true}}, nil, certify.ProposeFail, "理论知识不合格"},
		{"skill fails", 4, []score{{"theory", 88, true}, {"skill", 40, true}}, nil, certify.ProposeFail, "技能考核不合格"},
		{"skill not fully marked", 5, []score{{"theory", 88, true}, {"skill", 70, false}}, nil, certify.ProposeIncomplete, "技能考核尚无完整成绩"},
		{"skill not sat", 3, []score{{"theory", 88, true}}, nil, certify.ProposeIncomplete, "技能考核尚无完整成绩"},
		{"review missing at 二级", 2, []score{{"theory", 80, true}, {"skill", 80, true}}, nil, certify.ProposeIncomplete, "综合评审尚无完整成绩"},
		{"review fails at 二级", 2, []score{{"theory", 80, true}, {"skill", 80, true}}, []float64{50, 62, 55}, certify.ProposeFail, "综合评审不合格"},
		{"all pass at 二级", 2, []score{{"theory", 80, true}, {"skill", 80, true}}, []float64{70, 62, 81}, certify.ProposeAward, "各部分均合格"},
		{"all pass at 五级", 5, []score{{"theory", 60, true}, {"skill", 60, true}}, nil, certify.ProposeAward, "各部分均合格"},
	}
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			f := newRegFixture(t, dialect)
			for i, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					parts := []string{"theory", "skill"}
					if tc.level <= 2 {
						parts = append(parts, "review")
					}
					sid, ids := f.session(tc.level, parts...)
					c := f.clerks[i]
					f.candidate(sid, c)
					for _, s := range tc.scores {
						f.result(sid, ids[s.part], s.part, c, s.score, s.complete)
					}
					if tc.review != nil {
						if _, err := f.panel(sid, c, tc.review...); err != nil {
							t.Fatal(err)
						}
					}
					d, err := f.store.FindDecisions(context.Background(), sid)
					if err != nil {
						t.Fatal(err)
					}
					got := d.Candidates[0]
					if got.Proposal != tc.proposal || got.Reason != tc.reason || len(got.Parts) != len(parts) {
						t.Fatalf("proposal %s %q with %d parts, want %s %q", got.Proposal, got.Reason, len(got.Parts), tc.proposal, tc.reason)
					}
					before := f.certCount()
					certs, err := f.award(sid, c)
					if tc.proposal != certify.ProposeAward {
						wantCode(t, err, web.ECONFLICT)
						if !strings.Contains(err.Error(), tc.reason) || f.certCount() != before {
							t.Fatalf("refusal %v; certificates %d → %d", err, before, f.certCount())
						}
						return
					}
					if err != nil || len(certs) != 1 || certs[0].Level != tc.level || len(certs[0].Parts) != len(parts) {
						t.Fatalf("award: %v %+v", err, certs)
					}
					if tc.review != nil {
						_, err := f.panel(sid, c, 40, 40, 40)
						wantCode(t, err, web.ECONFLICT) // the award rests on the recorded score
					}
				})
			}
		})
	}
}

func TestAwardBindsIDIsIdempotentAndSupersedes(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			f := newRegFixture(t, dialect)
			ctx := context.Background()
			c := f.clerks[0]
			s5, p5 := f.session(5, "theory", "skill")
			f.passed(s5, p5, c)
			first, err := f.award(s5, c)
			if err != nil {
				t.Fatal(err)
			}
			again, err := f.store.Award(ctx, f.userID("hr"), s5, certify.AwardInput{All: true})
			if err != nil || len(again) != 1 || again[0].Number != first[0].Number || f.certCount() != 1 {
				t.Fatalf("second award: %v %+v (first %s)", err, again, first[0].Number)
			}
			if first[0].IDNumber == "" || first[0].Name != c.name || first[0].Status != certify.CertValid || first[0].ValidUntil != nil {
				t.Fatalf("certificate %+v", first[0])
			}
			s4, p4 := f.session(4, "theory", "skill")
			f.passed(s4, p4, c)
			higher, err := f.store.Award(ctx, f.userID("hr"), s4, certify.AwardInput{All: true, ValidYears: 3})
			if err != nil {
				t.Fatal(err)
			}
			h, err := f.store.FindHistory(ctx, c.staff)
			if err != nil || len(h.Certificates) != 2 {
				t.Fatalf("history: %v %d", err, len(h.Certificates))
			}
			lower := h.Certificates[1]
			if lower.Level != 5 || lower.Status != certify.CertSuperseded || *lower.SupersededBy != higher[0].ID {
				t.Fatalf("lower certificate %+v", lower.Certificate)
			}
			if v := higher[0].Validity(); !strings.HasPrefix(v, "有效期至") || !strings.Contains(v, "到期前须") {
				t.Fatalf("validity %q", v)
			}
			levels, err := f.store.CurrentLevels(ctx, []int64{c.staff}, time.Now())
			if err != nil || levels[c.staff] != 4 {
				t.Fatalf("current level %v %v", levels, err)
			}
		})
	}
}

func TestPersonWithoutNationalIDIsNotAwarded(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			f := newRegFixture(t, dialect)
			c := f.clerks[1]
			if _, err := f.env.Srv.DB.NewUpdate().Table("staff").Set("id_number = NULL").Where("id = ?", c.staff).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
			sid, ids := f.session(5, "theory", "skill")
			f.passed(sid, ids, c)
			_, err := f.award(sid, c)
			wantCode(t, err, web.ECONFLICT)
			if !strings.Contains(err.Error(), "没有身份证号") || f.certCount() != 0 {
				t.Fatalf("refusal %v, %d certificates", err, f.certCount())
			}
		})
	}
}

func TestRevocationShownOnVerification(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			f := newRegFixture(t, dialect)
			ctx := context.Background()
			c := f.clerks[2]
			sid, ids := f.session(5, "theory", "skill")
			f.passed(sid, ids, c)
			certs, err := f.award(sid, c)
			if err != nil {
				t.Fatal(err)
			}
			v, err := f.store.Verify(ctx, strings.ReplaceAll(certs[0].Number, "-", ""))
			if err != nil || v.Status != certify.CertValid || v.StatusText != "有效" || v.Issuer != "城关镇便民服务中心" {
				t.Fatalf("verify valid: %v %+v", err, v)
			}
			if []rune(v.Name)[1] != '*' || v.Name == c.name || !strings.Contains(v.IDNumber, "****") {
				t.Fatalf("holder not masked: %q %q", v.Name, v.IDNumber)
			}
			secret := "考场监控显示替考，见纪律处理决定第12号"
			if _, err := f.store.Revoke(ctx, f.userID("hr"), certs[0].ID, certify.RevokeInput{Class: "考试违纪", Reason: secret}); err != nil {
				t.Fatal(err)
			}
			v, err = f.store.Verify(ctx, certs[0].Number)
			if err != nil || v.StatusText != "已撤销" || v.RevokeClass != "考试违纪" || v.RevokedOn == nil {
				t.Fatalf("verify revoked: %v %+v", err, v)
			}
			if b := fmt.Sprintf("%+v", v); strings.Contains(b, "替考") {
				t.Fatalf("verification leaks the reason: %s", b)
			}
			if _, err := f.store.Revoke(ctx, f.userID("hr"), certs[0].ID, certify.RevokeInput{Class: "其他原因"}); web.ErrorCode(err) != web.EINVALID {
				t.Fatalf("revoke without reason: %v", err)
			}
		})
	}
}

// TestWrongCheckCharNeverReachesTheDatabase verifies over a closed database: a number with
// a wrong check character is refused as such, a well-formed one fails on the database.
func TestWrongCheckCharNeverReachesTheDatabase(t *testing.T) {
	d := dbtest.New(t, "sqlite")
	_ = d.Close()
	s := certify.NewStore(d, nil, nil, nil)
	n := certify.FormatNumber(2026, 4, 7)
	bad := n[:len(n)-3] + string("0123456789"[(strings.IndexByte("0123456789", n[len(n)-3])+1)%10]) + n[len(n)-2:]
	_, err := s.Verify(context.Background(), bad)
	if web.ErrorCode(err) != web.EINVALID || !strings.Contains(err.Error(), "证书编号校验位不符") {
		t.Fatalf("typo: %v", err)
	}
	if _, err := s.Verify(context.Background(), n); web.ErrorCode(err) == web.EINVALID {
		t.Fatalf("valid number refused: %v", err)
	}
}

// TestConcurrentAwardsGetUniqueNumbers awards sessions of one unit at the same time: the
// counter hands out every serial once, with no gaps.
func TestConcurrentAwardsGetUniqueNumbers(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			f := newRegFixture(t, dialect)
			const n = 10
			sessions := make([]int64, n)
			for i := range sessions {
				sid, ids := f.session(5, "theory", "skill")
				f.passed(sid, ids, f.clerks[i])
				sessions[i] = sid
			}
			var wg sync.WaitGroup
			numbers := make([]string, n)
			errs := make([]error, n)
			hr := f.userID("hr")
			for i, sid := range sessions {
				wg.Add(1)
				go func() {
					defer wg.Done()
					certs, err := f.store.Award(context.Background(), hr, sid, certify.AwardInput{All: true})
					if errs[i] = err; err == nil {
						numbers[i] = certs[0].Number
					}
				}()
			}
			wg.Wait()
			seen := map[string]bool{}
			for i := range numbers {
				if errs[i] != nil {
					t.Fatalf("award %d: %v", i, errs[i])
				}
				seen[numbers[i]] = true
			}
			year := time.Now().In(time.FixedZone("CST", 8*3600)).Year()
			for serial := int64(1); serial <= n; serial++ {
				if want := certify.FormatNumber(year, f.town.ID, serial); !seen[want] {
					t.Errorf("serial %d (%s) not issued; got %v", serial, want, numbers)
				}
			}
		})
	}
}

func TestReviewPanelRule(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			f := newRegFixture(t, dialect)
			sid, _ := f.session(2, "theory", "skill", "review")
			c := f.clerks[3]
			f.candidate(sid, c)
			for _, marks := range [][]float64{{80}, {80, 70}, {80, 70, 60, 90}, {80, 101, 70}} {
				if _, err := f.panel(sid, c, marks...); web.ErrorCode(err) != web.EINVALID {
					t.Errorf("marks %v: %v", marks, err)
				}
			}
			outsider := certify.ReviewInput{UserID: c.user, Members: []certify.ReviewMember{
				{UserID: f.assessors[0], Mark: 80}, {UserID: f.assessors[1], Mark: 80}, {UserID: f.clerks[5].user, Mark: 80}}}
			if _, err := f.store.RecordReview(context.Background(), f.assessors[0], sid, outsider); web.ErrorCode(err) != web.EINVALID {
				t.Errorf("non-assessor on the panel: %v", err)
			}
			r, err := f.panel(sid, c, 61, 58, 62)
			if err != nil || r.Score != 60.3 || !r.Passed || r.PassMark != 60 {
				t.Fatalf("panel: %v %+v", err, r)
			}
			s5, _ := f.session(5, "theory", "skill")
			f.candidate(s5, c)
			if _, err := f.panel(s5, c, 70, 70, 70); web.ErrorCode(err) != web.EINVALID {
				t.Fatalf("review at 五级: %v", err)
			}
		})
	}
}

func TestUnreleasedResultsAreNotAwarded(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			f := newRegFixture(t, dialect)
			sid, ids := f.session(5, "theory", "skill")
			if _, err := f.env.Srv.DB.NewUpdate().Table("exam_sessions").Set("results_held = ?", true).Where("id = ?", sid).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
			f.passed(sid, ids, f.clerks[4])
			_, err := f.award(sid, f.clerks[4])
			wantCode(t, err, web.ECONFLICT)
			if !strings.Contains(err.Error(), "尚未发布") {
				t.Fatal(err)
			}
		})
	}
}
