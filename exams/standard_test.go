package exams

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"clerkskill/app/web"
)

// MustDefault returns a fresh copy of the default profile.
func MustDefault(t testing.TB) *Standard {
	t.Helper()
	s, err := DefaultStandard()
	if err != nil {
		t.Fatalf("default standard: %v", err)
	}
	return s
}

func TestDefaultStandard(t *testing.T) {
	s := MustDefault(t)
	if err := s.Validate(); err != nil {
		t.Fatalf("default profile does not validate: %v", err)
	}
	t.Run("says which figures are provisional", func(t *testing.T) {
		var topics []string
		for _, p := range s.Meta.Provisional {
			topics = append(topics, p.Topic)
		}
		want := []string{TopicTree, TopicWeights, TopicEligibility, TopicTemplate}
		if diff := cmp.Diff(want, topics); diff != "" {
			t.Errorf("provisional topics (-want +got):\n%s", diff)
		}
	})
	t.Run("names the occupation", func(t *testing.T) {
		if s.Meta.OccupationCode != "3-01-01-01" || !strings.Contains(s.Meta.Occupation, "政务服务综合窗口办事员") {
			t.Errorf("occupation = %q %q", s.Meta.Occupation, s.Meta.OccupationCode)
		}
	})
	t.Run("review only at 二级 and 一级", func(t *testing.T) {
		for _, c := range LevelCodes {
			if got, want := s.Level(c).Part(PartReview) != nil, c <= 2; got != want {
				t.Errorf("%s has review = %v, want %v", LevelName(c), got, want)
			}
		}
	})
	t.Run("higher levels weigh managing and training more", func(t *testing.T) {
		if managing(s, 1, PartTheory) <= managing(s, 3, PartTheory) || managing(s, 3, PartSkill) <= managing(s, 5, PartSkill) {
			t.Errorf("weights of 6-8 do not grow with the level")
		}
	})
}

// managing sums the weights of 服务管理, 培训指导 and 业务改进 at a level.
func managing(s *Standard, level int, kind string) int {
	n := 0
	for _, w := range s.Level(level).Weights(kind) {
		if w.Code == "6" || w.Code == "7" || w.Code == "8" {
			n += w.Percent
		}
	}
	return n
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *Standard)
		want   []string // every message must appear; none means valid
	}{
		{"sum 100 is valid", func(s *Standard) {}, nil},
		{"sum 99", func(s *Standard) { s.Level(4).TheoryWeights[0].Percent-- }, []string{"四级 理论知识权重合计为 99，应为 100"}},
		{"sum 101", func(s *Standard) { s.Level(4).TheoryWeights[0].Percent++ }, []string{"四级 理论知识权重合计为 101，应为 100"}},
		{"moved weight still 100", func(s *Standard) {
			s.Level(5).SkillWeights[0].Percent -= 5
			s.Level(5).SkillWeights[1].Percent += 5
		}, nil},
		{"negative weight", func(s *Standard) {
			s.Level(3).SkillWeights[0].Percent = -5
			s.Level(3).SkillWeights[1].Percent += 20
		}, []string{"三级 技能考核权重 1 为 -5，应在 0 到 100 之间"}},
		{"unknown code", func(s *Standard) {
			s.Level(5).TheoryWeights = append(s.Level(5).TheoryWeights, Weight{Code: "9", Percent: 0})
		}, []string{"五级 理论知识权重引用了标准树中不存在的代码 9"}},
		{"duplicate weight code", func(s *Standard) {
			l := s.Level(5)
			l.SkillWeights = append(l.SkillWeights, Weight{Code: "1", Percent: 0})
		}, []string{"五级 技能考核权重中代码 1 重复"}},
		{"weight on branch above level", func(s *Standard) {
			l := s.Level(5)
			l.SkillWeights = append(l.SkillWeights, Weight{Code: "6.1", Percent: 0})
		}, []string{"五级 技能考核权重给了 6.1 现场管理，但该分支不适用于五级"}},
		{"weight on parent and child", func(s *Standard) {
			l := s.Level(5)
			l.SkillWeights = append(l.SkillWeights, Weight{Code: "1.1", Percent: 0})
		}, []string{"同时给了 1 和它的下级 1.1"}},
		{"missing level", func(s *Standard) { s.Levels = s.Levels[:4] }, []string{"缺少等级 一级（高级技师）"}},
		{"duplicate level", func(s *Standard) { s.Levels = append(s.Levels, s.Levels[0]) }, []string{"等级 五级 重复"}},
		{"unknown level", func(s *Standard) { s.Levels[0].Code = 6 }, []string{"等级代码 6 无效", "缺少等级 五级"}},
		{"pass mark above 100", func(s *Standard) { s.Level(2).Parts[0].PassMark = 101 }, []string{"二级 理论知识及格分为 101，应在 0 到 100 之间"}},
		{"pass mark below 0", func(s *Standard) { s.Level(2).Parts[1].PassMark = -1 }, []string{"二级 技能考核及格分为 -1"}},
		{"pass mark 0 and 100 valid", func(s *Standard) {
			s.Level(2).Parts[0].PassMark, s.Level(2).Parts[1].PassMark = 0, 100
		}, nil},
		{"zero duration", func(s *Standard) { s.Level(1).Parts[2].MinMinutes = 0 }, []string{"一级 综合评审最短时长为 0 分钟，应大于 0"}},
		{"missing theory", func(s *Standard) { s.Level(4).Parts = s.Level(4).Parts[1:] }, []string{"四级 缺少理论知识"}},
		{"review below 二级 not configured", func(s *Standard) { addReview(s, 3) }, []string{"三级 设有综合评审", "review_below_technician"}},
		{"review below 二级 configured", func(s *Standard) { addReview(s, 3); s.ReviewBelowTechnician = true }, nil},
		{"duplicate tree code", func(s *Standard) { s.Tree[1].Children[1].Code = "1.1" }, []string{"代码 1.1 重复"}},
		{"child code outside parent", func(s *Standard) { s.Tree[1].Children[0].Code = "2.9" }, []string{"代码 2.9 应以上级代码 1. 开头"}},
		{"requirement code clashes with node", func(s *Standard) { s.Tree[1].Children[0].Skills[0].Code = "1.2" }, []string{"代码 1.2 重复"}},
		{"child level outside parent", func(s *Standard) { s.Tree[6].Children[0].Levels = []int{5} }, []string{"代码 6.1 适用于五级，但上级 6 不适用于五级"}},
		{"even review panel", func(s *Standard) { s.ReviewPanel.MinMembers = 4 }, []string{"综合评审组应为奇数人，但最少人数为 4"}},
		{"no invigilators", func(s *Standard) { s.Invigilation.MinPerRoom = 0 }, []string{"每个考场最少监考人数为 0"}},
		{"eligibility cert of same level", func(s *Standard) { s.Level(4).Eligibility[0].CertLevel = 4 }, []string{"四级 申报条件第 1 条（低一级证书）要求的证书等级 4 无效"}},
		{"eligibility unknown kind", func(s *Standard) { s.Level(5).Eligibility[0].Kind = "age" }, []string{"五级 申报条件第 1 条的类型“age”无效"}},
		{"empty version label", func(s *Standard) { s.Meta.Version = " " }, []string{"版本标签不能为空"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := MustDefault(t)
			tt.change(s)
			assertProblems(t, s.Validate(), tt.want)
		})
	}
}

