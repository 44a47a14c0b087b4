package app_test

import (
	"context"
	"fmt"
	"sync"
	"time"

	"clerkskill/curriculum"
	"clerkskill/exams/bank"
)

// Curriculum fixtures for the authorization matrix. Each group has a published course
// owned by its unit, remade when an earlier row deleted part of it; learning rows share one
// county course open to clerk061.
var (
	courseFixtureMu  sync.Mutex
	courseFixtureSeq int
	learnFixtures    = map[*fixture]*curriculumFixture{}
	groupFixtures    = map[*fixture]map[string]*curriculumFixture{}
	quizQuestions    = map[*fixture]int64{}
)

type curriculumFixture struct {
	course, module, lesson, attachment int64
	moduleKey, lessonKey               int64
	storageName                        string
	assignment                         int64
}

// pdfBytes is the smallest file the attachment checks accept.
var pdfBytes = []byte("%PDF-1.4\n%%EOF\n")

func (fx *fixture) freshCourse(orgID int64) *curriculumFixture {
	courseFixtureMu.Lock()
	courseFixtureSeq++
	code := fmt.Sprintf("AUTHZ-%d", courseFixtureSeq)
	courseFixtureMu.Unlock()
	ctx := context.Background()
	s := fx.env.Srv.Courses
	c, err := s.CreateCourse(ctx, 0, curriculum.Meta{Code: code, Title: "权限测试课程", Kind: curriculum.KindTheory,
		Levels: []int{5}, ClassHours: 1, OwnerOrgID: orgID})
	if err != nil {
		fx.t.Fatal(err)
	}
	m, err := s.AddModule(ctx, c.ID, "模块")
	if err != nil {
		fx.t.Fatal(err)
	}
	l, err := s.AddLesson(ctx, m.ID, curriculum.LessonInput{Title: "课节", Body: "正文", Required: true})
	if err != nil {
		fx.t.Fatal(err)
	}
	a, err := s.AddAttachment(ctx, l.ID, "资料.pdf", pdfBytes)
	if err != nil {
		fx.t.Fatal(err)
	}
	if _, err := s.SetQuiz(ctx, c.ID, fx.quizScope(), curriculum.QuizInput{QuestionIDs: []int64{fx.quizQuestion()}, PassPercent: 60}); err != nil {
		fx.t.Fatal(err)
	}
	if _, err := s.Publish(ctx, 0, c.ID); err != nil {
		fx.t.Fatal(err)
	}
	return &curriculumFixture{course: c.ID, module: m.ID, lesson: l.ID, attachment: a.ID,
		moduleKey: m.Key, lessonKey: l.Key, storageName: a.Name}
}

// groupCourse returns the group's course, remade when its module, lesson or attachment is
// gone from the revision being edited.
func (fx *fixture) groupCourse(group string) *curriculumFixture {
	courseFixtureMu.Lock()
	if groupFixtures[fx] == nil {
		groupFixtures[fx] = map[string]*curriculumFixture{}
	}
	f := groupFixtures[fx][group]
	courseFixtureMu.Unlock()
	if f != nil && fx.intact(f) {
		return f
	}
	f = fx.freshCourse(fx.orgs[group].ID)
	courseFixtureMu.Lock()
	groupFixtures[fx][group] = f
	courseFixtureMu.Unlock()
	return f
}

func (fx *fixture) intact(f *curriculumFixture) bool {
	ctx := context.Background()
	c, err := fx.env.Srv.Courses.FindCourse(ctx, f.course)
	if err != nil {
		return false
	}
	r, err := fx.env.Srv.Courses.LoadRevision(ctx, c.ID, c.LatestRev)
	if err != nil {
		return false
	}
	if q, err := fx.env.Srv.Courses.QuizOf(ctx, c.ID, c.LatestRev); err != nil || q == nil {
		return false // a row removed the quiz
	}
	for _, m := range r.Modules {
		for _, l := range m.Lessons {
			if m.Key == f.moduleKey && l.Key == f.lessonKey && len(l.Attachments) > 0 {
				return true
			}
		}
	}
	return false
}

