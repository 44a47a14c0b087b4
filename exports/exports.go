// Package exports holds what every HR workbook shares: Chinese headers on a frozen row,
// column widths, A4 print setup repeating the header, national IDs masked unless the
// exporter may see them, cells that never start a formula from user text, and the
// guarded reading of uploaded workbooks (size, zip bombs, row limits, merged cells,
// headers, dates, full-width digits) with all-or-nothing row-by-row error reports.
//
// The package is pure: data in, io.Writer out; io.Reader in, rows out. No Fiber, no SQL.
package exports

import (
	"strings"

	"golang.org/x/text/width"

	"clerkskill/rbac"
)

// Safe keeps user text from being read as a formula when the workbook is opened, or its
// cells pasted or saved as CSV elsewhere: text starting with = + - @, a tab, a carriage
// return or a full-width ＝ ＋ － ＠ gets a leading apostrophe. Numbers are never passed
// through Safe: they are written as numbers.
func Safe(s string) string {
	if risky(s) {
		return "'" + s
	}
	return s
}

// Unsafe undoes Safe on a cell read back from a workbook this package wrote.
func Unsafe(s string) string {
	if strings.HasPrefix(s, "'") && risky(s[1:]) {
		return s[1:]
	}
	return s
}

func risky(s string) bool {
	for _, r := range s {
		return strings.ContainsRune("=+-@\t\r＝＋－＠", r)
	}
	return false
}

// Normalize folds full-width digits, letters and punctuation to their ASCII forms and
// trims spaces (also the ideographic space), so "２０２４－０３－０１" reads as "2024-03-01".
func Normalize(s string) string {
	return strings.TrimSpace(width.Narrow.String(s))
}

// MaskID shows only the first three and last four characters of a national ID number.
func MaskID(id string) string { return rbac.MaskID(id) }

// IDView decides, per person, whether the exporter sees a whole national ID number: only
// where their staff:pii scope (rbac policy: admin and hr) covers the person's unit.
type IDView struct {
	PII rbac.Scope
}

// Show returns id whole when the exporter may see it at the unit with orgPath, masked
// otherwise; a missing ID stays empty.
func (v IDView) Show(orgPath, id string) string {
	if id == "" || v.PII.Covers(orgPath) {
		return id
	}
	return MaskID(id)
}
