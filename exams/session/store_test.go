package session_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"clerkskill/app"
	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/exams/bank"
	"clerkskill/exams/session"
	"clerkskill/rbac"
)

func TestDeadlineIsTheEarlierOfDurationAndWindowEnd(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newExam(t, d, 30*time.Minute, 90) // the window ends before 90 minutes are up
			now := e.Now.Now().UTC().Truncate(time.Microsecond)
			a := e.start(t, "clerk062", "k1")
			if !a.Deadline.Equal(e.session.ClosesAt) {
				t.Errorf("deadline %v, want the window end %v", a.Deadline, e.session.ClosesAt)
			}
			long := e.mustSession(t, "城关镇五级理论补考", now.Add(-time.Minute), 5*time.Hour, 90)
			b, err := e.store.StartAttempt(context.Background(), long.ID, long.Parts[0].ID, e.uid(t, "clerk062"), "k1")
			if err != nil {
				t.Fatal(err)
			}
			if want := now.Add(90 * time.Minute); !b.Deadline.Equal(want) {
				t.Errorf("deadline %v, want start + 90 min %v", b.Deadline, want)
			}
			e.Now.Advance(10 * time.Minute) // starting again later moves nothing
			if again := e.start(t, "clerk062", "k1"); again.ID != a.ID || !again.Deadline.Equal(a.Deadline) || !again.StartedAt.Equal(a.StartedAt) {
				t.Errorf("second start %+v, want the first %+v", again, a)
			}
		})
	}
}

func TestStartWritesThePaperAndRecordsASecondLogin(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newExam(t, d, time.Hour, 60)
			ctx := context.Background()
			a := e.start(t, "clerk062", "browser-1")
			v, err := e.store.Paper(ctx, a.ID, a.UserID)
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Items) != 6 || v.Items[0].Options[0] != e.paper.single.Options[2] || v.Items[1].Options[0] != e.paper.multiple.Options[1] {
				t.Fatalf("paper items not in the drawn option order: %+v", v.Items[0])
			}
			q, _ := e.Srv.Bank.FindQuestionByID(ctx, e.paper.single.ID)
			if !q.Used {
				t.Error("drawn question not marked used")
			}
			e.start(t, "clerk062", "browser-1")
			if evs, _ := e.store.FindEvents(ctx, a.ID); len(evs) != 0 {
				t.Fatalf("same login recorded %d events", len(evs))
			}
			e.start(t, "clerk062", "browser-2")
			evs, _ := e.store.FindEvents(ctx, a.ID)
			if len(evs) != 1 || evs[0].Kind != session.EventSecondLogin {
				t.Fatalf("events after a second login: %+v", evs)
			}
			if _, err := e.store.StartAttempt(ctx, e.session.ID, e.session.Parts[0].ID, e.uid(t, "clerk064"), "x"); web.ErrorCode(err) != web.ENOTFOUND {
				t.Errorf("a non-candidate starting: %v, want not found", err)
			}
		})
	}
}

func TestOlderSaveNeverOverwritesNewerAndLettersMapToOriginal(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newExam(t, d, time.Hour, 60)
			ctx := context.Background()
			a := e.start(t, "clerk062", "k")
			// Shown C, A, B: the shown "B" is the original "A", the right answer.
			res, err := e.store.SaveAnswer(ctx, a.ID, a.UserID, session.SaveInput{Idx: 0, Response: bank.Response{Choice: "B"}, Seq: 5})
			if err != nil || !res.Applied || res.Seq != 5 || res.SecondsLeft <= 0 {
				t.Fatalf("save seq 5: %+v %v", res, err)
			}
			late, err := e.store.SaveAnswer(ctx, a.ID, a.UserID, session.SaveInput{Idx: 0, Response: bank.Response{Choice: "C"}, Seq: 3})
			if err != nil || late.Applied || late.Seq != 5 {
				t.Fatalf("late save seq 3: %+v %v", late, err)
			}
			same, _ := e.store.SaveAnswer(ctx, a.ID, a.UserID, session.SaveInput{Idx: 0, Response: bank.Response{Choice: "C"}, Seq: 5})
			if same.Applied {
				t.Error("a repeated seq was applied")
			}
			var stored session.Answer
			if err := e.Srv.DB.NewSelect().Model(&stored).Where("attempt_id = ? AND idx = 0", a.ID).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			if stored.Response.Choice != "A" || stored.Seq != 5 {
				t.Errorf("stored %+v, want original letter A at seq 5", stored)
			}
			// The multiple choice shows B, C, A: shown "AC" is original "BA" -> "AB".
			_, _ = e.store.SaveAnswer(ctx, a.ID, a.UserID, session.SaveInput{Idx: 1, Response: bank.Response{Choice: "CA"}, Seq: 6})
			v, _ := e.store.Paper(ctx, a.ID, a.UserID)
			if v.Items[0].Response.Choice != "B" || v.Items[1].Response.Choice != "AC" || v.Seq != 6 || v.Answered != 2 {
				t.Errorf("paper shows %q and %q at seq %d, answered %d", v.Items[0].Response.Choice, v.Items[1].Response.Choice, v.Seq, v.Answered)
			}
			if _, err := e.store.SaveAnswer(ctx, a.ID, e.uid(t, "clerk063"), session.SaveInput{Idx: 0, Seq: 9}); web.ErrorCode(err) != web.ENOTFOUND {
				t.Errorf("another candidate saving: %v", err)
			}
			if _, err := e.store.SaveAnswer(ctx, a.ID, a.UserID, session.SaveInput{Idx: 99, Seq: 9}); web.ErrorCode(err) != web.EINVALID {
				t.Errorf("saving a missing item: %v", err)
			}
		})
	}
}

