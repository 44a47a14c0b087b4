// Package exams holds the national clerk skill standard as versioned data, and (in later
// work) the question bank, papers, attempts, grading and certification built on it.
//
// The official weight percentages, the exact 职业功能 list and the 申报条件 numbers of the
// standard 行政办事员（政务服务综合窗口办事员） are not public, so the standard is data: a
// definition that ships with a provisional default profile and that an administrator
// replaces by importing the official tables as a new version.
package exams

import (
	"slices"
	"strconv"
)

// Part kinds: the papers of a certification at one level.
const (
	PartTheory = "theory" // 理论知识
	PartSkill  = "skill"  // 技能考核
	PartReview = "review" // 综合评审
)

// PartKinds lists the part kinds in the order they are shown.
var PartKinds = []string{PartTheory, PartSkill, PartReview}

var partLabels = map[string]string{
	PartTheory: "理论知识",
	PartSkill:  "技能考核",
	PartReview: "综合评审",
}

// PartLabel is the Chinese name of a part kind, or the kind itself when unknown.
func PartLabel(kind string) string {
	if l, ok := partLabels[kind]; ok {
		return l
	}
	return kind
}

// LevelCodes lists the five levels of the national ladder, lowest first: 5 is 五级, 1 is 一级.
var LevelCodes = []int{5, 4, 3, 2, 1}

var levelNames = map[int][2]string{
	5: {"五级", "初级工"},
	4: {"四级", "中级工"},
	3: {"三级", "高级工"},
	2: {"二级", "技师"},
	1: {"一级", "高级技师"},
}

// LevelName is the national name of a level code (五级 for 5), or "等级N" when unknown.
func LevelName(code int) string {
	if n, ok := levelNames[code]; ok {
		return n[0]
	}
	return "等级" + strconv.Itoa(code)
}

// LevelTitle is the traditional title of a level code (初级工 for 5).
func LevelTitle(code int) string { return levelNames[code][1] }

// Node kinds in the tree.
const (
	NodeBasic    = "basic"    // 基本要求 (职业道德, 基础知识)
	NodeFunction = "function" // 职业功能
)

// Standard is one version of the skill standard: what is examined at each level, how the
// marks are shared out, and who may apply.
type Standard struct {
	Meta         Meta         `yaml:"meta" json:"meta"`
	Levels       []Level      `yaml:"levels" json:"levels"`
	Tree         []Node       `yaml:"tree" json:"tree"`
	Invigilation Invigilation `yaml:"invigilation" json:"invigilation"`
	ReviewPanel  ReviewPanel  `yaml:"review_panel" json:"review_panel"`
	// ReviewBelowTechnician allows a 综合评审 part on 五级 to 三级, which the common
	// template of national standards reserves for 二级 and 一级.
	ReviewBelowTechnician bool `yaml:"review_below_technician,omitempty" json:"review_below_technician,omitempty"`
}

// Meta says what the definition is and where its figures come from.
type Meta struct {
	Code           string `yaml:"code" json:"code"`
	Name           string `yaml:"name" json:"name"`
	Occupation     string `yaml:"occupation" json:"occupation"`
	OccupationCode string `yaml:"occupation_code" json:"occupation_code"`
	Version        string `yaml:"version" json:"version"`
	Source         string `yaml:"source" json:"source"`
	// Provisional lists, in plain words, which figures are not the official ones. Empty
	// means the whole definition is claimed to be official.
	Provisional []Provisional `yaml:"provisional,omitempty" json:"provisional,omitempty"`
}

// Provisional topics: which part of a definition a note is about.
const (
	TopicTree        = "tree"        // 职业功能与工作内容的划分
	TopicWeights     = "weights"     // 权重表的百分比
	TopicEligibility = "eligibility" // 申报条件的数字
	TopicTemplate    = "template"    // 取自通用体例、未经核实的规则
)

// Provisional is a note saying plainly that some figures are not official.
type Provisional struct {
	Topic string `yaml:"topic" json:"topic"`
	Text  string `yaml:"text" json:"text"`
}

// dropProvisional removes the notes on a topic, once official figures replace it.
func (m *Meta) dropProvisional(topic string) {
	m.Provisional = slices.DeleteFunc(m.Provisional, func(p Provisional) bool { return p.Topic == topic })
}

// IsProvisional reports whether the definition admits guessed figures.
func (s *Standard) IsProvisional() bool { return len(s.Meta.Provisional) > 0 }

// Level is one rung of the ladder with its parts, weight tables and 申报条件.
type Level struct {
	// Code is 5 for 五级/初级工 up to 1 for 一级/高级技师; the names are national and fixed.
	Code  int    `yaml:"code" json:"code"`
	Parts []Part `yaml:"parts" json:"parts"`
	// TheoryWeights is this level's row of the 理论知识权重表: percent per tree code.
	TheoryWeights []Weight `yaml:"theory_weights" json:"theory_weights"`
	// SkillWeights is this level's row of the 技能要求权重表: percent per tree code.
	SkillWeights []Weight `yaml:"skill_weights" json:"skill_weights"`
	// Eligibility lists the 申报条件: meeting any one rule suffices.
	Eligibility []EligibilityRule `yaml:"eligibility" json:"eligibility"`
}

// Part is one paper of a level, marked out of 100.
type Part struct {
	Kind       string `yaml:"kind" json:"kind"`
	PassMark   int    `yaml:"pass_mark" json:"pass_mark"`
	MinMinutes int    `yaml:"min_minutes" json:"min_minutes"`
}

// Weight is one cell of a weight table: the share of a part's marks for a tree branch.
type Weight struct {
	Code    string `yaml:"code" json:"code"`
	Percent int    `yaml:"percent" json:"percent"`
}

