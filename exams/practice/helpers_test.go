package practice_test

import (
	"context"
	"testing"

	"clerkskill/app/apptest"
	"clerkskill/exams/bank"
)

// Markers that must never reach a clerk before they answer.
const (
	explMarker  = "解析标记Q7X"
	guideMarker = "评分要点标记G3K"
	rubrMarker  = "评分细则标记R9P"
)

// bankSet is the questions every practice test draws from.
type bankSet struct {
	single, judge, fill, examOnly, level3, short, multiple, practical *bank.Question
}

func yes() *bool { v := true; return &v }

// seedBank creates, through the bank store, practice questions of every type at 五级,
// one in the exam-only pool and one in a 三级-only branch.
func seedBank(t *testing.T, env *apptest.Env) *bankSet {
	t.Helper()
	const owner = 4 // 城关镇便民服务中心
	b := &bankSet{
		single: &bank.Question{Type: bank.Single, Levels: bank.LevelsOf(5), Code: "1.1", Difficulty: 2, Stem: "群众来电咨询办事指南时，窗口人员首先应当（　　）。",
			Options: []string{"耐心倾听并确认诉求", "直接转接其他部门", "请其自行上网查询"}, Answer: bank.Answer{Choice: "A"}, Score: 2,
			Explanation: explMarker + "：先听清诉求再作答。", Pool: bank.PoolPractice},
		judge: &bank.Question{Type: bank.Judge, Levels: bank.LevelsOf(5, 4), Code: "2.1", Difficulty: 1, Stem: "接收申请材料时应当场核对材料份数。",
			Answer: bank.Answer{Judge: yes()}, Score: 1, Explanation: explMarker + "：当场核对。", Pool: bank.PoolBoth},
		fill: &bank.Question{Type: bank.Fill, Levels: bank.LevelsOf(5), Code: "2.2", Difficulty: 2, Stem: "材料不齐全的，应当（　　）一次性告知需要补正的全部内容。",
			Answer: bank.Answer{Blanks: [][]string{{"一次性", "当场"}}}, Score: 2, Explanation: explMarker, Pool: bank.PoolPractice},
		examOnly: &bank.Question{Type: bank.Single, Levels: bank.LevelsOf(5), Code: "1.2", Difficulty: 3, Stem: "仅考试题：导办分流的首要依据是（　　）。",
			Options: []string{"事项类别", "群众年龄"}, Answer: bank.Answer{Choice: "A"}, Score: 2, Pool: bank.PoolExam},
		level3: &bank.Question{Type: bank.Single, Levels: bank.LevelsOf(3), Code: "6.1", Difficulty: 3, Stem: "三级题：现场秩序管理中，高峰时段应（　　）。",
			Options: []string{"增开窗口", "暂停取号"}, Answer: bank.Answer{Choice: "A"}, Score: 2, Pool: bank.PoolPractice},
		short: &bank.Question{Type: bank.Short, Levels: bank.LevelsOf(5), Code: "0.1", Difficulty: 2, Stem: "简述窗口服务中“首问负责”的含义。",
			Answer: bank.Answer{Guide: guideMarker + "：第一位接待者负责到底。"}, Score: 10, Explanation: explMarker, Pool: bank.PoolPractice},
		multiple: &bank.Question{Type: bank.Multiple, Levels: bank.LevelsOf(5, 4), Code: "3.1", Difficulty: 3, Stem: "推送流转时应当核对的信息有（　　）。",
			Options: []string{"承办部门", "办理时限", "申请人籍贯"}, Answer: bank.Answer{Choice: "AB"}, Score: 2, Partial: bank.PartialHalf, Pool: bank.PoolPractice},
		practical: &bank.Question{Type: bank.Practical, Levels: bank.LevelsOf(5), Code: "4.2", Difficulty: 3, Stem: "模拟窗口：向申请人送达营业执照。",
			Task: "核验身份后送达证照并请其签收。", Rubric: []bank.Criterion{{Criterion: rubrMarker + "核验身份", Points: 4}, {Criterion: "签收留档", Points: 6}},
			Score: 10, Pool: bank.PoolPractice},
	}
	all := []*bank.Question{b.single, b.judge, b.fill, b.examOnly, b.level3, b.short, b.multiple, b.practical}
	for _, q := range all {
		q.OwnerOrgID = owner
	}
	if err := env.Srv.Bank.CreateQuestions(context.Background(), 0, all); err != nil {
		t.Fatalf("create questions: %v", err)
	}
	return b
}

func userID(t *testing.T, env *apptest.Env, username string) int64 {
	t.Helper()
	u, err := env.Srv.RBAC.FindUserByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}
