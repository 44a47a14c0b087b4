package paper

import (
	"math/rand/v2"
	"sort"
	"strings"

	"clerkskill/exams"
	"clerkskill/exams/bank"
)

// pickAll fills every row of b from cands (ordered by id) and returns the items grouped
// by type in the bank's type order, rows in blueprint order within a type. Rows on deeper
// branches pick first, so a broader row on the same type cannot take their questions.
// Rows the pool cannot fill come back as shortages.
func pickAll(rng *rand.Rand, b *Blueprint, cands []candidate) ([]Item, []Shortage) {
	order := make([]int, len(b.Rows))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		return strings.Count(b.Rows[order[i]].Code, ".") > strings.Count(b.Rows[order[j]].Code, ".")
	})
	used := map[int64]bool{}
	picked := make([][]candidate, len(b.Rows))
	var short []Shortage
	for _, i := range order {
		r := b.Rows[i]
		pool := rowPool(cands, r, used)
		if len(pool) < r.Count {
			short = append(short, Shortage{Code: r.Code, Type: r.Type, Need: r.Count, Have: len(pool)})
			continue
		}
		picked[i] = pickBanded(rng, pool, r.Count, quotas(rng, r.Count, b.Mix))
		for _, c := range picked[i] {
			used[c.ID] = true
		}
	}
	if len(short) > 0 {
		sort.SliceStable(short, func(i, j int) bool { return short[i].Code < short[j].Code })
		return nil, short
	}
	return assemble(rng, b.Rows, picked), nil
}

// rowPool is the unused candidates of the row's type within its branch.
func rowPool(cands []candidate, r Row, used map[int64]bool) []candidate {
	var out []candidate
	for _, c := range cands {
		if c.Type == r.Type && !used[c.ID] && exams.Within(c.Code, r.Code) {
			out = append(out, c)
		}
	}
	return out
}

// assemble lays the picks out by type, then by row, and shuffles each choice question's
// options.
func assemble(rng *rand.Rand, rows []Row, picked [][]candidate) []Item {
	var out []Item
	for _, t := range bank.Types {
		for i, r := range rows {
			if r.Type != t {
				continue
			}
			for _, c := range picked[i] {
				out = append(out, Item{QuestionID: c.ID, Points: r.Points, Perm: perm(rng, permutable(c))})
			}
		}
	}
	return out
}

// quotas splits count over the difficulty bands by the mix. The whole parts are fixed;
// the slots left by rounding go to bands at random, weighted by their fractions, so over
// many rows and candidates the paper follows the mix.
func quotas(rng *rand.Rand, count int, m Mix) [3]int {
	var q, frac [3]int
	left := count
	for i, p := range m.bands() {
		q[i], frac[i] = count*p/100, count*p%100
		left -= q[i]
	}
	for ; left > 0; left-- {
		total := frac[0] + frac[1] + frac[2]
		if total == 0 {
			q[1]++
			continue
		}
		x := rng.IntN(total)
		for i := range frac {
			if x < frac[i] {
				q[i]++
				frac[i] = 0
				break
			}
			x -= frac[i]
		}
	}
	return q
}

// pickBanded takes quota[b] random questions from each difficulty band where it can, then
// tops up from whatever is left in any band. pool must hold at least count questions.
func pickBanded(rng *rand.Rand, pool []candidate, count int, quota [3]int) []candidate {
	var bands [3][]candidate
	for _, c := range pool {
		b := band(c.Difficulty)
		bands[b] = append(bands[b], c)
	}
	out := make([]candidate, 0, count)
	var rest []candidate
	for b := range bands {
		k := min(quota[b], len(bands[b]))
		takeRandom(rng, bands[b], k)
		out = append(out, bands[b][:k]...)
		rest = append(rest, bands[b][k:]...)
	}
	k := count - len(out)
	takeRandom(rng, rest, k)
	return append(out, rest[:k]...)
}

// takeRandom moves k random elements of list to its front (a partial Fisher–Yates).
func takeRandom(rng *rand.Rand, list []candidate, k int) {
	for i := 0; i < k; i++ {
		j := i + rng.IntN(len(list)-i)
		list[i], list[j] = list[j], list[i]
	}
}
