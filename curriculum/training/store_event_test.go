package training_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/curriculum/training"
)

// TestCapacityRace: twelve clerks race for the last two places of an event at once; on
// either store exactly two are registered and the count on the event agrees.
func TestCapacityRace(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Training, context.Background()
			e := mustEvent(t, env, countyCode, "礼仪规范分享会", env.Now.Now().Add(48*time.Hour), 3, 2)
			_, err := s.Register(ctx, uid(t, env, "clerk001"), e.ID)
			must(t, err)
			var wg sync.WaitGroup
			errs := make([]error, 12)
			start := make(chan struct{})
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errs[i] = s.Register(ctx, uid(t, env, fmt.Sprintf("clerk%03d", 10+i)), e.ID)
				}()
			}
			close(start)
			wg.Wait()
			ok, full := 0, 0
			for _, err := range errs {
				switch web.ErrorCode(err) {
				case "":
					ok++
				case web.ECONFLICT:
					full++
				default:
					t.Errorf("unexpected: %v", err)
				}
			}
			got, err := s.FindEventByID(ctx, e.ID)
			must(t, err)
			regs, err := s.FindRegistrations(ctx, e.ID)
			must(t, err)
			if ok != 2 || full != 10 || got.Registered != 3 || len(regs) != 3 {
				t.Fatalf("ok %d, full %d, count %d, rows %d; want 2, 10, 3, 3", ok, full, got.Registered, len(regs))
			}
		})
	}
}

// TestRegistrationRules: who may register, twice, after the end, and cancelling.
func TestRegistrationRules(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Training, context.Background()
			now := env.Now.Now()
			e := mustEvent(t, env, chengguanCode, "群众心理与情绪疏导讲座", now.Add(24*time.Hour), 5, 1.5)
			town, village := uid(t, env, "clerk061"), uid(t, env, "clerk081")
			if _, err := s.Register(ctx, uid(t, env, "clerk091"), e.ID); web.ErrorCode(err) != web.ENOTFOUND {
				t.Errorf("a 东湖 clerk registered for a 城关 event: %v", err)
			}
			if _, err := s.Register(ctx, uid(t, env, "trainer"), e.ID); web.ErrorCode(err) != web.ENOTFOUND {
				t.Errorf("an account without a roster record registered: %v", err)
			}
			for range 2 {
				_, err := s.Register(ctx, town, e.ID)
				must(t, err)
			}
			_, err := s.Register(ctx, village, e.ID) // village stations sit under the township
			must(t, err)
			got, _ := s.FindEventByID(ctx, e.ID)
			if got.Registered != 2 {
				t.Errorf("registered %d, want 2 (registering twice counts once)", got.Registered)
			}
			must(t, s.CancelRegistration(ctx, village, e.ID))
			wantCode(t, "cancel twice", s.CancelRegistration(ctx, village, e.ID), web.ENOTFOUND, "没有这项报名")
			env.Now.Advance(27 * time.Hour)
			wantCode(t, "cancel after start", s.CancelRegistration(ctx, town, e.ID), web.EINVALID, "已开始")
			_, err = s.Register(ctx, village, e.ID)
			wantCode(t, "register after the end", err, web.EINVALID, "已结束")
			open, err := s.FindOpenEvents(ctx, village)
			must(t, err)
			if len(open) != 0 {
				t.Errorf("an event long over is still offered: %+v", open[0].Event)
			}
		})
	}
}

