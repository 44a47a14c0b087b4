package curriculum

import (
	"strings"
	"testing"
)

func cachedRevision(id, courseID int64, n int, status string, lessonIDs ...int64) *Revision {
	r := &Revision{ID: id, CourseID: courseID, Revision: n, Status: status, Modules: []*Module{{ID: id * 10}}}
	for _, l := range lessonIDs {
		r.Modules[0].Lessons = append(r.Modules[0].Lessons, &Lesson{ID: l, Key: l * 100, Title: "课节", Body: strings.Repeat("字", 10)})
	}
	return r
}

// TestReaderCacheBounds: drafts are never kept; the least recently used revision goes
// first when entries or bytes run out, with its lessons; a course can be forgotten.
func TestReaderCacheBounds(t *testing.T) {
	rc := newReaderCache(2, 1<<20)
	rc.put(newRevContent(cachedRevision(1, 7, 1, StatusDraft, 11)))
	if rc.get(7, 1) != nil || rc.len() != 0 {
		t.Fatal("a draft was kept")
	}
	rc.put(newRevContent(cachedRevision(2, 7, 2, StatusPublished, 21, 22)))
	rc.put(newRevContent(cachedRevision(3, 8, 1, StatusSuperseded, 31)))
	if ref, ok := rc.lesson(22); !ok || ref != (lessonRef{CourseID: 7, Key: 2200}) {
		t.Errorf("lesson 22: %+v %v", ref, ok)
	}
	rc.get(7, 2) // now the most recently used
	rc.put(newRevContent(cachedRevision(4, 9, 1, StatusPublished, 41)))
	if rc.get(8, 1) != nil || rc.get(7, 2) == nil || rc.len() != 2 {
		t.Errorf("eviction kept the wrong revisions: %d", rc.len())
	}
	if _, ok := rc.lesson(31); ok {
		t.Error("an evicted revision's lesson is still indexed")
	}
	rc.forgetCourse(7)
	if rc.get(7, 2) != nil || rc.len() != 1 || rc.bytes != rc.get(9, 1).size {
		t.Errorf("forget: %d kept, %d bytes", rc.len(), rc.bytes)
	}
	small := newReaderCache(10, 100)
	small.put(newRevContent(cachedRevision(5, 1, 1, StatusPublished, 51, 52, 53)))
	if small.len() != 0 {
		t.Error("a revision larger than the byte bound was kept")
	}
}

// TestOutlineIsACopy: marks set on a request's outline never reach the kept revision.
func TestOutlineIsACopy(t *testing.T) {
	c := newRevContent(cachedRevision(1, 1, 1, StatusPublished, 11, 12))
	o := c.outline()
	o.Lessons()[0].Done = true
	o.Modules[0].Title = "改"
	if c.rev.Lessons()[0].Done || c.rev.Modules[0].Title != "" || c.outline().Lessons()[0].Done {
		t.Error("a request's outline shares state with the cache")
	}
	if c.rev.Lessons()[1].HTML == "" {
		t.Error("lessons were not rendered when kept")
	}
}
