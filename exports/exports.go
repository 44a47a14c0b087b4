// Package exports holds what every HR workbook shares: Chinese headers on a frozen row,
// column widths, A4 print setup repeating the header, national IDs masked unless the
// exporter may see them, cells that never start a formula from user text, and the
// guarded reading of uploaded workbooks (size, zip bombs, row limits).
package exports
