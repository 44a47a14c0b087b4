package paper

import "sync"

// fixedDraw is what drawing from a fixed paper needs: its items and, per question, how
// many options a candidate's order shuffles. A question version is never edited in place
// (the bank makes a new version), and an edit of the paper raises its revision, so one
// revision's draw never changes.
type fixedDraw struct {
	revision int
	items    []PaperItem
	options  map[int64]int
}

// maxFixedPapers bounds the fixed papers one instance keeps; past it, it starts afresh.
const maxFixedPapers = 500

// fixedPapers keeps fixed papers' draws by paper id, so that on exam day the start of
// each of thousands of candidates does not read the same paper and questions again.
type fixedPapers struct {
	mu sync.RWMutex
	m  map[int64]*fixedDraw
}

// get returns the paper's draw if it was kept at exactly this revision.
func (c *fixedPapers) get(id int64, revision int) *fixedDraw {
	if revision == 0 {
		return nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if fp := c.m[id]; fp != nil && fp.revision == revision {
		return fp
	}
	return nil
}

func (c *fixedPapers) put(id int64, fp *fixedDraw) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxFixedPapers {
		c.m = map[int64]*fixedDraw{}
	}
	c.m[id] = fp
}
