package bank

import (
	"bytes"
	"context"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// demoItem is one question as written in the demo bank's YAML.
type demoItem struct {
	Type        Type        `yaml:"type"`
	Levels      []int       `yaml:"levels"`
	Code        string      `yaml:"code"`
	Difficulty  int         `yaml:"difficulty"`
	Point       string      `yaml:"point"`
	Stem        string      `yaml:"stem"`
	Options     []string    `yaml:"options"`
	Answer      yaml.Node   `yaml:"answer"`
	Score       int         `yaml:"score"`
	Explanation string      `yaml:"explanation"`
	Pool        Pool        `yaml:"pool"`
	Partial     Partial     `yaml:"partial"`
	Guide       string      `yaml:"guide"`
	Task        string      `yaml:"task"`
	Rubric      []Criterion `yaml:"rubric"`
}

// ParseDemo reads questions in the demo bank's YAML layout (see exams/demo/questions.yaml)
// and gives them to owner. Validation is left to the store.
func ParseDemo(b []byte, owner int64) ([]*Question, error) {
	var items []demoItem
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&items); err != nil {
		return nil, fmt.Errorf("demo questions: %w", err)
	}
	out := make([]*Question, 0, len(items))
	for i, it := range items {
		q, err := it.question(owner)
		if err != nil {
			return nil, fmt.Errorf("demo question %d: %w", i+1, err)
		}
		out = append(out, q)
	}
	return out, nil
}

func (it demoItem) question(owner int64) (*Question, error) {
	q := &Question{Type: it.Type, Levels: LevelsOf(it.Levels...), Code: it.Code, Difficulty: it.Difficulty,
		Point: it.Point, Stem: it.Stem, Options: it.Options, Score: it.Score, Explanation: it.Explanation,
		Pool: it.Pool, Partial: it.Partial, Task: it.Task, Rubric: it.Rubric, OwnerOrgID: owner}
	if q.Type == Multiple && q.Partial == "" {
		q.Partial = PartialHalf
	}
	q.Answer.Guide = it.Guide
	return q, it.decodeAnswer(&q.Answer)
}

// decodeAnswer reads the answer by type: a letter string, a boolean, or lists of blanks.
func (it demoItem) decodeAnswer(a *Answer) error {
	switch it.Type {
	case Single, Multiple:
		return it.Answer.Decode(&a.Choice)
	case Judge:
		var b bool
		if err := it.Answer.Decode(&b); err != nil {
			return err
		}
		a.Judge = &b
	case Fill:
		return it.Answer.Decode(&a.Blanks)
	}
	return nil
}

// SeedDemo loads the demo bank into an empty bank, owned by owner. It returns how many
// questions it stored (0 when the bank already has questions).
func (s *Store) SeedDemo(ctx context.Context, yamlText []byte, owner int64) (int, error) {
	n, err := s.db.NewSelect().Model((*Question)(nil)).Count(ctx)
	if err != nil || n > 0 {
		return 0, err
	}
	qs, err := ParseDemo(yamlText, owner)
	if err != nil {
		return 0, err
	}
	return len(qs), s.CreateQuestions(ctx, 0, qs)
}
