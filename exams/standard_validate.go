package exams

import (
	"fmt"
	"slices"
	"strings"

	"clerkskill/app/web"
)

// problems collects every fault of a definition, in the order found, keyed by field.
type problems struct {
	msgs   []string
	fields map[string]string
}

func (p *problems) add(field, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	p.msgs = append(p.msgs, msg)
	if p.fields == nil {
		p.fields = map[string]string{}
	}
	if old, ok := p.fields[field]; ok {
		msg = old + "\n" + msg
	}
	p.fields[field] = msg
}

// err returns an EINVALID error listing every problem, one per line; nil when none.
func (p *problems) err() error {
	if len(p.msgs) == 0 {
		return nil
	}
	return &web.Error{Code: web.EINVALID, Message: strings.Join(p.msgs, "\n"), Fields: p.fields}
}

// Validate checks the whole definition and reports every problem at once, each as a
// Chinese sentence naming the level, part and code at fault.
func (s *Standard) Validate() error {
	p := &problems{}
	s.validateMeta(p)
	codes := s.validateTree(p)
	s.validateLevels(p, codes)
	s.validateRatios(p)
	return p.err()
}

func (s *Standard) validateMeta(p *problems) {
	if strings.TrimSpace(s.Meta.Code) == "" {
		p.add("meta.code", "标准代码不能为空")
	}
	if strings.TrimSpace(s.Meta.Name) == "" {
		p.add("meta.name", "标准名称不能为空")
	}
	if strings.TrimSpace(s.Meta.Version) == "" {
		p.add("meta.version", "版本标签不能为空")
	}
	for i, n := range s.Meta.Provisional {
		if !slices.Contains(provisionalTopics, n.Topic) {
			p.add("meta.provisional", "暂定说明第 %d 条的主题“%s”无效，应为 tree、weights、eligibility 或 template", i+1, n.Topic)
		}
		if strings.TrimSpace(n.Text) == "" {
			p.add("meta.provisional", "暂定说明第 %d 条的内容不能为空", i+1)
		}
	}
}

var provisionalTopics = []string{TopicTree, TopicWeights, TopicEligibility, TopicTemplate}

// validateTree checks codes, names and nesting, and returns every node by code.
func (s *Standard) validateTree(p *problems) map[string]*Node {
	nodes := map[string]*Node{}
	seen := map[string]bool{}
	functions := 0
	for i := range s.Tree {
		n := &s.Tree[i]
		if n.Kind != NodeBasic && n.Kind != NodeFunction {
			p.add("tree."+n.Code, "%s %s 的类型“%s”无效，应为 basic（基本要求）或 function（职业功能）", n.Code, n.Name, n.Kind)
		}
		if n.Kind == NodeFunction {
			functions++
		}
		s.validateNode(p, n, nil, nodes, seen)
	}
	if functions == 0 {
		p.add("tree", "标准中没有任何职业功能")
	}
	return nodes
}

func (s *Standard) validateNode(p *problems, n, parent *Node, nodes map[string]*Node, seen map[string]bool) {
	field := "tree." + n.Code
	checkCode(p, field, n.Code, parent, seen)
	if strings.TrimSpace(n.Name) == "" {
		p.add(field, "代码 %s 的名称不能为空", n.Code)
	}
	checkLevels(p, field, n.Code, n.Levels, parent)
	nodes[n.Code] = n
	for _, r := range append(slices.Clone(n.Skills), n.Knowledge...) {
		checkCode(p, field, r.Code, n, seen)
		if strings.TrimSpace(r.Text) == "" {
			p.add(field, "要求 %s 的内容不能为空", r.Code)
		}
		checkLevels(p, field, r.Code, r.Levels, n)
	}
	for i := range n.Children {
		s.validateNode(p, &n.Children[i], n, nodes, seen)
	}
}

