package exams

import "testing"

func TestCodeAt(t *testing.T) {
	s := MustDefault(t)
	cases := []struct {
		code      string
		level     int
		known, at bool
	}{
		{"2.1", 5, true, true},
		{"1.1.3", 5, true, false}, // a requirement for 三级 and above
		{"1.1.3", 3, true, true},
		{"6", 5, true, false}, // 服务管理 starts at 三级
		{"6.1.1", 3, true, true},
		{"6.3", 3, true, false}, // 服务质量监督 is for 二级 and 一级
		{"9.9", 3, false, false},
		{"2.10", 3, false, false}, // not inside "2.1"
	}
	for _, c := range cases {
		known, at := s.CodeAt(c.code, c.level)
		if known != c.known || at != c.at {
			t.Errorf("CodeAt(%s, %d) = %v, %v; want %v, %v", c.code, c.level, known, at, c.known, c.at)
		}
	}
	if !Within("2.1.3", "2.1") || Within("2.10", "2.1") || !Within("2", "2") {
		t.Error("Within is a dotted-prefix test")
	}
}