func TestGraceCoversASaveInFlightAndNoMore(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newExam(t, d, 2*time.Hour, 60)
			ctx := context.Background()
			a := e.start(t, "clerk062", "k")
			e.Now.Advance(60*time.Minute + 15*time.Second) // 15 s after the deadline
			res, err := e.store.SaveAnswer(ctx, a.ID, a.UserID, session.SaveInput{Idx: 2, Response: bank.Response{Judge: new(true)}, Seq: 1})
			if err != nil || !res.Applied || res.SecondsLeft != 0 {
				t.Fatalf("save within grace: %+v %v", res, err)
			}
			e.Now.Advance(6 * time.Second) // 21 s after
			if _, err := e.store.SaveAnswer(ctx, a.ID, a.UserID, session.SaveInput{Idx: 2, Seq: 2}); web.ErrorCode(err) != web.ECONFLICT {
				t.Fatalf("save after grace: %v, want conflict", err)
			}
			closed, err := e.store.Submit(ctx, a.ID, a.UserID)
			if err != nil || closed.Status != session.AttemptClosed || closed.ClosedBy != session.ClosedByDeadline {
				t.Fatalf("submit after grace: %+v %v", closed, err)
			}
		})
	}
}

func TestDoubleSubmitIsHarmless(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newExam(t, d, time.Hour, 60)
			ctx := context.Background()
			a := e.start(t, "clerk062", "k")
			first, err := e.store.Submit(ctx, a.ID, a.UserID)
			if err != nil || first.ClosedBy != session.ClosedByCandidate {
				t.Fatalf("submit: %+v %v", first, err)
			}
			e.Now.Advance(time.Minute)
			second, err := e.store.Submit(ctx, a.ID, a.UserID)
			if err != nil || !second.SubmittedAt.Equal(*first.SubmittedAt) {
				t.Fatalf("second submit: %+v %v", second, err)
			}
			if got := e.marker.marked(); len(got) != 1 || got[0] != a.ID {
				t.Errorf("marked %v, want once %d", got, a.ID)
			}
			if _, err := e.store.SaveAnswer(ctx, a.ID, a.UserID, session.SaveInput{Idx: 0, Seq: 1}); web.ErrorCode(err) != web.ECONFLICT {
				t.Errorf("save after submit: %v", err)
			}
			v, _ := e.store.Paper(ctx, a.ID, a.UserID)
			if len(v.Items) != 0 || v.Total != 6 {
				t.Errorf("closed paper still carries %d questions (total %d)", len(v.Items), v.Total)
			}
		})
	}
}

func TestCloseExpiredClosesWithWhatWasSavedAndMarksLater(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newExam(t, d, time.Hour, 30)
			ctx := context.Background()
			a, b := e.start(t, "clerk062", "k"), e.start(t, "clerk063", "k")
			_, _ = e.store.SaveAnswer(ctx, a.ID, a.UserID, session.SaveInput{Idx: 4, Response: bank.Response{Text: "第一位接待的工作人员负责到底。"}, Seq: 1})
			e.marker.fail = true
			e.Now.Advance(30*time.Minute + 10*time.Second)
			if ids, err := e.store.CloseExpired(ctx); err != nil || len(ids) != 0 {
				t.Fatalf("closed %v within grace (%v)", ids, err)
			}
			e.Now.Advance(15 * time.Second)
			ids, err := e.store.CloseExpired(ctx)
			if err != nil || len(ids) != 2 {
				t.Fatalf("closed %v (%v), want both", ids, err)
			}
			if again, _ := e.store.CloseExpired(ctx); len(again) != 0 {
				t.Errorf("closed again: %v", again)
			}
			got, _ := e.store.FindAttemptByID(ctx, a.ID)
			if got.Status != session.AttemptClosed || got.ClosedBy != session.ClosedByDeadline {
				t.Errorf("attempt after close: %+v", got)
			}
			var kept session.Answer
			_ = e.Srv.DB.NewSelect().Model(&kept).Where("attempt_id = ? AND idx = 4", a.ID).Scan(ctx)
			if kept.Response.Text == "" {
				t.Error("the saved answer was lost at close")
			}
			e.marker.fail = false // the marker was down: the sweep marks both now, once
			if err := e.store.Sweep(ctx); err != nil {
				t.Fatal(err)
			}
			_ = e.store.Sweep(ctx)
			if m := e.marker.marked(); len(m) != 2 || !(m[0] == a.ID && m[1] == b.ID) {
				t.Errorf("marked %v, want %d and %d once each", m, a.ID, b.ID)
			}
		})
	}
}