func addReview(s *Standard, level int) {
	l := s.Level(level)
	l.Parts = append(l.Parts, Part{Kind: PartReview, PassMark: 60, MinMinutes: 15})
}

// assertProblems checks err is nil when want is empty, else EINVALID naming each of want.
func assertProblems(t *testing.T, err error, want []string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if web.ErrorCode(err) != web.EINVALID {
		t.Fatalf("error = %v, want code %s", err, web.EINVALID)
	}
	msg := web.ErrorMessage(err)
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("message lacks %q:\n%s", w, msg)
		}
	}
}

func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	s := MustDefault(t)
	s.Level(4).TheoryWeights[0].Percent = 0
	s.Level(2).SkillWeights[0].Percent = 30
	s.Levels = s.Levels[1:] // drop 五级
	err := s.Validate()
	assertProblems(t, err, []string{"四级 理论知识权重合计为 95", "二级 技能考核权重合计为 120", "缺少等级 五级"})
	if got := len(strings.Split(web.ErrorMessage(err), "\n")); got != 3 {
		t.Errorf("got %d problems, want 3:\n%s", got, web.ErrorMessage(err))
	}
}

func TestParseStandardRoundTrip(t *testing.T) {
	for _, format := range []string{"yaml", "json"} {
		t.Run(format, func(t *testing.T) {
			want := MustDefault(t)
			want.Level(3).SkillWeights[0].Percent, want.Level(3).SkillWeights[1].Percent = 20, 20
			var buf bytes.Buffer
			if err := MarshalStandard(&buf, want, format); err != nil {
				t.Fatal(err)
			}
			got, err := ParseStandard(&buf, format)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseStandardRefuses(t *testing.T) {
	var js bytes.Buffer
	bad := MustDefault(t)
	bad.Level(4).TheoryWeights[0].Percent = 0
	_ = MarshalStandard(&js, bad, "json")
	tests := []struct {
		name, format, input string
		code                string
		want                string
	}{
		{"unknown yaml field", "yaml", "meta:\n  cod: x\n", web.EINVALID, "YAML 格式错误"},
		{"broken yaml", "yaml", "meta: [\n", web.EINVALID, "YAML 格式错误"},
		{"broken json", "json", "{\n\"meta\": {,}", web.EINVALID, "JSON 格式错误：第 2 行"},
		{"wrong json type", "json", `{"levels": [{"code": "五"}]}`, web.EINVALID, "字段 levels.code 应为 int"},
		{"unknown json field", "json", `{"metta": {}}`, web.EINVALID, "metta"},
		{"trailing json", "json", `{} {}`, web.EINVALID, "多余内容"},
		{"empty", "yaml", " \n", web.EINVALID, "文件为空"},
		{"unknown format", "toml", "a = 1", web.EINVALID, "不支持的标准文件格式"},
		{"valid syntax invalid standard", "json", js.String(), web.EINVALID, "四级 理论知识权重合计为 95"},
		{"oversize", "yaml", "# " + strings.Repeat("x", MaxStandardSize), web.ETOOLARGE, "超过 5 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseStandard(strings.NewReader(tt.input), tt.format)
			if web.ErrorCode(err) != tt.code || !strings.Contains(web.ErrorMessage(err), tt.want) {
				t.Errorf("err = %v, want %s containing %q", err, tt.code, tt.want)
			}
		})
	}
}

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]string{"a.YAML": "yaml", "b.yml": "yaml", "c.json": "json", "d.xlsx": "xlsx", "e.xls": ""} {
		if got := FormatOf(name); got != want {
			t.Errorf("FormatOf(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestInvigilators(t *testing.T) {
	v := MustDefault(t).Invigilation
	for n, want := range map[int]int{0: 0, 1: 2, 15: 2, 30: 2, 31: 3, 45: 3, 46: 4} {
		if got := v.Invigilators(n); got != want {
			t.Errorf("Invigilators(%d) = %d, want %d", n, got, want)
		}
	}
}
