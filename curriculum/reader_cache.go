package curriculum

import (
	"container/list"
	"html/template"
	"sync"
)

// readerCache keeps what the lesson reader builds from a revision: the outline with every
// lesson, each lesson's sanitised HTML and its attachments. Only revisions that are no
// longer drafts are kept: a published (or superseded) revision never changes, and editing
// a course makes a new revision with a new id, so an entry can never go stale; drafts and
// previews are never kept. What depends on the learner (enrollment, finished lessons) and
// the access decision are read per request and never stored here. Entries are handed out
// only as copies (see content.outline), so marks set for one learner cannot reach another.
// Bounded by entries and bytes, least recently used first out.
type readerCache struct {
	mu       sync.Mutex
	maxItems int
	maxBytes int
	bytes    int
	order    *list.List              // of *revContent, most recently used first
	byRev    map[int64]*list.Element // by revision id
	byNumber map[courseRev]int64     // (course, revision number) → revision id
	lessons  map[int64]lessonRef     // lesson id → where it sits, for kept revisions
}

// courseRev names a revision by course and number.
type courseRev struct {
	CourseID int64
	Revision int
}

// lessonRef is where a lesson sits: its course and its key across revisions.
type lessonRef struct {
	CourseID, Key int64
}

// revContent is one revision as the reader shows it. rev and everything under it are
// shared by every request and never changed once built; rev.Status is as it was when kept
// (a published revision later superseded still says published), which the reader never shows.
type revContent struct {
	rev  *Revision
	size int // bytes of text held, for the bound
}

// Default bounds of the reader cache: a county catalogue has some dozens of published
// revisions; a lesson body is at most MaxLessonBody.
const (
	readerCacheItems = 256
	readerCacheBytes = 64 << 20
)

func newReaderCache(maxItems, maxBytes int) *readerCache {
	return &readerCache{maxItems: maxItems, maxBytes: maxBytes, order: list.New(),
		byRev: map[int64]*list.Element{}, byNumber: map[courseRev]int64{}, lessons: map[int64]lessonRef{}}
}

// lesson returns where a lesson of a kept revision sits.
func (rc *readerCache) lesson(id int64) (lessonRef, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	ref, ok := rc.lessons[id]
	return ref, ok
}

// get returns the kept content of a course's revision n, marking it recently used.
func (rc *readerCache) get(courseID int64, n int) *revContent {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	el := rc.byRev[rc.byNumber[courseRev{courseID, n}]]
	if el == nil {
		return nil
	}
	rc.order.MoveToFront(el)
	return el.Value.(*revContent)
}

// put keeps content of a revision that is no longer a draft; a draft is refused.
func (rc *readerCache) put(c *revContent) {
	if c.rev.Status == StatusDraft || c.size > rc.maxBytes || rc.maxItems <= 0 {
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if _, ok := rc.byRev[c.rev.ID]; ok {
		return
	}
	rc.byRev[c.rev.ID] = rc.order.PushFront(c)
	rc.byNumber[courseRev{c.rev.CourseID, c.rev.Revision}] = c.rev.ID
	for _, l := range c.rev.Lessons() {
		rc.lessons[l.ID] = lessonRef{CourseID: c.rev.CourseID, Key: l.Key}
	}
	rc.bytes += c.size
	for rc.order.Len() > rc.maxItems || rc.bytes > rc.maxBytes {
		rc.remove(rc.order.Back())
	}
}

// forgetCourse drops every kept revision of a course.
func (rc *readerCache) forgetCourse(courseID int64) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for el := rc.order.Front(); el != nil; {
		next := el.Next()
		if el.Value.(*revContent).rev.CourseID == courseID {
			rc.remove(el)
		}
		el = next
	}
}

func (rc *readerCache) remove(el *list.Element) {
	c := rc.order.Remove(el).(*revContent)
	delete(rc.byRev, c.rev.ID)
	delete(rc.byNumber, courseRev{c.rev.CourseID, c.rev.Revision})
	for _, l := range c.rev.Lessons() {
		delete(rc.lessons, l.ID)
	}
	rc.bytes -= c.size
}

// len reports how many revisions are kept.
func (rc *readerCache) len() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.order.Len()
}

// newRevContent renders every lesson of a loaded revision once.
func newRevContent(r *Revision) *revContent {
	c := &revContent{rev: r}
	for _, l := range r.Lessons() {
		l.HTML = RenderMarkdown(l.Body)
		c.size += len(l.Body) + len(l.HTML) + len(l.Title)
	}
	return c
}

// outline copies the revision, its modules and lessons for one request: finished marks
// are set on the copies. Attachments are shared and must not be changed.
func (c *revContent) outline() *Revision {
	r := *c.rev
	r.Modules = make([]*Module, len(c.rev.Modules))
	for i, m := range c.rev.Modules {
		mc := *m
		mc.Lessons = make([]*Lesson, len(m.Lessons))
		for j, l := range m.Lessons {
			lc := *l
			mc.Lessons[j] = &lc
		}
		r.Modules[i] = &mc
	}
	return &r
}

// lessonHTML is the lesson's rendered body.
func lessonHTML(l *Lesson) template.HTML {
	if l.HTML == "" && l.Body != "" {
		return RenderMarkdown(l.Body)
	}
	return l.HTML
}