// Node is a branch of the tree: at the top 基本要求 or a 职业功能, below it 职业道德,
// 基础知识 or a 工作内容, which carries the 技能要求 and 相关知识要求.
type Node struct {
	Code string `yaml:"code" json:"code"`
	Name string `yaml:"name" json:"name"`
	Kind string `yaml:"kind,omitempty" json:"kind,omitempty"` // top level only
	// Levels limits the branch to some levels; empty means every level.
	Levels    []int         `yaml:"levels,omitempty" json:"levels,omitempty"`
	Children  []Node        `yaml:"children,omitempty" json:"children,omitempty"`
	Skills    []Requirement `yaml:"skills,omitempty" json:"skills,omitempty"`
	Knowledge []Requirement `yaml:"knowledge,omitempty" json:"knowledge,omitempty"`
}

// AppliesTo reports whether the branch is examined at a level.
func (n *Node) AppliesTo(level int) bool {
	return len(n.Levels) == 0 || slices.Contains(n.Levels, level)
}

// Requirement is one 技能要求 or 相关知识要求 with its stable code.
type Requirement struct {
	Code   string `yaml:"code" json:"code"`
	Text   string `yaml:"text" json:"text"`
	Levels []int  `yaml:"levels,omitempty" json:"levels,omitempty"`
}

// Invigilation sets how many invigilators a room needs.
type Invigilation struct {
	CandidatesPerInvigilator int `yaml:"candidates_per_invigilator" json:"candidates_per_invigilator"`
	MinPerRoom               int `yaml:"min_per_room" json:"min_per_room"`
}

// Invigilators returns how many invigilators a room of n candidates needs.
func (v Invigilation) Invigilators(n int) int {
	if n <= 0 || v.CandidatesPerInvigilator <= 0 {
		return 0
	}
	return max(v.MinPerRoom, (n+v.CandidatesPerInvigilator-1)/v.CandidatesPerInvigilator)
}

// ReviewPanel sets the size of a 综合评审 panel.
type ReviewPanel struct {
	MinMembers int  `yaml:"min_members" json:"min_members"`
	Odd        bool `yaml:"odd" json:"odd"`
}

// Eligibility rule kinds (申报条件).
const (
	EligYears          = "years_in_occupation" // 累计从事本职业工作 N 年
	EligLowerCert      = "lower_level_cert"    // 取得低一级证书后从事本职业 N 年
	EligEducation      = "education"           // 学历 + N 年
	EligTitle          = "title"               // 专业技术职称 + N 年
	EligTrainingHours  = "training_hours"      // 经本职业正规培训达 N 学时
	maxEligibilityYear = 50
)

// EligibilityRule is one way to qualify for a level. Hours, when set on a rule of another
// kind, adds a training requirement to it.
type EligibilityRule struct {
	Kind      string `yaml:"kind" json:"kind"`
	Years     int    `yaml:"years,omitempty" json:"years,omitempty"`
	CertLevel int    `yaml:"cert_level,omitempty" json:"cert_level,omitempty"`
	Education string `yaml:"education,omitempty" json:"education,omitempty"`
	Title     string `yaml:"title,omitempty" json:"title,omitempty"`
	Hours     int    `yaml:"hours,omitempty" json:"hours,omitempty"`
	Note      string `yaml:"note,omitempty" json:"note,omitempty"`
}

// Level returns the level with the given code, or nil.
func (s *Standard) Level(code int) *Level {
	for i := range s.Levels {
		if s.Levels[i].Code == code {
			return &s.Levels[i]
		}
	}
	return nil
}

// Part returns the part of the given kind, or nil when the level has none.
func (l *Level) Part(kind string) *Part {
	for i := range l.Parts {
		if l.Parts[i].Kind == kind {
			return &l.Parts[i]
		}
	}
	return nil
}

// Weights returns the weight table row of a part kind; nil for 综合评审, which has none.
func (l *Level) Weights(kind string) []Weight {
	switch kind {
	case PartTheory:
		return l.TheoryWeights
	case PartSkill:
		return l.SkillWeights
	}
	return nil
}

// setWeights replaces the weight table row of a part kind.
func (l *Level) setWeights(kind string, ws []Weight) {
	switch kind {
	case PartTheory:
		l.TheoryWeights = ws
	case PartSkill:
		l.SkillWeights = ws
	}
}

// weightTables are the parts that carry a weight table, with the table's Chinese name.
var weightTables = []struct{ Kind, Name string }{
	{PartTheory, "理论知识权重表"},
	{PartSkill, "技能要求权重表"},
}

// Walk calls fn for every node of the tree, parents before children, with its depth
// (0 for 基本要求 and the 职业功能).
func (s *Standard) Walk(fn func(n *Node, depth int)) {
	var walk func(ns []Node, depth int)
	walk = func(ns []Node, depth int) {
		for i := range ns {
			fn(&ns[i], depth)
			walk(ns[i].Children, depth+1)
		}
	}
	walk(s.Tree, 0)
}

// Applicable returns the codes of the nodes examined at a level: a node applies when it
// and every node above it apply.
func (s *Standard) Applicable(level int) map[string]bool {
	out := map[string]bool{}
	var walk func(ns []Node)
	walk = func(ns []Node) {
		for i := range ns {
			if ns[i].AppliesTo(level) {
				out[ns[i].Code] = true
				walk(ns[i].Children)
			}
		}
	}
	walk(s.Tree)
	return out
}

// Node returns the tree node with the given code, or nil.
func (s *Standard) Node(code string) *Node {
	var found *Node
	s.Walk(func(n *Node, _ int) {
		if found == nil && n.Code == code {
			found = n
		}
	})
	return found
}
