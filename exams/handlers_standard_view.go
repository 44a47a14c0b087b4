package exams

import (
	"strconv"
	"strings"
)

// standardView is what standard_show renders: one version laid out for reading.
type standardView struct {
	Version  *StandardVersion
	By       string // who imported it, "系统" for the built-in profile
	Std      *Standard
	Notes    []provisionalNote
	Level    int // the level whose weights are listed branch by branch
	LevelTag string
	Tabs     []levelTab
	Levels   []levelView
	Parts    []string // column heads of the parts table
	Tree     []treeRow
	Grids    []weightGrid
	Detail   []detailRow
	Totals   [2]int // theory and skill totals of the selected level
	Base     string // this page's path, for the level links
	CanWrite bool
}

type provisionalNote struct{ Topic, Text string }

var topicLabels = map[string]string{
	TopicTree: "职业功能划分", TopicWeights: "权重表", TopicEligibility: "申报条件", TopicTemplate: "通用体例",
}

type levelTab struct {
	Code     int
	Name     string
	Selected bool
}

type levelView struct {
	Code        int
	Name, Title string
	Parts       []partCell
	Eligibility []string
}

type partCell struct {
	Has                  bool
	PassMark, MinMinutes int
}

// treeRow is one line of the tree table: a node, or one of its requirements.
type treeRow struct {
	Kind   string // "node", "skill" or "knowledge"
	Code   string
	Text   string
	Depth  int
	Levels string
}

// weightGrid is one weight table as levels (rows) × branches (columns).
type weightGrid struct {
	Kind, Name string
	Branches   []branchHead
	Rows       []gridRow
}

type branchHead struct{ Code, Name string }

type gridRow struct {
	Level    int
	Name     string
	Cells    []string
	Total    int
	Selected bool
}

// detailRow is one branch weighted at the selected level, with both tables' shares.
type detailRow struct {
	Code, Name    string
	Depth         int
	Theory, Skill string
	HasAny        bool
}

// newStandardView lays out version v, listing the weights of level in full (0 picks the
// lowest level the standard has).
func newStandardView(v *StandardVersion, by string, level int, base string) standardView {
	s := v.Definition
	levels := shownLevels(s, 0)
	if s.Level(level) == nil && len(levels) > 0 {
		level = levels[0]
	}
	view := standardView{Version: v, By: by, Std: s, Level: level, Base: base}
	for _, p := range s.Meta.Provisional {
		view.Notes = append(view.Notes, provisionalNote{Topic: topicLabel(p.Topic), Text: p.Text})
	}
	for _, k := range PartKinds {
		view.Parts = append(view.Parts, PartLabel(k))
	}
	for _, c := range levels {
		view.Tabs = append(view.Tabs, levelTab{Code: c, Name: LevelName(c), Selected: c == level})
		view.Levels = append(view.Levels, newLevelView(s.Level(c)))
	}
	view.Tree = treeRows(s, levels)
	for _, t := range weightTables {
		view.Grids = append(view.Grids, newWeightGrid(s, levels, t.Kind, t.Name, level))
	}
	if l := s.Level(level); l != nil {
		view.LevelTag = LevelName(level) + " / " + LevelTitle(level)
		view.Detail = detailRows(s, l)
		view.Totals = [2]int{sumWeights(l.TheoryWeights), sumWeights(l.SkillWeights)}
	}
	return view
}

func topicLabel(topic string) string {
	if l, ok := topicLabels[topic]; ok {
		return l
	}
	return topic
}

func newLevelView(l *Level) levelView {
	lv := levelView{Code: l.Code, Name: LevelName(l.Code), Title: LevelTitle(l.Code)}
	for _, k := range PartKinds {
		if p := l.Part(k); p != nil {
			lv.Parts = append(lv.Parts, partCell{Has: true, PassMark: p.PassMark, MinMinutes: p.MinMinutes})
		} else {
			lv.Parts = append(lv.Parts, partCell{})
		}
	}
	for _, r := range l.Eligibility {
		lv.Eligibility = append(lv.Eligibility, EligibilityText(r))
	}
	return lv
}

// treeRows flattens the tree with, on every line, the levels it is examined at.
func treeRows(s *Standard, levels []int) []treeRow {
	applicable := map[int]map[string]bool{}
	for _, c := range levels {
		applicable[c] = s.Applicable(c)
	}
	var out []treeRow
	s.Walk(func(n *Node, depth int) {
		var at []int
		for _, c := range levels {
			if applicable[c][n.Code] {
				at = append(at, c)
			}
		}
		out = append(out, treeRow{Kind: "node", Code: n.Code, Text: n.Name, Depth: depth, Levels: levelsLabel(at, levels)})
		out = append(out, requirementRows("skill", n.Skills, at, depth+1, levels)...)
		out = append(out, requirementRows("knowledge", n.Knowledge, at, depth+1, levels)...)
	})
	return out
}

func requirementRows(kind string, rs []Requirement, nodeAt []int, depth int, levels []int) []treeRow {
	var out []treeRow
	for _, r := range rs {
		var at []int
		for _, c := range nodeAt {
			if len(r.Levels) == 0 || containsInt(r.Levels, c) {
				at = append(at, c)
			}
		}
		out = append(out, treeRow{Kind: kind, Code: r.Code, Text: r.Text, Depth: depth, Levels: levelsLabel(at, levels)})
	}
	return out
}

// levelsLabel names the levels a line applies to: "全部等级" when it is all of them.
func levelsLabel(at, all []int) string {
	switch len(at) {
	case 0:
		return "不适用"
	case len(all):
		return "全部等级"
	}
	return levelsText(at)
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func newWeightGrid(s *Standard, levels []int, kind, name string, selected int) weightGrid {
	g := weightGrid{Kind: kind, Name: name}
	codes := weightCodes(s, levels, kind)
	for _, code := range codes {
		g.Branches = append(g.Branches, branchHead{Code: code, Name: s.Node(code).Name})
	}
	for _, c := range levels {
		ws := s.Level(c).Weights(kind)
		row := gridRow{Level: c, Name: LevelName(c), Total: sumWeights(ws), Selected: c == selected}
		for _, code := range codes {
			row.Cells = append(row.Cells, percentText(ws, code))
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

// detailRows lists, in tree order, the branches examined at level l with both weights.
func detailRows(s *Standard, l *Level) []detailRow {
	applicable := s.Applicable(l.Code)
	var out []detailRow
	s.Walk(func(n *Node, depth int) {
		if !applicable[n.Code] {
			return
		}
		r := detailRow{Code: n.Code, Name: n.Name, Depth: depth,
			Theory: percentText(l.TheoryWeights, n.Code), Skill: percentText(l.SkillWeights, n.Code)}
		r.HasAny = r.Theory != "—" || r.Skill != "—"
		if r.HasAny || depth == 0 { // unweighted sub-branches would only add dashes
			out = append(out, r)
		}
	})
	return out
}

// versionName says which version this is in one line, e.g. "第 3 版 · 2026 官方版".
func versionName(v *StandardVersion) string {
	return "第 " + strconv.Itoa(v.VersionNo) + " 版 · " + strings.TrimSpace(v.VersionLabel)
}
