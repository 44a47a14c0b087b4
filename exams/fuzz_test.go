package exams

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"clerkskill/app/web/webtest"
	"clerkskill/exports/fuzztest"
)

// FuzzParseStandard feeds definitions in YAML and JSON: an accepted one is valid and
// comes back the same after writing it out in either format.
func FuzzParseStandard(f *testing.F) {
	def := DefaultStandardYAML()
	var js bytes.Buffer
	if err := MarshalStandard(&js, MustDefault(f), "json"); err != nil {
		f.Fatal(err)
	}
	f.Add(string(def), "yaml")
	f.Add(js.String(), "json")
	f.Add(string(def[:len(def)/2]), "yml")
	f.Add(`{"meta": {"code": "x"}, "levels": [{"code": 5, "theory_weights": [{"code": "1", "percent": 100}]}]}`, "json")
	f.Add("tree: &a [*a]\n", "yaml")
	f.Add("a: &a [*a, *a, *a, *a]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n", "yaml")
	f.Add(`{"levels": [`+strings.Repeat("[", 10000)+`]}`, "json")
	f.Add("meta: !!binary AAAA\n", "yaml")
	f.Fuzz(func(t *testing.T, input, format string) {
		start := time.Now()
		s, err := ParseStandard(strings.NewReader(input), format)
		webtest.Within(t, start)
		webtest.AppError(t, err)
		if err != nil {
			return
		}
		if s.Validate() != nil {
			t.Fatalf("accepted an invalid definition")
		}
		for _, out := range []string{"yaml", "json"} {
			var buf bytes.Buffer
			if err := MarshalStandard(&buf, s, out); err != nil {
				t.Fatalf("write as %s: %v", out, err)
			}
			back, err := ParseStandard(&buf, out)
			if err != nil {
				t.Fatalf("re-read as %s: %v\n%s", out, err, buf.String())
			}
			if diff := cmp.Diff(s, back); diff != "" {
				t.Errorf("%s round trip (-accepted +re-read):\n%s", out, diff)
			}
		}
	})
}

// FuzzParseWeightWorkbook feeds the weight template, or a zip that is no workbook, with up
// to 48 bytes overwritten at offset at and, when cut is not 0, cut short (see
// fuzztest.Patch; raw mutated bytes stalled the engine minimising broken zips): an
// accepted one gives a valid definition whose own template reads back to the same
// definition.
func FuzzParseWeightWorkbook(f *testing.F) {
	base := MustDefault(f)
	var buf bytes.Buffer
	if err := WriteWeightTemplate(&buf, base); err != nil {
		f.Fatal(err)
	}
	books := [][]byte{buf.Bytes(), plainZip(f)}
	for i, b := range books {
		f.Add(uint8(i), uint16(0), []byte{}, uint16(0))
		f.Add(uint8(i), uint16(0), []byte{}, uint16(len(b)/3))
	}
	f.Add(uint8(0), uint16(len(books[0])/2), []byte{0xFF, 0xFF, 0xFF, 0xFF}, uint16(0))
	f.Add(uint8(0), uint16(0), []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), uint16(8))
	f.Add(uint8(0), uint16(0), []byte("weights"), uint16(7))
	f.Fuzz(func(t *testing.T, book uint8, at uint16, patch []byte, cut uint16) {
		if len(patch) > 48 {
			return
		}
		b := fuzztest.Patch(books[int(book)%len(books)], int(at), patch, int(cut))
		start := time.Now()
		s, err := ParseWeightWorkbook(bytes.NewReader(b), base)
		webtest.Within(t, start)
		webtest.AppError(t, err)
		if err != nil {
			return
		}
		if s.Validate() != nil {
			t.Fatalf("accepted an invalid definition")
		}
		var out bytes.Buffer
		if err := WriteWeightTemplate(&out, s); err != nil {
			t.Fatalf("write template: %v", err)
		}
		back, err := ParseWeightWorkbook(&out, base)
		if err != nil {
			t.Fatalf("re-read own template: %v", err)
		}
		// every import notes itself in the version name; the rest must come back as it was
		if diff := cmp.Diff(s, back, cmpopts.IgnoreFields(Meta{}, "Version")); diff != "" {
			t.Errorf("round trip (-accepted +re-read):\n%s", diff)
		}
	})
}
