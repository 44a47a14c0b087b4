package session

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/exams"
	"clerkskill/rbac"
)

// formTime is how datetime-local inputs send a time, in the server's zone.
const formTime = "2006-01-02T15:04"

// partForm is one part row of the session form.
type partForm struct {
	Kind, Label       string
	On                bool
	Minutes           int
	Blueprint, Paper  string
	MinMinutes        int
	OfferedAtTheLevel bool
}

// sessionForm is the create/edit page.
type sessionForm struct {
	ID                int64
	Name              string
	Level             int
	OrgID             int64
	OpensAt, ClosesAt string
	Rooms             string
	ResultsHeld       bool
	Parts             []partForm
	Levels            []levelOption
	Orgs              []*rbac.OrgUnit
	Errors            map[string]string
	Started           bool
}

type levelOption struct {
	Code     int
	Name     string
	Selected bool
}

func levelOptions(selected int) []levelOption {
	out := make([]levelOption, 0, len(exams.LevelCodes))
	for _, l := range exams.LevelCodes {
		out = append(out, levelOption{Code: l, Name: exams.LevelName(l) + "（" + exams.LevelTitle(l) + "）", Selected: l == selected})
	}
	return out
}

// formOf fills the form from a session, or with defaults for a new one at level 5.
func formOf(std *exams.Standard, ss *Session) *sessionForm {
	f := &sessionForm{Level: 5, ResultsHeld: true}
	if ss != nil {
		f.ID, f.Name, f.Level, f.OrgID, f.ResultsHeld = ss.ID, ss.Name, ss.Level, ss.OrgID, ss.ResultsHeld
		f.OpensAt, f.ClosesAt = ss.OpensAt.Local().Format(formTime), ss.ClosesAt.Local().Format(formTime)
		f.Rooms = strings.Join(ss.Rooms, "\n")
	}
	for _, k := range exams.PartKinds {
		pf := partForm{Kind: k, Label: exams.PartLabel(k)}
		if lv := std.Level(f.Level); lv != nil && lv.Part(k) != nil {
			pf.MinMinutes, pf.OfferedAtTheLevel, pf.Minutes = lv.Part(k).MinMinutes, true, lv.Part(k).MinMinutes
		}
		if ss == nil {
			pf.On = k != exams.PartReview
		}
		f.Parts = append(f.Parts, pf)
	}
	if ss != nil {
		for _, p := range ss.Parts {
			f.setPart(p)
		}
	}
	f.Levels = levelOptions(f.Level)
	return f
}

func (f *sessionForm) setPart(p *Part) {
	for i := range f.Parts {
		if f.Parts[i].Kind == p.Kind {
			f.Parts[i].On, f.Parts[i].Minutes = true, p.DurationMinutes
			f.Parts[i].Blueprint, f.Parts[i].Paper = idText(p.BlueprintID), idText(p.PaperID)
		}
	}
}

func idText(id *int64) string {
	if id == nil {
		return ""
	}
	return strconv.FormatInt(*id, 10)
}

// inputOf reads the posted session form and checks it against the standard, listing
// every problem at once.
func inputOf(c *fiber.Ctx, std *exams.Standard) (*Input, error) {
	args := c.Request().PostArgs()
	get := func(k string) string { return strings.TrimSpace(string(args.Peek(k))) }
	in := &Input{Name: get("name"), Rooms: strings.Split(get("rooms"), "\n")}
	in.Level, _ = strconv.Atoi(get("level"))
	in.OrgID, _ = strconv.ParseInt(get("org_id"), 10, 64)
	held := get("results_held") == "on"
	in.ResultsHeld = &held
	bad := map[string]string{}
	in.OpensAt = parseFormTime(get("opens_at"), "window", bad)
	in.ClosesAt = parseFormTime(get("closes_at"), "window", bad)
	for _, k := range exams.PartKinds {
		if get("part_"+k) != "on" {
			continue
		}
		p := PartInput{Kind: k}
		p.DurationMinutes, _ = strconv.Atoi(get("minutes_" + k))
		p.Source.BlueprintID, _ = strconv.ParseInt(get("blueprint_"+k), 10, 64)
		p.Source.PaperID, _ = strconv.ParseInt(get("paper_"+k), 10, 64)
		in.Parts = append(in.Parts, p)
	}
	var e *web.Error
	if errors.As(in.Validate(std), &e) {
		for k, v := range e.Fields {
			if bad[k] == "" {
				bad[k] = v
			}
		}
	}
	return in, web.Invalid(bad)
}

func parseFormTime(v, field string, bad map[string]string) time.Time {
	t, err := time.ParseInLocation(formTime, v, time.Local)
	if err != nil {
		bad[field] = "时间格式应为 年-月-日 时:分"
	}
	return t
}

// formAgain rebuilds the form from what was posted, with the errors.
func formAgain(std *exams.Standard, in *Input, id int64, err error) *sessionForm {
	f := formOf(std, nil)
	f.ID, f.Name, f.Level, f.OrgID = id, in.Name, in.Level, in.OrgID
	f.ResultsHeld = in.ResultsHeld == nil || *in.ResultsHeld
	if !in.OpensAt.IsZero() {
		f.OpensAt = in.OpensAt.Local().Format(formTime)
	}
	if !in.ClosesAt.IsZero() {
		f.ClosesAt = in.ClosesAt.Local().Format(formTime)
	}
	f.Rooms = strings.Join(in.Rooms, "\n")
	for i := range f.Parts {
		f.Parts[i].On = false
	}
	for _, p := range in.Parts {
		bp, pp := p.Source.BlueprintID, p.Source.PaperID
		f.setPart(&Part{Kind: p.Kind, DurationMinutes: p.DurationMinutes, BlueprintID: nonZero(bp), PaperID: nonZero(pp)})
	}
	f.Levels = levelOptions(f.Level)
	if e, ok := err.(*web.Error); ok && e.Fields != nil {
		f.Errors = e.Fields
	} else {
		f.Errors = map[string]string{"form": web.ErrorMessage(err)}
	}
	return f
}

func nonZero(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
