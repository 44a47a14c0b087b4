package bank

import "testing"

const demoSample = `
- type: single
  levels: [5, 4]
  code: "2.1"
  difficulty: 2
  point: 一次性告知
  stem: 申请材料不齐全时，窗口应当怎样做？
  options: [直接退回, 一次性告知需补正的全部内容, 让群众自行查询, 先收下材料]
  answer: B
  score: 1
  explanation: 一次性告知，避免群众多跑。
  pool: both
- type: judge
  levels: [5]
  code: "0.1"
  difficulty: 1
  point: 职业守则
  stem: 窗口人员可以把办事群众的身份证复印件带回家保管。
  answer: false
  score: 1
  explanation: 个人信息须按规定保管。
  pool: practice
- type: fill
  levels: [4]
  code: "2.1"
  difficulty: 3
  point: 补正告知
  stem: 申请材料不齐全的，应当当场或者在（　　）日内一次告知。
  answer: [["五", "5"]]
  score: 2
  explanation: 行政许可法的规定。
  pool: exam
`

func TestParseDemo(t *testing.T) {
	qs, err := ParseDemo([]byte(demoSample), 7)
	if err != nil {
		t.Fatal(err)
	}
	s := std(t)
	for _, q := range qs {
		if err := q.Validate(s); err != nil {
			t.Errorf("%s: %v", q.Stem, err)
		}
	}
	if qs[0].Answer.Choice != "B" || qs[1].Answer.Judge == nil || *qs[1].Answer.Judge || len(qs[2].Answer.Blanks[0]) != 2 {
		t.Fatalf("answers not decoded: %+v %+v %+v", qs[0].Answer, qs[1].Answer, qs[2].Answer)
	}
	if qs[0].OwnerOrgID != 7 || !qs[0].Levels.Has(4) {
		t.Fatal("owner or levels lost")
	}
	if _, err := ParseDemo([]byte("- type: single\n  colour: red\n"), 1); err == nil {
		t.Fatal("unknown keys must be refused")
	}
}
