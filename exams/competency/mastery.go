package competency

import (
	"math"
	"sort"
	"strconv"
	"time"
)

// figure works out one branch's mastery from its evidence (any order) under the settings
// at now. It returns nil for no evidence, and the evidence newest first with each
// result's share of the figure.
//
// Most recent: the newest session's marks in the branch (a session sat in two parts adds
// both), earned over possible. Decaying average: each result's percent weighted by
// 0.5^(age in days / half-life), so a result one half-life old counts half as much as
// one sat today.
func figure(ev []Evidence, set Settings, now time.Time) (*float64, []Evidence) {
	if len(ev) == 0 {
		return nil, nil
	}
	sort.SliceStable(ev, func(i, j int) bool { return ev[i].TakenAt.After(ev[j].TakenAt) })
	var p float64
	if set.Method == MethodDecay {
		p = decayed(ev, float64(set.HalfLifeDays), now)
	} else {
		p = latest(ev)
	}
	return &p, ev
}

// latest takes the newest session's results; ev is newest first.
func latest(ev []Evidence) float64 {
	var earned, possible float64
	n := 0
	for i := range ev {
		if ev[i].SessionID == ev[0].SessionID {
			earned, possible = earned+ev[i].Earned, possible+ev[i].Possible
			n++
		}
	}
	for i := range ev {
		if ev[i].SessionID == ev[0].SessionID {
			ev[i].Weight = round3(1 / float64(n))
		}
	}
	if possible == 0 {
		return 0
	}
	return round1(earned / possible * 100)
}

// decayed is the weighted mean of the percents, weights halving every halfLife days.
func decayed(ev []Evidence, halfLife float64, now time.Time) float64 {
	ws := make([]float64, len(ev))
	var sum, total float64
	for i, e := range ev {
		age := max(0, now.Sub(e.TakenAt).Hours()/24)
		ws[i] = math.Pow(0.5, age/halfLife)
		sum += ws[i] * e.Percent
		total += ws[i]
	}
	for i := range ev {
		ev[i].Weight = round3(ws[i] / total)
	}
	return round1(sum / total)
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func ftoa(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
func itoa(n int) string     { return strconv.Itoa(n) }