func (fx *fixture) courseID(group string) int64 { return fx.groupCourse(group).course }

func (fx *fixture) moduleID(group string) int64 { return fx.groupCourse(group).module }

func (fx *fixture) lessonID(group string) int64 { return fx.groupCourse(group).lesson }

func (fx *fixture) attachmentID(group string) int64 {
	f := fx.groupCourse(group)
	if _, err := fx.env.Srv.Courses.FindAttachment(context.Background(), f.attachment); err != nil {
		f = fx.freshCourse(fx.orgs[group].ID)
		courseFixtureMu.Lock()
		groupFixtures[fx][group] = f
		courseFixtureMu.Unlock()
	}
	return f.attachment
}

// assignmentID returns an assignment of the group's course to the group's whole unit,
// making a new one when an earlier row withdrew it.
func (fx *fixture) assignmentID(group string) int64 {
	f := fx.groupCourse(group)
	if f.assignment != 0 {
		if _, err := fx.env.Srv.Courses.FindAssignment(context.Background(), f.assignment); err == nil {
			return f.assignment
		}
	}
	o := fx.orgs[group]
	due := fx.env.Now.Now().AddDate(0, 0, 10).Format(time.DateOnly)
	out, err := fx.env.Srv.Courses.Assign(context.Background(), 0, []string{o.Path},
		curriculum.AssignInput{CourseID: f.course, OrgID: o.ID, DueOn: due})
	if err != nil {
		fx.t.Fatal(err)
	}
	f.assignment = out[0].ID
	return f.assignment
}

// learnFixture is one published county course, open to every clerk of the county.
func (fx *fixture) learnFixture() *curriculumFixture {
	courseFixtureMu.Lock()
	f := learnFixtures[fx]
	courseFixtureMu.Unlock()
	if f != nil {
		return f
	}
	county, err := fx.env.Srv.RBAC.FindOrgByCode(context.Background(), "QS")
	if err != nil {
		fx.t.Fatal(err)
	}
	f = fx.freshCourse(county.ID)
	courseFixtureMu.Lock()
	learnFixtures[fx] = f
	courseFixtureMu.Unlock()
	return f
}

func (fx *fixture) learnCourseID(string) int64 { return fx.learnFixture().course }

func (fx *fixture) learnLessonID(string) int64 { return fx.learnFixture().lesson }

func (fx *fixture) learnAttachmentID(string) int64 { return fx.learnFixture().attachment }

// quizScope is where the fixture quizzes' question lives: the county.
func (fx *fixture) quizScope() []string {
	county, err := fx.env.Srv.RBAC.FindOrgByCode(context.Background(), "QS")
	if err != nil {
		fx.t.Fatal(err)
	}
	return []string{county.Path}
}

// quizQuestion is one county judge question every fixture course's quiz asks.
func (fx *fixture) quizQuestion() int64 {
	courseFixtureMu.Lock()
	defer courseFixtureMu.Unlock()
	if id := quizQuestions[fx]; id != 0 {
		return id
	}
	county, err := fx.env.Srv.RBAC.FindOrgByCode(context.Background(), "QS")
	if err != nil {
		fx.t.Fatal(err)
	}
	q := &bank.Question{Type: bank.Judge, Levels: bank.LevelsOf(5), Code: "2.1", Difficulty: 1, Score: 1,
		Stem: "窗口人员应当场核对申请材料。", Answer: bank.Answer{Judge: new(true)}, Pool: bank.PoolPractice, OwnerOrgID: county.ID}
	if err := fx.env.Srv.Bank.CreateQuestion(context.Background(), 0, q); err != nil {
		fx.t.Fatal(err)
	}
	quizQuestions[fx] = q.ID
	return q.ID
}
