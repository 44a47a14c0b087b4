package paper

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"clerkskill/exams/bank"
)

// paperForm is the fixed-paper form as posted. Items is one question a line: its number
// as the bank shows it (#12, the question family) and its points, e.g. "12 2"; saving
// pins the latest version of each.
type paperForm struct {
	Name       string `form:"name"`
	Level      int    `form:"level"`
	Part       string `form:"part"`
	OwnerOrgID int64  `form:"owner_org_id"`
	Tolerance  string `form:"tolerance"`
	Note       string `form:"note"`
	Revision   int    `form:"revision"`
	Items      string `form:"items"`
}

// paperLine is one parsed line of the items box.
type paperLine struct {
	family int64
	points float64
}

func isItemSep(r rune) bool {
	return r == ' ' || r == '\t' || r == ',' || r == '，' || r == '、' || r == '　' || r == ';' || r == '；'
}

// lines parses the items box; a malformed line is reported by its number.
func (f paperForm) lines(errs map[string]string) []paperLine {
	var out []paperLine
	n := 0
	for _, raw := range strings.Split(f.Items, "\n") {
		fields := strings.FieldsFunc(strings.TrimSpace(raw), isItemSep)
		if len(fields) == 0 {
			continue
		}
		n++
		var l paperLine
		var err1, err2 error
		l.family, err1 = strconv.ParseInt(strings.TrimPrefix(strings.TrimPrefix(fields[0], "#"), "＃"), 10, 64)
		if len(fields) != 2 {
			err2 = fmt.Errorf("two fields")
		} else {
			l.points, err2 = strconv.ParseFloat(fields[1], 64)
		}
		if err1 != nil || err2 != nil {
			errs[fmt.Sprintf("item.%d", n)] = fmt.Sprintf("第%d题：每行写“题目编号 分值”，如“12 2”", n)
		}
		out = append(out, l)
	}
	return out
}

// paper turns the form into a paper, resolving each question number to its latest
// version.
func (f paperForm) paper(ctx context.Context, s *Store) (*Paper, map[string]string, error) {
	errs := map[string]string{}
	p := &Paper{Name: f.Name, Level: f.Level, Part: strings.TrimSpace(f.Part), OwnerOrgID: f.OwnerOrgID,
		Note: f.Note, Revision: f.Revision}
	p.Tolerance = formFloat(f.Tolerance, DefaultTolerance, "tolerance", "允许偏差须为数字", errs)
	lines := f.lines(errs)
	if len(errs) > 0 {
		return p, errs, nil
	}
	families := make([]int64, len(lines))
	for i, l := range lines {
		families[i] = l.family
	}
	latest, err := s.LatestVersions(ctx, families)
	if err != nil {
		return nil, nil, err
	}
	for i, l := range lines {
		id, ok := latest[l.family]
		if !ok {
			errs[fmt.Sprintf("item.%d", i+1)] = fmt.Sprintf("第%d题：题目 #%d 不存在", i+1, l.family)
		}
		p.Items = append(p.Items, PaperItem{QuestionID: id, Points: l.points})
	}
	return p, errs, nil
}

// paperFormOf is the form showing p, whose questions are qs.
func paperFormOf(p *Paper, qs map[int64]*bank.Question) paperForm {
	f := paperForm{Name: p.Name, Level: p.Level, Part: p.Part, OwnerOrgID: p.OwnerOrgID, Tolerance: Num(p.Tolerance),
		Note: p.Note, Revision: p.Revision}
	var b strings.Builder
	for _, it := range p.Items {
		fam := it.QuestionID
		if q := qs[it.QuestionID]; q != nil {
			fam = q.FamilyID
		}
		fmt.Fprintf(&b, "%d %s\n", fam, Num(it.Points))
	}
	f.Items = b.String()
	return f
}

// LatestVersions maps question numbers (families) to their latest version's id, in one
// query; unknown numbers are left out.
func (s *Store) LatestVersions(ctx context.Context, families []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(families) == 0 {
		return out, nil
	}
	var rows []struct {
		ID       int64 `bun:"id"`
		FamilyID int64 `bun:"family_id"`
	}
	err := s.db.NewSelect().TableExpr("questions AS q").Column("q.id", "q.family_id").
		Where("q.family_id IN (?) AND q.latest = ?", bun.In(families), true).Scan(ctx, &rows)
	for _, r := range rows {
		out[r.FamilyID] = r.ID
	}
	return out, err
}
