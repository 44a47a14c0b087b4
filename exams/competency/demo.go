package competency

import (
	"context"
	"hash/fnv"
	"strconv"
	"strings"
)

// DemoStrength is the chance a demo clerk answers a question of a tree code rightly, so
// the demo's exam results differ by person and by branch: each clerk has a general
// ability between 0.6 and 0.92, one weak branch among 1–5 (about 0.3 lower) and a second
// one for a third of the clerks, and a little jitter per branch.
func DemoStrength(userID int64, code string) float64 {
	top, _, _ := strings.Cut(code, ".")
	p := 0.6 + 0.32*unit(userID, "base") + 0.16*(unit(userID, top)-0.5)
	if top == strconv.FormatInt(userID%5+1, 10) || (userID%3 == 0 && top == strconv.FormatInt((userID+2)%5+1, 10)) {
		p -= 0.32
	}
	return min(0.97, max(0.1, p))
}

// unit is a number in [0, 1) fixed by the user and the key.
func unit(userID int64, key string) float64 {
	h := fnv.New32a()
	h.Write([]byte(strconv.FormatInt(userID, 10) + "/" + key))
	return float64(h.Sum32()%1000) / 1000
}

// SeedDemo sets the demo's mastery settings: the county keeps the default (most recent
// result, gaps below 60), 东湖街道 weighs results by age with a half-life of 180 days.
func (s *Store) SeedDemo(ctx context.Context, decayOrgID int64) error {
	return s.SaveSettings(ctx, 0, &Settings{OrgID: decayOrgID, Method: MethodDecay, HalfLifeDays: 180, GapBelow: 60, StrongFrom: 85})
}
