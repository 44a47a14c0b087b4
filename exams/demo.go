package exams

import _ "embed"

// DemoQuestions is the demo question bank: original questions across the default
// profile's branches and every type, in the layout bank.ParseDemo reads.
//
//go:embed demo/questions.yaml
var DemoQuestions []byte