// TestSignInCode: the code shown in the room signs in the clerk who types it first, once;
// a wrong code, a code another clerk used, an expired code and a code outside the sign-in
// window are refused; too many wrong tries leave only the trainer.
func TestSignInCode(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Training, context.Background()
			e := mustEvent(t, env, chengguanCode, "模拟窗口练兵", env.Now.Now().Add(2*time.Hour), 30, 3)
			a, b := uid(t, env, "clerk061"), uid(t, env, "clerk062")
			c0, err := s.CurrentCode(ctx, e.ID)
			must(t, err)
			if c0.Open || c0.Code != "" {
				t.Fatalf("a code two hours before the start: %+v", c0)
			}
			_, err = s.SignInWithCode(ctx, a, e.ID, "123456")
			wantCode(t, "before the window", err, web.EINVALID, "签到时间")
			env.Now.Advance(105 * time.Minute) // 15 minutes before the start
			c1 := mustCode(t, s, e.ID)
			if again := mustCode(t, s, e.ID); again.Code != c1.Code {
				t.Errorf("the projector's code changed without being used: %s then %s", c1.Code, again.Code)
			}
			_, err = s.SignInWithCode(ctx, a, e.ID, wrong(c1.Code))
			wantCode(t, "wrong code", err, web.EINVALID, "不正确")
			r, err := s.SignInWithCode(ctx, a, e.ID, " "+c1.Code[:3]+" "+c1.Code[3:])
			if err != nil || r.AttendedAt == nil || r.AttendedVia != "code" {
				t.Fatalf("right code: %+v %v", r, err)
			}
			if r, err := s.SignInWithCode(ctx, a, e.ID, c1.Code); err != nil || r.AttendedAt == nil {
				t.Errorf("signing in again: %+v %v", r, err)
			}
			_, err = s.SignInWithCode(ctx, b, e.ID, c1.Code)
			wantCode(t, "code reused by another clerk", err, web.EINVALID, "已被他人使用")
			c2 := mustCode(t, s, e.ID)
			if c2.Code == c1.Code {
				t.Fatal("the projector kept showing a used code")
			}
			env.Now.Advance(91 * time.Second)
			_, err = s.SignInWithCode(ctx, b, e.ID, c2.Code)
			wantCode(t, "expired code", err, web.EINVALID, "已过期")
			c3 := mustCode(t, s, e.ID)
			if _, err := s.SignInWithCode(ctx, b, e.ID, c3.Code); err != nil {
				t.Fatalf("fresh code: %v", err)
			}
			if n := mustCode(t, s, e.ID).Attended; n != 2 {
				t.Errorf("attended %d, want 2", n)
			}
			if h := hoursFor(t, s, a, training.YearOf(e.StartsAt)); h != 3 {
				t.Errorf("clerk a has %v hours, want 3 (one entry however often they sign in)", h)
			}
			_, err = s.SignInWithCode(ctx, uid(t, env, "clerk091"), e.ID, mustCode(t, s, e.ID).Code)
			wantCode(t, "clerk outside the audience", err, web.ENOTFOUND, "活动不存在")
		})
	}
}

// TestSignInCodeTries: after ten wrong codes the right one is refused too.
func TestSignInCodeTries(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Training, context.Background()
			e := mustEvent(t, env, chengguanCode, "政务礼仪分享会", env.Now.Now().Add(10*time.Minute), 30, 1)
			a := uid(t, env, "clerk063")
			c := mustCode(t, s, e.ID)
			for range 10 {
				_, err := s.SignInWithCode(ctx, a, e.ID, wrong(c.Code))
				wantCode(t, "wrong code", err, web.EINVALID, "不正确")
			}
			_, err := s.SignInWithCode(ctx, a, e.ID, c.Code)
			wantCode(t, "after ten wrong tries", err, web.EINVALID, "找培训师签到")
			n, err := s.MarkAttended(ctx, 0, e.ID, []int64{a})
			if err != nil || n != 1 {
				t.Errorf("the trainer signs the clerk in: %d %v", n, err)
			}
		})
	}
}

func mustCode(t *testing.T, s *training.Store, eventID int64) *training.Code {
	t.Helper()
	c, err := s.CurrentCode(context.Background(), eventID)
	if err != nil || !c.Open || len(c.Code) != 6 {
		t.Fatalf("current code: %+v %v", c, err)
	}
	return c
}

// wrong is a six-digit code that is not code.
func wrong(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}
