package certify

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/rbac"
)

// hoursSpan is the ledger's total over several years, which the training store offers;
// with a ledger that lacks it the years are summed one by one.
type hoursSpan interface {
	HoursInYears(ctx context.Context, userID int64, from, to int) (float64, error)
}

// firstHoursYear is where training hours are counted from: every year in the ledger.
const firstHoursYear = 1900

// EvaluateFor judges the person's records against a level of the current standard today.
func (s *Store) EvaluateFor(ctx context.Context, staffID int64, level int) (*Evaluation, error) {
	return s.evaluate(ctx, s.db, staffID, level)
}

func (s *Store) evaluate(ctx context.Context, tx bun.IDB, staffID int64, level int) (*Evaluation, error) {
	v, err := s.standards.CurrentStandard(ctx)
	if err != nil {
		return nil, err
	}
	lv := v.Definition.Level(level)
	if lv == nil {
		return nil, web.Invalid(map[string]string{"level": "现行标准没有" + exams.LevelName(level)})
	}
	p, err := findApplicant(ctx, tx, staffID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	f, err := s.facts(ctx, tx, p, now)
	if err != nil {
		return nil, err
	}
	ev := Evaluate(lv, f, now)
	ev.StandardVersionID = v.ID
	return &ev, nil
}

// EvaluateLevels judges the person's records against every level of the current
// standard today, lowest level first, reading the records once.
func (s *Store) EvaluateLevels(ctx context.Context, staffID int64) ([]Evaluation, error) {
	v, err := s.standards.CurrentStandard(ctx)
	if err != nil {
		return nil, err
	}
	p, err := findApplicant(ctx, s.db, staffID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	f, err := s.facts(ctx, s.db, p, now)
	if err != nil {
		return nil, err
	}
	var out []Evaluation
	for _, code := range exams.LevelCodes {
		if lv := v.Definition.Level(code); lv != nil {
			ev := Evaluate(lv, f, now)
			ev.StandardVersionID = v.ID
			out = append(out, ev)
		}
	}
	return out, nil
}

// facts gathers the person's records as they stand on the day of now.
func (s *Store) facts(ctx context.Context, tx bun.IDB, p *Applicant, now time.Time) (Facts, error) {
	q, err := findQualification(ctx, tx, p.StaffID)
	if err != nil {
		return Facts{}, err
	}
	f := Facts{HireDate: dateTime(p.HireDate), PriorServiceMonths: q.PriorServiceMonths, Education: p.Education,
		EducationDetail: q.EducationDetail, EducationDate: dateTime(q.EducationDate), Title: q.Title, TitleDate: dateTime(q.TitleDate)}
	if f.Certs, err = heldCerts(ctx, tx, p.StaffID, dateOf(now)); err != nil {
		return f, err
	}
	if p.UserID != nil {
		f.TrainingHours, err = s.trainingHours(ctx, *p.UserID, dateOf(now).Year())
	}
	return f, err
}

func dateTime(d *rbac.Date) *time.Time {
	if d == nil {
		return nil
	}
	t := civil(d.Time)
	return &t
}

// heldCerts lists the person's certificates valid on the day (superseded ones included:
// they were held).
func heldCerts(ctx context.Context, tx bun.IDB, staffID int64, day time.Time) ([]HeldCert, error) {
	var rows []struct {
		Level    int       `bun:"level"`
		Number   string    `bun:"number"`
		IssuedOn rbac.Date `bun:"issued_on"`
	}
	d := day.Format(time.DateOnly)
	err := tx.NewSelect().TableExpr("certificates AS ct").ColumnExpr("ct.level, ct.number, ct.issued_on").
		Where("ct.staff_id = ? AND ct.status <> ?", staffID, CertRevoked).Where("ct.issued_on <= ?", d).
		Where("ct.valid_until IS NULL OR ct.valid_until >= ?", d).Scan(ctx, &rows)
	out := make([]HeldCert, len(rows))
	for i, r := range rows {
		out[i] = HeldCert{Level: r.Level, Number: r.Number, IssuedOn: civil(r.IssuedOn.Time)}
	}
	return out, err
}

// trainingHours is every hour in the ledger up to the year.
func (s *Store) trainingHours(ctx context.Context, userID int64, year int) (float64, error) {
	if s.hours == nil {
		return 0, nil
	}
	if h, ok := s.hours.(hoursSpan); ok {
		return h.HoursInYears(ctx, userID, firstHoursYear, year)
	}
	var sum float64
	for y := year - 30; y <= year; y++ {
		h, err := s.hours.HoursFor(ctx, userID, y)
		if err != nil {
			return 0, err
		}
		sum += h
	}
	return sum, nil
}
