package paper

import (
	"fmt"
	"strconv"
	"strings"

	"clerkskill/exams"
	"clerkskill/exams/bank"
)

// blueprintForm is the blueprint form as posted. Numbers stay text so a bad entry is
// reported beside its field and shown back as typed; rows are parallel lists.
type blueprintForm struct {
	Name       string   `form:"name"`
	Level      int      `form:"level"`
	Part       string   `form:"part"`
	OwnerOrgID int64    `form:"owner_org_id"`
	Tolerance  string   `form:"tolerance"`
	Easy       string   `form:"easy"`
	Medium     string   `form:"medium"`
	Hard       string   `form:"hard"`
	Note       string   `form:"note"`
	Revision   int      `form:"revision"`
	Code       []string `form:"code"`
	Type       []string `form:"type"`
	Count      []string `form:"count"`
	Points     []string `form:"points"`
}

// rowForm is one row of the form as shown.
type rowForm struct{ Code, Type, Count, Points string }

// formRows lists the posted rows plus blank ones to fill in (at least extra, up to 60).
func (f blueprintForm) formRows(extra int) []rowForm {
	n := min(max(len(f.Code)+extra, 8), 60)
	out := make([]rowForm, n)
	for i := range out {
		out[i] = rowForm{Code: at(f.Code, i), Type: at(f.Type, i), Count: at(f.Count, i), Points: at(f.Points, i)}
	}
	return out
}

func at(list []string, i int) string {
	if i < len(list) {
		return strings.TrimSpace(list[i])
	}
	return ""
}

// blueprint turns the form into a blueprint; problems only a form can have (a number
// that is not one) come back as field messages, the rest is left to Validate.
func (f blueprintForm) blueprint() (*Blueprint, map[string]string) {
	errs := map[string]string{}
	b := &Blueprint{Name: f.Name, Level: f.Level, Part: strings.TrimSpace(f.Part), OwnerOrgID: f.OwnerOrgID,
		Note: f.Note, Revision: f.Revision}
	b.Tolerance = formFloat(f.Tolerance, DefaultTolerance, "tolerance", "允许偏差须为数字", errs)
	b.Mix = Mix{Easy: formInt(f.Easy, "mix", errs), Medium: formInt(f.Medium, "mix", errs), Hard: formInt(f.Hard, "mix", errs)}
	for i := range f.Code {
		r := rowForm{Code: at(f.Code, i), Type: at(f.Type, i), Count: at(f.Count, i), Points: at(f.Points, i)}
		if r.Code == "" && r.Count == "" && r.Points == "" {
			continue // a blank row of the form
		}
		key := fmt.Sprintf("row.%d", len(b.Rows)+1)
		row := Row{Code: r.Code, Type: bank.Type(r.Type)}
		row.Count = formInt(r.Count, key, errs)
		row.Points = formFloat(r.Points, 0, key, "", errs)
		if errs[key] != "" {
			errs[key] = fmt.Sprintf("第%d行：题数须为整数，每题分值须为数字", len(b.Rows)+1)
		}
		b.Rows = append(b.Rows, row)
	}
	return b, errs
}

// formOf is the form showing b.
func formOf(b *Blueprint) blueprintForm {
	f := blueprintForm{Name: b.Name, Level: b.Level, Part: b.Part, OwnerOrgID: b.OwnerOrgID, Tolerance: Num(b.Tolerance),
		Easy: strconv.Itoa(b.Mix.Easy), Medium: strconv.Itoa(b.Mix.Medium), Hard: strconv.Itoa(b.Mix.Hard),
		Note: b.Note, Revision: b.Revision}
	for _, r := range b.Rows {
		f.Code, f.Type = append(f.Code, r.Code), append(f.Type, string(r.Type))
		f.Count, f.Points = append(f.Count, strconv.Itoa(r.Count)), append(f.Points, Num(r.Points))
	}
	return f
}

func formInt(s, key string, errs map[string]string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		errs[key] = "难度比例须为整数"
	}
	return n
}

func formFloat(s string, def float64, key, msg string, errs map[string]string) float64 {
	s = strings.TrimSpace(s)
	if s == "" && def != 0 {
		return def
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		errs[key] = msg
	}
	return v
}

// branchOption is one standard branch a row may name: 基本要求's parts, the 职业功能 and
// their 工作内容.
type branchOption struct {
	Code, Name string
	Depth      int
}

// Indent pads the label by depth, with ideographic spaces since options cannot be styled.
func (o branchOption) Indent() string { return strings.Repeat("　", o.Depth) }

func branchOptions(std *exams.Standard) []branchOption {
	var out []branchOption
	std.Walk(func(n *exams.Node, depth int) {
		if depth <= 1 && n.Code != "0" {
			out = append(out, branchOption{Code: n.Code, Name: n.Name, Depth: depth})
		}
	})
	return out
}

// levelOption is one level choice.
type levelOption struct {
	Code     int
	Name     string
	Selected bool
}

func levelOptions(selected int) []levelOption {
	out := make([]levelOption, 0, len(exams.LevelCodes))
	for _, l := range exams.LevelCodes {
		out = append(out, levelOption{Code: l, Name: exams.LevelName(l), Selected: l == selected})
	}
	return out
}

// partOption is one part choice; only parts with a weight table take blueprints.
type partOption struct {
	Kind, Label string
	Selected    bool
}

func partOptions(selected string) []partOption {
	return []partOption{
		{exams.PartTheory, exams.PartLabel(exams.PartTheory), selected == exams.PartTheory},
		{exams.PartSkill, exams.PartLabel(exams.PartSkill), selected == exams.PartSkill},
	}
}

// typeOptions lists every type a blueprint may use, theory's first.
var typeOptions = []bank.Type{bank.Single, bank.Multiple, bank.Judge, bank.Fill, bank.Short, bank.Practical}