// Submit closes and marks in one transaction; a marking failure must not undo the close.
func TestSubmitKeepsTheCloseWhenMarkingFails(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newExam(t, d, time.Hour, 30)
			ctx := context.Background()
			a, b := e.start(t, "clerk062", "k"), e.start(t, "clerk063", "k")
			e.marker.fail = true
			if got, err := e.store.Submit(ctx, a.ID, a.UserID); err != nil || got.Status != session.AttemptClosed {
				t.Fatalf("submit while marking fails: %+v %v", got, err)
			}
			e.marker.fail = false
			if got, err := e.store.Submit(ctx, b.ID, b.UserID); err != nil || got.Status != session.AttemptClosed {
				t.Fatalf("submit: %+v %v", got, err)
			}
			for _, id := range []int64{a.ID, b.ID} {
				got, err := e.store.FindAttemptByID(ctx, id)
				if err != nil || got.Status != session.AttemptClosed || got.ClosedBy != session.ClosedByCandidate {
					t.Fatalf("attempt %d after submit: %+v %v", id, got, err)
				}
				if (got.MarkedAt == nil) != (id == a.ID) {
					t.Errorf("attempt %d marked at %v", id, got.MarkedAt)
				}
			}
			if err := e.store.Sweep(ctx); err != nil {
				t.Fatal(err)
			}
			if m := e.marker.marked(); len(m) != 2 || m[0] != b.ID || m[1] != a.ID {
				t.Errorf("marked %v, want %d at submit and %d by the sweep", m, b.ID, a.ID)
			}
		})
	}
}

func TestResumeAfterRestartKeepsEveryAcknowledgedAnswer(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newExam(t, d, time.Hour, 60)
			ctx := context.Background()
			a := e.start(t, "clerk062", "k")
			saves := []session.SaveInput{{Idx: 0, Response: bank.Response{Choice: "B"}, Seq: 1}, {Idx: 2, Response: bank.Response{Judge: new(false)}, Seq: 2},
				{Idx: 3, Response: bank.Response{Blanks: []string{"一次性"}}, Seq: 3}, {Idx: 5, Response: bank.Response{Text: "核验身份证件"}, Flagged: true, Seq: 4}}
			for _, s := range saves {
				if res, err := e.store.SaveAnswer(ctx, a.ID, a.UserID, s); err != nil || !res.Applied {
					t.Fatalf("save %+v: %+v %v", s, res, err)
				}
			}
			srv, err := app.NewServer(ctx, app.TestConfig(), e.Srv.DB, slog.New(slog.NewTextHandler(io.Discard, nil)), e.Now.Now)
			if err != nil {
				t.Fatal(err)
			}
			again, err := srv.Sessions.StartAttempt(ctx, e.session.ID, e.session.Parts[0].ID, a.UserID, "k2")
			if err != nil || again.ID != a.ID {
				t.Fatalf("resume after restart: %+v %v", again, err)
			}
			v, err := srv.Sessions.Paper(ctx, a.ID, a.UserID)
			if err != nil {
				t.Fatal(err)
			}
			if v.Items[0].Response.Choice != "B" || !v.Items[2].JudgeIs(false) || v.Items[3].Blank(0) != "一次性" ||
				v.Items[5].Response.Text != "核验身份证件" || !v.Items[5].Flagged || v.Answered != 4 || v.Flagged != 1 || v.Seq != 4 {
				t.Errorf("resumed paper lost answers: %+v", v)
			}
		})
	}
}

func TestExtendTimeIsRecordedAndAudited(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			e := newExam(t, d, 2*time.Hour, 60)
			ctx := context.Background()
			a := e.start(t, "clerk062", "k")
			trainer := e.uid(t, "trainer")
			if _, err := e.store.ExtendTime(ctx, trainer, a.ID, 10, " "); web.ErrorCode(err) != web.EINVALID {
				t.Errorf("extension without a reason: %v", err)
			}
			got, err := e.store.ExtendTime(ctx, trainer, a.ID, 10, "考生电脑死机，重启耗时约十分钟")
			if err != nil || !got.Deadline.Equal(a.Deadline.Add(10*time.Minute)) || got.ExtraMinutes != 10 {
				t.Fatalf("extend: %+v %v", got, err)
			}
			evs, _ := e.store.FindEvents(ctx, a.ID)
			if len(evs) != 1 || evs[0].Kind != session.EventExtend || evs[0].ActorID == nil || *evs[0].ActorID != trainer {
				t.Errorf("events: %+v", evs)
			}
			n, err := e.Srv.DB.NewSelect().Model((*rbac.AuditEntry)(nil)).Where("action = ? AND object_id = ?", "attempt.extend", a.ID).Count(ctx)
			if err != nil || n != 1 {
				t.Errorf("audit entries %d (%v), want 1", n, err)
			}
		})
	}
}
