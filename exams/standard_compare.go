package exams

import (
	"fmt"
	"strconv"
	"strings"
)

// Kinds of Difference.
const (
	DiffMeta        = "meta"
	DiffLevel       = "level"
	DiffPart        = "part"
	DiffWeight      = "weight"
	DiffNode        = "node"
	DiffRequirement = "requirement"
	DiffEligibility = "eligibility"
	DiffRatio       = "ratio"
)

// Difference is one change between two versions of the standard. Old or New is empty
// when the item was added or removed.
type Difference struct {
	Kind  string `json:"kind"`
	Level int    `json:"level,omitempty"`
	Part  string `json:"part,omitempty"`
	Code  string `json:"code,omitempty"`
	Field string `json:"field,omitempty"`
	Old   string `json:"old"`
	New   string `json:"new"`
	// Text says the change in one Chinese sentence, for the admin UI and the CLI.
	Text string `json:"text"`
}

type differ struct{ out []Difference }

func (d *differ) add(diff Difference, subject string) {
	if diff.Old == diff.New {
		return
	}
	switch {
	case diff.Old == "":
		diff.Text = fmt.Sprintf("新增 %s：%s", subject, diff.New)
	case diff.New == "":
		diff.Text = fmt.Sprintf("删除 %s（原为 %s）", subject, diff.Old)
	default:
		diff.Text = fmt.Sprintf("%s：%s → %s", subject, diff.Old, diff.New)
	}
	d.out = append(d.out, diff)
}

// CompareStandards lists what changed from a to b: metadata, levels, parts (pass marks,
// durations), weights per level, part and code, tree nodes and requirements, 申报条件 and
// ratios. Equal definitions give an empty list.
func CompareStandards(a, b *Standard) []Difference {
	d := &differ{}
	compareMeta(d, a.Meta, b.Meta)
	for _, c := range LevelCodes {
		compareLevel(d, a, b, c)
	}
	compareTree(d, a, b)
	compareRatios(d, a, b)
	return d.out
}

func compareMeta(d *differ, a, b Meta) {
	fields := []struct{ name, label, old, new string }{
		{"code", "标准代码", a.Code, b.Code},
		{"name", "标准名称", a.Name, b.Name},
		{"version", "版本标签", a.Version, b.Version},
		{"source", "来源", a.Source, b.Source},
		{"provisional", "暂定说明", provisionalText(a), provisionalText(b)},
	}
	for _, f := range fields {
		d.add(Difference{Kind: DiffMeta, Field: f.name, Old: f.old, New: f.new}, f.label)
	}
}

func provisionalText(m Meta) string {
	if len(m.Provisional) == 0 {
		return "无（全部为官方数字）"
	}
	var topics []string
	for _, p := range m.Provisional {
		topics = append(topics, p.Topic)
	}
	return strings.Join(topics, "、")
}

func compareLevel(d *differ, a, b *Standard, code int) {
	la, lb := a.Level(code), b.Level(code)
	if la == nil || lb == nil {
		d.add(Difference{Kind: DiffLevel, Level: code, Old: presence(la != nil), New: presence(lb != nil)}, "等级 "+LevelName(code))
		return
	}
	for _, k := range PartKinds {
		compareParts(d, code, k, la.Part(k), lb.Part(k))
	}
	for _, t := range weightTables {
		compareWeights(d, code, t.Kind, la.Weights(t.Kind), lb.Weights(t.Kind), b)
	}
	compareEligibility(d, code, la.Eligibility, lb.Eligibility)
}

func presence(ok bool) string {
	if ok {
		return "有"
	}
	return ""
}

func compareParts(d *differ, level int, kind string, a, b *Part) {
	subject := LevelName(level) + " " + PartLabel(kind)
	base := Difference{Kind: DiffPart, Level: level, Part: kind}
	if a == nil || b == nil {
		base.Old, base.New = partText(a), partText(b)
		d.add(base, subject)
		return
	}
	pass, dur := base, base
	pass.Field, pass.Old, pass.New = "pass_mark", strconv.Itoa(a.PassMark), strconv.Itoa(b.PassMark)
	d.add(pass, subject+"及格分")
	dur.Field, dur.Old, dur.New = "min_minutes", strconv.Itoa(a.MinMinutes), strconv.Itoa(b.MinMinutes)
	d.add(dur, subject+"最短时长（分钟）")
}

func partText(p *Part) string {
	if p == nil {
		return ""
	}
	return fmt.Sprintf("及格 %d 分，不少于 %d 分钟", p.PassMark, p.MinMinutes)
}

func compareWeights(d *differ, level int, kind string, a, b []Weight, named *Standard) {
	old, cur := weightMap(a), weightMap(b)
	for _, code := range unionCodes(a, b) {
		diff := Difference{Kind: DiffWeight, Level: level, Part: kind, Code: code, Old: old[code], New: cur[code]}
		d.add(diff, fmt.Sprintf("%s %s权重 %s", LevelName(level), PartLabel(kind), nodeLabel(named, code)))
	}
}

func weightMap(ws []Weight) map[string]string {
	m := map[string]string{}
	for _, w := range ws {
		m[w.Code] = strconv.Itoa(w.Percent) + "%"
	}
	return m
}

// unionCodes lists the codes of a, then those only in b, each once.
func unionCodes(a, b []Weight) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range append(append([]Weight{}, a...), b...) {
		if !seen[w.Code] {
			seen[w.Code] = true
			out = append(out, w.Code)
		}
	}
	return out
}

func nodeLabel(s *Standard, code string) string {
	if n := s.Node(code); n != nil {
		return code + " " + n.Name
	}
	return code
}

func compareEligibility(d *differ, level int, a, b []EligibilityRule) {
	n := max(len(a), len(b))
	for i := range n {
		diff := Difference{Kind: DiffEligibility, Level: level, Field: strconv.Itoa(i + 1)}
		if i < len(a) {
			diff.Old = EligibilityText(a[i])
		}
		if i < len(b) {
			diff.New = EligibilityText(b[i])
		}
		d.add(diff, fmt.Sprintf("%s 申报条件第 %d 条", LevelName(level), i+1))
	}
}

func compareRatios(d *differ, a, b *Standard) {
	items := []struct{ field, label string }{
		{"candidates_per_invigilator", "每名监考人员对应考生数"},
		{"min_per_room", "每个考场最少监考人数"},
		{"review_min_members", "综合评审组最少人数"},
		{"review_odd", "综合评审组须为奇数"},
		{"review_below_technician", "允许二级以下设综合评审"},
	}
	va, vb := ratioValues(a), ratioValues(b)
	for i, it := range items {
		d.add(Difference{Kind: DiffRatio, Field: it.field, Old: va[i], New: vb[i]}, it.label)
	}
}

func ratioValues(s *Standard) []string {
	return []string{
		strconv.Itoa(s.Invigilation.CandidatesPerInvigilator),
		strconv.Itoa(s.Invigilation.MinPerRoom),
		strconv.Itoa(s.ReviewPanel.MinMembers),
		yesNo(s.ReviewPanel.Odd),
		yesNo(s.ReviewBelowTechnician),
	}
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}
