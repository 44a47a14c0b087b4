package certify

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/exams"
)

// What a decision proposes for a candidate.
const (
	ProposeAward      = "award"      // every required part passed: HR may award
	ProposeAwarded    = "awarded"    // already awarded from this session
	ProposeFail       = "fail"       // a required part failed
	ProposeIncomplete = "incomplete" // a required part has no complete result yet
	ProposeNoID       = "no_id"      // passed, but the roster has no national ID to bind to
	ProposeNoPerson   = "no_person"  // the account is not linked to a person on the roster
)

// Part states as the decision sees them.
const (
	PartPassed     = "passed"
	PartFailed     = "failed"
	PartIncomplete = "incomplete" // marked in part, or not marked yet
	PartMissing    = "missing"    // no result at all (not sat, or no panel score)
)

// PartState is one required part of a candidate: the score when there is one, and its state.
type PartState struct {
	PartScore
	Label string `json:"label"`
	State string `json:"state"`
}

// Candidate is one candidate of a released session with every required part and the
// proposed decision.
type Candidate struct {
	UserID      int64        `json:"user_id"`
	StaffID     int64        `json:"staff_id,omitempty"`
	Name        string       `json:"name"`
	EmpNo       string       `json:"emp_no"`
	OrgName     string       `json:"org_name"`
	HasIDNumber bool         `json:"has_id_number"`
	Parts       []PartState  `json:"parts"`
	Proposal    string       `json:"proposal"`
	Reason      string       `json:"reason"`
	Certificate *Certificate `json:"certificate,omitempty"`

	idNumber string
}

// Awardable reports whether HR may award the candidate now.
func (c *Candidate) Awardable() bool { return c.Proposal == ProposeAward }

// Decisions is a session's decision sheet.
type Decisions struct {
	Session    *AwardSession `json:"session"`
	ReleasedAt *time.Time    `json:"released_at,omitempty"`
	Parts      []exams.Part  `json:"parts"`
	Candidates []*Candidate  `json:"candidates"`
	Awardable  int           `json:"awardable"`
	Awarded    int           `json:"awarded"`

	occupation string
}

// FindDecisions lists every candidate of a session with each part its level requires
// (under the standard version the session used) and the proposed decision.
func (s *Store) FindDecisions(ctx context.Context, sessionID int64) (*Decisions, error) {
	sess, err := findAwardSession(ctx, s.db, sessionID, false)
	if err != nil {
		return nil, err
	}
	return s.decide(ctx, s.db, sess)
}

// decide builds the decision sheet of a session inside tx.
func (s *Store) decide(ctx context.Context, tx bun.IDB, sess *AwardSession) (*Decisions, error) {
	std, lv, err := standardLevel(ctx, tx, sess.StandardVersionID, sess.Level)
	if err != nil {
		return nil, err
	}
	d := &Decisions{Session: sess, Parts: lv.Parts, occupation: std.Meta.Occupation}
	if d.ReleasedAt, err = releasedAt(ctx, tx, sess, s.now()); err != nil {
		return nil, err
	}
	cands, err := findCandidates(ctx, tx, sess.ID)
	if err != nil {
		return nil, err
	}
	results, err := findResults(ctx, tx, sess.ID)
	if err != nil {
		return nil, err
	}
	reviews, err := findReviews(ctx, tx, sess.ID)
	if err != nil {
		return nil, err
	}
	certs, err := sessionCertificates(ctx, tx, sess.ID)
	if err != nil {
		return nil, err
	}
	for _, row := range cands {
		c := evaluate(row, lv.Parts, results[row.UserID], reviews[row.UserID])
		if c.StaffID != 0 && certs[c.StaffID] != nil {
			c.Certificate, c.Proposal, c.Reason = certs[c.StaffID], ProposeAwarded, "已发证"
		}
		d.count(c)
		d.Candidates = append(d.Candidates, c)
	}
	return d, nil
}

func (d *Decisions) count(c *Candidate) {
	switch c.Proposal {
	case ProposeAward:
		d.Awardable++
	case ProposeAwarded:
		d.Awarded++
	}
}

// evaluate is the rule of a decision: a level is proposed only when every required part
// has a complete result that passed, and the person can be bound by national ID.
func evaluate(row candidateRow, parts []exams.Part, results map[string]resultRow, review *ReviewScore) *Candidate {
	c := &Candidate{UserID: row.UserID, Name: row.Name, EmpNo: row.EmpNo, OrgName: row.OrgName}
	if row.StaffID != nil {
		c.StaffID = *row.StaffID
	}
	if row.IDNumber != nil && *row.IDNumber != "" {
		c.HasIDNumber, c.idNumber = true, *row.IDNumber
	}
	var failed, open []string
	for _, p := range parts {
		st := partState(p, results, review)
		c.Parts = append(c.Parts, st)
		switch st.State {
		case PartFailed:
			failed = append(failed, st.Label)
		case PartIncomplete, PartMissing:
			open = append(open, st.Label)
		}
	}
	c.Proposal, c.Reason = propose(c, failed, open)
	return c
}

func propose(c *Candidate, failed, open []string) (string, string) {
	switch {
	case len(failed) > 0:
		return ProposeFail, strings.Join(failed, "、") + "不合格"
	case len(open) > 0:
		return ProposeIncomplete, strings.Join(open, "、") + "尚无完整成绩"
	case c.StaffID == 0:
		return ProposeNoPerson, "账号未关联花名册人员，不能发证"
	case !c.HasIDNumber:
		return ProposeNoID, "花名册上没有身份证号，补录后才能发证"
	}
	return ProposeAward, "各部分均合格"
}

// partState reads one required part: theory and skill from the marked part results,
// 综合评审 from the panel's score.
func partState(p exams.Part, results map[string]resultRow, review *ReviewScore) PartState {
	st := PartState{PartScore: PartScore{Part: p.Kind, PassMark: p.PassMark}, Label: exams.PartLabel(p.Kind), State: PartMissing}
	if p.Kind == exams.PartReview {
		if review != nil {
			st.Score, st.PassMark, st.Passed = review.Score, review.PassMark, review.Passed
			st.State = passState(review.Passed)
		}
		return st
	}
	r, ok := results[p.Kind]
	if !ok {
		return st
	}
	st.Score, st.PassMark = r.Score, r.PassMark
	if !r.Complete {
		st.State = PartIncomplete
		return st
	}
	st.Passed = r.Passed && r.Score >= float64(p.PassMark)
	st.State = passState(st.Passed)
	return st
}

func passState(passed bool) string {
	if passed {
		return PartPassed
	}
	return PartFailed
}

var partStateLabels = map[string]string{PartPassed: "合格", PartFailed: "不合格", PartIncomplete: "未评完", PartMissing: "无成绩"}

// StateLabel names the part's state in Chinese.
func (p PartState) StateLabel() string { return partStateLabels[p.State] }

// PartHead is a required part as a column heading names it.
type PartHead struct {
	Label    string
	PassMark int
}

// PartHeads lists the required parts with their Chinese names.
func (d *Decisions) PartHeads() []PartHead {
	out := make([]PartHead, len(d.Parts))
	for i, p := range d.Parts {
		out[i] = PartHead{Label: exams.PartLabel(p.Kind), PassMark: p.PassMark}
	}
	return out
}
