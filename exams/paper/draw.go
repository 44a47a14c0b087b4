package paper

// Source names where one exam part's questions come from: a blueprint drawn per
// candidate, or a fixed paper. Exactly one of the two is set.
type Source struct {
	BlueprintID int64 `json:"blueprint_id,omitempty"`
	PaperID     int64 `json:"paper_id,omitempty"`
}

// Item is one question of a candidate's paper: the question version, the points it
// carries on this paper, and the option order shown (Perm[i] is the original index of
// the option shown in place i; empty for questions without options).
type Item struct {
	QuestionID int64   `json:"question_id"`
	Points     float64 `json:"points"`
	Perm       []int   `json:"perm,omitempty"`
}