// checkCode requires a code to be present, unique, and to extend its parent's code.
func checkCode(p *problems, field, code string, parent *Node, seen map[string]bool) {
	switch {
	case strings.TrimSpace(code) == "":
		p.add(field, "树中有一项缺少代码")
		return
	case seen[code]:
		p.add(field, "代码 %s 重复", code)
	}
	seen[code] = true
	if parent != nil && !strings.HasPrefix(code, parent.Code+".") {
		p.add(field, "代码 %s 应以上级代码 %s. 开头", code, parent.Code)
	}
}

// checkLevels requires known level codes within those of the parent.
func checkLevels(p *problems, field, code string, levels []int, parent *Node) {
	for _, l := range levels {
		switch {
		case levelNames[l][0] == "":
			p.add(field, "代码 %s 的适用等级 %d 无效，应为 1 到 5", code, l)
		case parent != nil && !parent.AppliesTo(l):
			p.add(field, "代码 %s 适用于%s，但上级 %s 不适用于%s", code, LevelName(l), parent.Code, LevelName(l))
		}
	}
}

func (s *Standard) validateLevels(p *problems, nodes map[string]*Node) {
	seen := map[int]bool{}
	for i := range s.Levels {
		l := &s.Levels[i]
		field := fmt.Sprintf("levels.%d", l.Code)
		if levelNames[l.Code][0] == "" {
			p.add(field, "等级代码 %d 无效，应为 1 到 5", l.Code)
			continue
		}
		if seen[l.Code] {
			p.add(field, "等级 %s 重复", LevelName(l.Code))
			continue
		}
		seen[l.Code] = true
		s.validateParts(p, l)
		applicable := s.Applicable(l.Code)
		for _, t := range weightTables {
			validateWeights(p, l, t.Kind, nodes, applicable)
		}
		validateEligibility(p, l)
	}
	for _, c := range LevelCodes {
		if !seen[c] {
			p.add(fmt.Sprintf("levels.%d", c), "缺少等级 %s（%s）", LevelName(c), LevelTitle(c))
		}
	}
}

func (s *Standard) validateParts(p *problems, l *Level) {
	field := fmt.Sprintf("levels.%d.parts", l.Code)
	name := LevelName(l.Code)
	seen := map[string]bool{}
	for _, pt := range l.Parts {
		if partLabels[pt.Kind] == "" {
			p.add(field, "%s 有未知的考核部分“%s”，应为 theory、skill 或 review", name, pt.Kind)
			continue
		}
		if seen[pt.Kind] {
			p.add(field, "%s 的%s重复", name, PartLabel(pt.Kind))
		}
		seen[pt.Kind] = true
		if pt.PassMark < 0 || pt.PassMark > 100 {
			p.add(field, "%s %s及格分为 %d，应在 0 到 100 之间", name, PartLabel(pt.Kind), pt.PassMark)
		}
		if pt.MinMinutes <= 0 {
			p.add(field, "%s %s最短时长为 %d 分钟，应大于 0", name, PartLabel(pt.Kind), pt.MinMinutes)
		}
	}
	for _, k := range []string{PartTheory, PartSkill} {
		if !seen[k] {
			p.add(field, "%s 缺少%s", name, PartLabel(k))
		}
	}
	if seen[PartReview] && l.Code > 2 && !s.ReviewBelowTechnician {
		p.add(field, "%s 设有综合评审，但综合评审通常只用于二级和一级；如确需设置，请将 review_below_technician 设为 true", name)
	}
}

