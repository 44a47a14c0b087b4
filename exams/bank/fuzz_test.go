package bank

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/xuri/excelize/v2"

	"clerkskill/app/web/webtest"
	"clerkskill/exams"
	"clerkskill/exports/fuzztest"
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
}

// longText is hostile by size. It is checked by TestLongText, not used as fuzz seeds: the
// engine minimises an input that finds new code a byte at a time, and on a 70 KB seed that
// stalled FuzzParseGIFT at a dozen execs in 20 s.
var longText = []string{
	strings.Repeat("长", 70000) + " {T}\n",
	strings.Repeat("题？\nA. 甲\nB. 乙\nANSWER: A\n\n", 50),
}

// TestLongText runs both text importers over the long inputs with the fuzz targets' checks.
func TestLongText(t *testing.T) {
	s := fuzzStd(t)
	parsers := map[string]func(string, ImportOptions) ([]*Question, *Report, error){
		"aiken": func(text string, o ImportOptions) ([]*Question, *Report, error) {
			return ParseAiken(strings.NewReader(text), o)
		},
		"gift": func(text string, o ImportOptions) ([]*Question, *Report, error) {
			return ParseGIFT(strings.NewReader(text), o)
		},
	}
	for name, parse := range parsers {
		for i, text := range longText {
			t.Run(fmt.Sprintf("%s/%d", name, i), func(t *testing.T) { fuzzText(t, s, parse, text) })
		}
	}
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

func fuzzStd(f testing.TB) *exams.Standard {
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

// FuzzParseWorkbook feeds the question workbook's row checks the rows of a 题目 sheet (a
// grid below the template's header, see fuzztest.Grid), as readQuestionSheet gives
// them: questions it accepts validate and survive an export and import. Seeds are one
// row each: the fuzzing engine minimises every input that finds new code a byte at a
// time, at a cost that grows with the square of its length.
func FuzzParseWorkbook(f *testing.F) {
	s := fuzzStd(f)
	for _, seed := range workbookRows(f, s) {
		f.Add(seed)
	}
	o := ImportOptions{Std: s, Defaults: Defaults{Owner: 1, Score: 1}}
	f.Fuzz(func(t *testing.T, rows string) {
		if len(rows) > 1<<13 || !utf8.ValidString(rows) { // cells read from a workbook are UTF-8
			return
		}
		grid := fuzztest.Rows(fuzztest.Grid(Columns) + fuzztest.RowSep + rows)
		start := time.Now()
		qs, rep, err := (&questionSheet{header: trimAll(grid[0]), formatted: grid, raw: grid}).questions(o)
		webtest.Within(t, start)
		webtest.AppError(t, err)
		checkOutcome(t, s, qs, rep, err)
		if err == nil {
			roundTrip(t, s, qs)
		}
	})
}

// workbookRows are the rows of an export of every question type, one seed each, and
// rows with a formula-like stem, a date serial as answer, an unknown type and a blank.
func workbookRows(f *testing.F, s *exams.Standard) []string {
	var all bytes.Buffer
	if err := ExportQuestions(&all, everyType(), s); err != nil {
		f.Fatal(err)
	}
	x, err := excelize.OpenReader(&all)
	if err != nil {
		f.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(SheetQuestions, excelize.Options{RawCellValue: true})
	if err != nil || len(rows) < 2 {
		f.Fatalf("export rows: %v", err)
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, fuzztest.Grid(r))
	}
	return append(out, fuzztest.Grid([]string{"单选题", "=1+1", "@甲", "-乙"}, []string{"判断题", "题", "", "", "45352"}),
		fuzztest.Grid([]string{"问答", "题？", "", "", "", "", "", "", "", "A"}), "")
}

// FuzzParseWorkbookBytes feeds ParseWorkbook the template or an export of every question
// type with up to 48 bytes overwritten at offset at and, when cut is not 0, cut short
// (see fuzztest.Patch): it never panics or hangs and refuses with an application
// error, or accepts questions that validate.
func FuzzParseWorkbookBytes(f *testing.F) {
	s := fuzzStd(f)
	books := workbookSeeds(f, s)
	for i, b := range books {
		f.Add(uint8(i), uint16(0), []byte{}, uint16(0))
		f.Add(uint8(i), uint16(len(b)/2), []byte{0xFF, 0xFF, 0xFF, 0xFF}, uint16(0))
		f.Add(uint8(i), uint16(0), []byte{}, uint16(len(b)/2))
	}
	f.Add(uint8(0), uint16(0), []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), uint16(8))
	o := ImportOptions{Std: s, Defaults: Defaults{Owner: 1, Score: 1}}
	f.Fuzz(func(t *testing.T, book uint8, at uint16, patch []byte, cut uint16) {
		if len(patch) > 48 {
			return
		}
		b := fuzztest.Patch(books[int(book)%len(books)], int(at), patch, int(cut))
		start := time.Now()
		qs, rep, err := ParseWorkbook(bytes.NewReader(b), o)
		webtest.Within(t, start)
		webtest.AppError(t, err)
		checkOutcome(t, s, qs, rep, err)
	})
}

// workbookSeeds are the template and an export of every question type.
func workbookSeeds(f *testing.F, s *exams.Standard) [][]byte {
	var tmpl, all bytes.Buffer
	if err := WriteTemplate(&tmpl, s); err != nil {
		f.Fatal(err)
	}
	if err := ExportQuestions(&all, everyType(), s); err != nil {
		f.Fatal(err)
	}
	return [][]byte{tmpl.Bytes(), all.Bytes()}
}
