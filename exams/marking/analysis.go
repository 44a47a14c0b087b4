package marking

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"clerkskill/exams"
	"clerkskill/exams/bank"
)

// Item analysis (试题分析) after a session, per question and part:
//
//   - facility (难度系数 P): the mean of score ÷ points over the candidates who had the
//     question, 0–1, higher is easier;
//   - discrimination (区分度 D), by the upper and lower groups: candidates of the part are
//     ranked by their part score (ties by attempt number); the top and bottom 27%
//     (rounded, at least one each) form the groups, and D is the question's mean
//     facility in the upper group minus that in the lower group, over the members who
//     had the question; it is absent when the part has fewer than two candidates or a
//     group has no one who had the question;
//   - option counts in the original option letters (judgement: T 对 / F 错), and how many
//     left the question unanswered.
//
// Flags are raised only when at least MinFlagN candidates had the question: too easy
// (P > 0.9), too hard (P < 0.2), negative discrimination (D < 0), low discrimination
// (0 ≤ D < 0.2), and a distractor nobody chose.

// Analysis thresholds.
const (
	MinFlagN     = 5
	EasyAbove    = 0.9
	HardBelow    = 0.2
	LowDiscBelow = 0.2
	groupShare   = 0.27
)

// OptionCount is how often one option was chosen.
type OptionCount struct {
	Letter string `json:"letter"`
	Text   string `json:"text"`
	Key    bool   `json:"key"`
	Count  int    `json:"count"`
}

// ItemStat is the analysis of one question in one part of a session.
type ItemStat struct {
	Part           string        `json:"part"`
	QuestionID     int64         `json:"question_id"`
	FamilyID       int64         `json:"family_id"`
	Type           bank.Type     `json:"type"`
	Code           string        `json:"code"`
	Stem           string        `json:"stem"`
	OwnerOrgID     int64         `json:"owner_org_id"`
	OwnerName      string        `json:"owner_name"`
	N              int           `json:"n"`
	Facility       *float64      `json:"facility"`
	Discrimination *float64      `json:"discrimination"`
	Unanswered     int           `json:"unanswered"`
	Options        []OptionCount `json:"options"`
	Flags          []string      `json:"flags"`
}

// PartLabel names the part in Chinese.
func (it *ItemStat) PartLabel() string { return partLabel(it.Part) }

// FacilityPct is the facility as a whole percentage, for the chart.
func (it *ItemStat) FacilityPct() int {
	if it.Facility == nil {
		return 0
	}
	return int(math.Round(*it.Facility * 100))
}

// analysisData is what analyse needs: settled item marks, each attempt's part and part
// score, and the questions.
type analysisData struct {
	marks     []*ItemMark
	partOf    map[int64]string
	totals    map[int64]float64
	questions map[int64]*bank.Question
}

// analyse computes the item statistics, ordered by part, then code, then question.
func analyse(d analysisData) []*ItemStat {
	upper, lower := groups(d.partOf, d.totals)
	type key struct {
		part string
		qid  int64
	}
	byKey := map[key][]*ItemMark{}
	for _, m := range d.marks {
		if m.Settled() && m.Score != nil && m.Points > 0 {
			k := key{d.partOf[m.AttemptID], m.QuestionID}
			byKey[k] = append(byKey[k], m)
		}
	}
	out := []*ItemStat{}
	for k, ms := range byKey {
		q := d.questions[k.qid]
		if q == nil {
			continue
		}
		st := &ItemStat{Part: k.part, QuestionID: q.ID, FamilyID: q.FamilyID, Type: q.Type, Code: q.Code,
			Stem: q.Stem, OwnerOrgID: q.OwnerOrgID, N: len(ms), Flags: []string{}}
		st.Facility = meanFacility(ms, nil)
		st.Discrimination = discrimination(ms, upper, lower)
		st.Options, st.Unanswered = optionCounts(q, ms)
		st.Flags = flags(st)
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b *ItemStat) int {
		return cmp.Or(slices.Index(exams.PartKinds, a.Part)-slices.Index(exams.PartKinds, b.Part), cmp.Compare(a.Code, b.Code), cmp.Compare(a.QuestionID, b.QuestionID))
	})
	return out
}

// groups ranks each part's attempts by score and returns the upper and lower 27%.
func groups(partOf map[int64]string, totals map[int64]float64) (upper, lower map[int64]bool) {
	byPart := map[string][]int64{}
	for a, p := range partOf {
		byPart[p] = append(byPart[p], a)
	}
	upper, lower = map[int64]bool{}, map[int64]bool{}
	for _, ids := range byPart {
		if len(ids) < 2 {
			continue
		}
		slices.SortFunc(ids, func(a, b int64) int { return cmp.Or(cmp.Compare(totals[b], totals[a]), cmp.Compare(a, b)) })
		g := max(1, int(math.Round(groupShare*float64(len(ids)))))
		for _, a := range ids[:g] {
			upper[a] = true
		}
		for _, a := range ids[len(ids)-g:] {
			lower[a] = true
		}
	}
	return upper, lower
}

// meanFacility is the mean of score ÷ points over ms (only attempts in only, if given).
func meanFacility(ms []*ItemMark, only map[int64]bool) *float64 {
	sum, n := 0.0, 0
	for _, m := range ms {
		if only == nil || only[m.AttemptID] {
			sum += *m.Score / m.Points
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return ptr(math.Round(sum/float64(n)*1000) / 1000)
}

func discrimination(ms []*ItemMark, upper, lower map[int64]bool) *float64 {
	u, l := meanFacility(ms, upper), meanFacility(ms, lower)
	if u == nil || l == nil {
		return nil
	}
	return ptr(math.Round((*u-*l)*1000) / 1000)
}

// optionCounts counts choices in original letters for choice and judgement questions.
func optionCounts(q *bank.Question, ms []*ItemMark) ([]OptionCount, int) {
	unanswered := 0
	for _, m := range ms {
		if !m.Answered {
			unanswered++
		}
	}
	var opts []OptionCount
	switch q.Type {
	case bank.Single, bank.Multiple:
		for i, text := range q.Options {
			l := bank.Letters[i : i+1]
			opts = append(opts, OptionCount{Letter: l, Text: text, Key: strings.Contains(q.Answer.Choice, l)})
		}
	case bank.Judge:
		key := q.Answer.Judge != nil && *q.Answer.Judge
		opts = []OptionCount{{Letter: "T", Text: "对", Key: key}, {Letter: "F", Text: "错", Key: !key}}
	default:
		return []OptionCount{}, unanswered
	}
	for i := range opts {
		for _, m := range ms {
			if strings.Contains(m.Choice, opts[i].Letter) {
				opts[i].Count++
			}
		}
	}
	return opts, unanswered
}

func flags(st *ItemStat) []string {
	out := []string{}
	if st.N < MinFlagN {
		return out
	}
	if f := st.Facility; f != nil && *f > EasyAbove {
		out = append(out, "过易")
	} else if f != nil && *f < HardBelow {
		out = append(out, "过难")
	}
	if d := st.Discrimination; d != nil && *d < 0 {
		out = append(out, "区分度为负")
	} else if d != nil && *d < LowDiscBelow {
		out = append(out, "区分度偏低")
	}
	if st.Type == bank.Single || st.Type == bank.Multiple {
		for _, o := range st.Options {
			if !o.Key && o.Count == 0 {
				out = append(out, "干扰项"+o.Letter+"无人选择")
			}
		}
	}
	return out
}