// validateWeights checks one level's row of one weight table: known, applicable,
// non-overlapping codes, each 0 to 100, summing to exactly 100.
func validateWeights(p *problems, l *Level, kind string, nodes map[string]*Node, applicable map[string]bool) {
	field := fmt.Sprintf("levels.%d.%s_weights", l.Code, kind)
	prefix := LevelName(l.Code) + " " + PartLabel(kind)
	ws := l.Weights(kind)
	sum := 0
	seen := map[string]bool{}
	for _, w := range ws {
		sum += w.Percent
		checkWeight(p, field, prefix, w, l.Code, nodes, applicable)
		if seen[w.Code] {
			p.add(field, "%s权重中代码 %s 重复", prefix, w.Code)
		}
		seen[w.Code] = true
	}
	for _, w := range ws {
		for _, other := range ws {
			if strings.HasPrefix(w.Code, other.Code+".") {
				p.add(field, "%s权重同时给了 %s 和它的下级 %s，会重复计分", prefix, other.Code, w.Code)
			}
		}
	}
	if sum != 100 {
		p.add(field, "%s权重合计为 %d，应为 100", prefix, sum)
	}
}

func checkWeight(p *problems, field, prefix string, w Weight, level int, nodes map[string]*Node, applicable map[string]bool) {
	if w.Percent < 0 || w.Percent > 100 {
		p.add(field, "%s权重 %s 为 %d，应在 0 到 100 之间", prefix, w.Code, w.Percent)
	}
	n, ok := nodes[w.Code]
	switch {
	case !ok:
		p.add(field, "%s权重引用了标准树中不存在的代码 %s", prefix, w.Code)
	case !applicable[n.Code]:
		p.add(field, "%s权重给了 %s %s，但该分支不适用于%s", prefix, n.Code, n.Name, LevelName(level))
	}
}

func validateEligibility(p *problems, l *Level) {
	field := fmt.Sprintf("levels.%d.eligibility", l.Code)
	name := LevelName(l.Code)
	for i, r := range l.Eligibility {
		at := fmt.Sprintf("%s 申报条件第 %d 条", name, i+1)
		if r.Years < 0 || r.Years > maxEligibilityYear {
			p.add(field, "%s的年限 %d 无效，应在 0 到 %d 之间", at, r.Years, maxEligibilityYear)
		}
		if r.Hours < 0 {
			p.add(field, "%s的学时 %d 不能为负数", at, r.Hours)
		}
		if msg := eligibilityKindProblem(r, l.Code); msg != "" {
			p.add(field, "%s%s", at, msg)
		}
	}
}

// eligibilityKindProblem checks the parameters a rule of its kind needs.
func eligibilityKindProblem(r EligibilityRule, level int) string {
	switch r.Kind {
	case EligYears:
		if r.Years <= 0 {
			return "（从业年限）应给出大于 0 的年限"
		}
	case EligLowerCert:
		if r.CertLevel <= level || levelNames[r.CertLevel][0] == "" {
			return fmt.Sprintf("（低一级证书）要求的证书等级 %d 无效，应为低于%s的等级", r.CertLevel, LevelName(level))
		}
	case EligEducation:
		if strings.TrimSpace(r.Education) == "" {
			return "（学历）应写明学历要求"
		}
	case EligTitle:
		if strings.TrimSpace(r.Title) == "" {
			return "（职称）应写明职称要求"
		}
	case EligTrainingHours:
		if r.Hours <= 0 {
			return "（培训学时）应给出大于 0 的学时"
		}
	default:
		return fmt.Sprintf("的类型“%s”无效", r.Kind)
	}
	return ""
}

func (s *Standard) validateRatios(p *problems) {
	v := s.Invigilation
	if v.CandidatesPerInvigilator <= 0 {
		p.add("invigilation", "每名监考人员对应的考生数为 %d，应大于 0", v.CandidatesPerInvigilator)
	}
	if v.MinPerRoom <= 0 {
		p.add("invigilation", "每个考场最少监考人数为 %d，应大于 0", v.MinPerRoom)
	}
	r := s.ReviewPanel
	if r.MinMembers <= 0 {
		p.add("review_panel", "综合评审组最少人数为 %d，应大于 0", r.MinMembers)
	} else if r.Odd && r.MinMembers%2 == 0 {
		p.add("review_panel", "综合评审组应为奇数人，但最少人数为 %d", r.MinMembers)
	}
}
