package exams

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/mattn/go-runewidth"

	"clerkskill/app/web"
)

// PrintStandard writes s as text for `clerkskill standard show`: metadata and the
// provisional notes, then levels with parts, pass marks and durations, the tree, both
// weight tables and the 申报条件. level 0 shows every level; 1 to 5 only that one.
func PrintStandard(w io.Writer, s *Standard, level int) error {
	if level != 0 && s.Level(level) == nil {
		return web.Errorf(web.EINVALID, "等级 %d 不存在，应为 1（一级）到 5（五级），0 表示全部", level)
	}
	levels := shownLevels(s, level)
	bw := bufio.NewWriter(w)
	printMeta(bw, s)
	printParts(bw, s, levels)
	printTree(bw, s, level)
	for _, t := range weightTables {
		printWeights(bw, s, levels, t.Kind, t.Name)
	}
	printEligibility(bw, s, levels)
	return bw.Flush()
}

func shownLevels(s *Standard, level int) []int {
	if level != 0 {
		return []int{level}
	}
	var out []int
	for _, c := range LevelCodes {
		if s.Level(c) != nil {
			out = append(out, c)
		}
	}
	return out
}

func printMeta(w io.Writer, s *Standard) {
	m := s.Meta
	fmt.Fprintf(w, "%s\n", m.Name)
	fmt.Fprintf(w, "职业：%s（%s）\n标准代码：%s\n版本：%s\n", m.Occupation, m.OccupationCode, m.Code, m.Version)
	if m.Source != "" {
		fmt.Fprintf(w, "来源：%s\n", m.Source)
	}
	if len(m.Provisional) == 0 {
		fmt.Fprintln(w, "本版本声明全部数字为官方数字。")
	} else {
		fmt.Fprintln(w, "暂定说明（以下数字不是官方数字）：")
		for _, p := range m.Provisional {
			fmt.Fprintf(w, "  - %s\n", p.Text)
		}
	}
	fmt.Fprintf(w, "监考：每 %d 名考生 1 人，每个考场不少于 %d 人；综合评审组不少于 %d 人%s\n",
		s.Invigilation.CandidatesPerInvigilator, s.Invigilation.MinPerRoom, s.ReviewPanel.MinMembers, oddText(s.ReviewPanel.Odd))
}

func oddText(odd bool) string {
	if odd {
		return "，须为奇数"
	}
	return ""
}

func printParts(w io.Writer, s *Standard, levels []int) {
	fmt.Fprintln(w, "\n【等级与考核】")
	rows := [][]string{{"等级", "考核", "及格分", "最短时长"}}
	for _, c := range levels {
		for _, p := range s.Level(c).Parts {
			rows = append(rows, []string{LevelName(c) + "/" + LevelTitle(c), PartLabel(p.Kind),
				fmt.Sprintf("%d/100", p.PassMark), fmt.Sprintf("%d 分钟", p.MinMinutes)})
		}
	}
	writeTable(w, rows, 2)
}

func printTree(w io.Writer, s *Standard, level int) {
	fmt.Fprintln(w, "\n【标准树】")
	applicable := s.Applicable(level)
	s.Walk(func(n *Node, depth int) {
		if level != 0 && !applicable[n.Code] {
			return
		}
		indent := strings.Repeat("  ", depth)
		fmt.Fprintf(w, "%s%s %s%s\n", indent, n.Code, n.Name, levelsNote(n.Levels, level))
		printRequirements(w, indent+"    ", "技能要求", n.Skills, level)
		printRequirements(w, indent+"    ", "相关知识", n.Knowledge, level)
	})
}

func printRequirements(w io.Writer, indent, label string, rs []Requirement, level int) {
	for _, r := range rs {
		if level != 0 && len(r.Levels) > 0 && !slices.Contains(r.Levels, level) {
			continue
		}
		fmt.Fprintf(w, "%s[%s] %s %s%s\n", indent, label, r.Code, r.Text, levelsNote(r.Levels, level))
	}
}

// levelsNote names the levels a branch is limited to, when showing all levels.
func levelsNote(levels []int, shown int) string {
	if len(levels) == 0 || shown != 0 {
		return ""
	}
	return "（适用：" + levelsText(levels) + "）"
}

func printWeights(w io.Writer, s *Standard, levels []int, kind, title string) {
	fmt.Fprintf(w, "\n【%s】（%%）\n", title)
	header := []string{"代码", "名称"}
	for _, c := range levels {
		header = append(header, LevelName(c))
	}
	rows := [][]string{header}
	for _, code := range weightCodes(s, levels, kind) {
		row := []string{code, s.Node(code).Name}
		for _, c := range levels {
			row = append(row, percentText(s.Level(c).Weights(kind), code))
		}
		rows = append(rows, row)
	}
	total := []string{"合计", ""}
	for _, c := range levels {
		total = append(total, strconv.Itoa(sumWeights(s.Level(c).Weights(kind))))
	}
	writeTable(w, append(rows, total), 2)
}

// weightCodes lists, in tree order, the codes weighted at any of the levels.
func weightCodes(s *Standard, levels []int, kind string) []string {
	used := map[string]bool{}
	for _, c := range levels {
		for _, wt := range s.Level(c).Weights(kind) {
			used[wt.Code] = true
		}
	}
	var out []string
	s.Walk(func(n *Node, _ int) {
		if used[n.Code] {
			out = append(out, n.Code)
		}
	})
	return out
}

func percentText(ws []Weight, code string) string {
	for _, wt := range ws {
		if wt.Code == code {
			return strconv.Itoa(wt.Percent)
		}
	}
	return "—"
}

func sumWeights(ws []Weight) int {
	n := 0
	for _, wt := range ws {
		n += wt.Percent
	}
	return n
}

func printEligibility(w io.Writer, s *Standard, levels []int) {
	fmt.Fprintln(w, "\n【申报条件】（具备其中一条即可）")
	for _, c := range levels {
		fmt.Fprintf(w, "%s/%s：\n", LevelName(c), LevelTitle(c))
		rules := s.Level(c).Eligibility
		if len(rules) == 0 {
			fmt.Fprintln(w, "  （未规定）")
		}
		for i, r := range rules {
			fmt.Fprintf(w, "  %d. %s\n", i+1, EligibilityText(r))
		}
	}
}

// EligibilityText says one 申报条件 rule in Chinese; the rule's own note wins when set.
func EligibilityText(r EligibilityRule) string {
	if r.Note != "" {
		return r.Note
	}
	var t string
	switch r.Kind {
	case EligYears:
		t = fmt.Sprintf("累计从事本职业工作 %d 年（含）以上", r.Years)
	case EligLowerCert:
		t = fmt.Sprintf("取得本职业%s证书后，累计从事本职业工作 %d 年（含）以上", LevelName(r.CertLevel), r.Years)
	case EligEducation:
		t = fmt.Sprintf("具有%s学历，从事本职业工作 %d 年（含）以上", r.Education, r.Years)
	case EligTitle:
		t = fmt.Sprintf("取得%s后，从事本职业工作 %d 年（含）以上", r.Title, r.Years)
	case EligTrainingHours:
		return fmt.Sprintf("经本职业正规培训达 %d 学时", r.Hours)
	default:
		t = r.Kind
	}
	if r.Hours > 0 {
		t += fmt.Sprintf("，并经本职业正规培训达 %d 学时", r.Hours)
	}
	return t
}

// writeTable prints rows as columns padded to their display width, so Chinese text,
// which takes two cells per character in a terminal, lines up with ASCII.
func writeTable(w io.Writer, rows [][]string, gap int) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], runewidth.StringWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-runewidth.StringWidth(c)+gap))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}
