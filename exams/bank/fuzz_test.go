package bank

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"clerkskill/app/web/webtest"
	"clerkskill/exams"
)

// hostileText is text no importer may choke on: control characters, a NUL, a BOM in the
// middle, unbalanced GIFT braces and escapes, formula-like stems, very long lines.
var hostileText = []string{
	"\ufeff\ufeff题？\nA. 甲\nB. 乙\nANSWER: B\x00",
	"=cmd|' /C calc'!A0\nA. =1+1\nB. @SUM(A1)\nANSWER: A\n",
	"题？\nA. 甲\nB. 乙\nC. 丙\nD. 丁\nE. 戊\nF. 己\nG. 庚\nH. 辛\nI. 壬\nANSWER: I\n",
	"题\r\rA) x\r\rANSWER：ａ，ｂ\r",
	"::\\::\\:: {=\\{\\} ~%101%x ~%-0.5%y #fb}\n\n{{{{}}}}\n\n\\",
	"::t::[html]<script>alert(1)</script> {=<img src=x onerror=alert(1)> ~b}\n",
	strings.Repeat("长", 70000) + " {T}\n",
	strings.Repeat("题？\nA. 甲\nB. 乙\nANSWER: A\n\n", 50),
}

// fuzzText runs a text importer on input and checks the outcome, the time it took, the
// error it gave, and that accepted questions survive the trip through the Excel template.
func fuzzText(t *testing.T, s *exams.Standard, parse func(string, ImportOptions) ([]*Question, *Report, error), text string) {
	o := ImportOptions{Std: s, Defaults: Defaults{Owner: 1, Levels: LevelsOf(5), Code: "2.1", Score: 1}}
	start := time.Now()
	qs, rep, err := parse(text, o)
	webtest.Within(t, start)
	webtest.AppError(t, err)
	checkOutcome(t, s, qs, rep, err)
	if err == nil {
		roundTrip(t, s, qs)
	}
}

// roundTrip exports accepted questions and imports them again: the same questions.
func roundTrip(t *testing.T, s *exams.Standard, qs []*Question) {
	t.Helper()
	var buf bytes.Buffer
	if err := ExportQuestions(&buf, qs, s); err != nil {
		t.Fatalf("export accepted questions: %v", err)
	}
	back, rep, err := ParseWorkbook(&buf, ImportOptions{Std: s, Defaults: Defaults{Owner: qs[0].OwnerOrgID}})
	if err != nil {
		t.Fatalf("re-import of an export: %v %+v", err, rep)
	}
	if diff := cmp.Diff(qs, back, cmpopts.IgnoreUnexported(Question{})); diff != "" {
		t.Errorf("round trip (-accepted +re-imported):\n%s", diff)
	}
}

func fuzzStd(f *testing.F) *exams.Standard {
	s, err := defaultStd()
	if err != nil {
		f.Fatal(err)
	}
	return s
}

func FuzzParseAiken(f *testing.F) {
	s := fuzzStd(f)
	for _, seed := range append([]string{goodAiken, "题？\nA. 甲\nB. 乙\nANSWER: C\n", "A. 甲\nANSWER:\n\n\n"}, hostileText...) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		fuzzText(t, s, func(text string, o ImportOptions) ([]*Question, *Report, error) {
			return ParseAiken(strings.NewReader(text), o)
		}, text)
	})
}

func FuzzParseGIFT(f *testing.F) {
	s := fuzzStd(f)
	for _, seed := range append([]string{goodGIFT, "::t:: a {=b ~c}\n\nx {~%50%a ~%50%b}\n\ny {T}\n", "{\\}{=\\=}::::{#}"}, hostileText...) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		fuzzText(t, s, func(text string, o ImportOptions) ([]*Question, *Report, error) {
			return ParseGIFT(strings.NewReader(text), o)
		}, text)
	})
}

func FuzzParseWorkbook(f *testing.F) {
	s := fuzzStd(f)
	for _, seed := range workbookSeeds(f, s) {
		f.Add(seed)
	}
	o := ImportOptions{Std: s, Defaults: Defaults{Owner: 1, Score: 1}}
	f.Fuzz(func(t *testing.T, b []byte) {
		start := time.Now()
		qs, rep, err := ParseWorkbook(bytes.NewReader(b), o)
		webtest.Within(t, start)
		webtest.AppError(t, err)
		checkOutcome(t, s, qs, rep, err)
		if err == nil {
			roundTrip(t, s, qs)
		}
	})
}

// workbookSeeds are the template, an export of every question type, and broken files.
func workbookSeeds(f *testing.F, s *exams.Standard) [][]byte {
	var tmpl, all bytes.Buffer
	if err := WriteTemplate(&tmpl, s); err != nil {
		f.Fatal(err)
	}
	if err := ExportQuestions(&all, everyType(), s); err != nil {
		f.Fatal(err)
	}
	whole := all.Bytes()
	return [][]byte{tmpl.Bytes(), whole, whole[:len(whole)/2], []byte("PK\x03\x04"),
		[]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), []byte("not a workbook")}
}
