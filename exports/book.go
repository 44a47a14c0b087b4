package exports

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// Column is one column of a sheet: its Chinese header and its width in characters.
type Column struct {
	Header string
	Width  float64
}

// Layout is how a sheet prints: A4 always, landscape for wide sheets.
type Layout struct {
	Landscape bool
}

// Book writes a workbook sheet by sheet through excelize's StreamWriter, so a sheet of
// 100,000 rows is never held in memory: NewBook, Sheet, Row for each row, then Write.
type Book struct {
	f      *excelize.File
	header int
	open   *Sheet
	sheets int
}

// Sheet is the sheet being written.
type Sheet struct {
	Name string
	sw   *excelize.StreamWriter
	cols int
	row  int
}

// NewBook starts an empty workbook.
func NewBook() (*Book, error) {
	f := excelize.NewFile()
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}})
	if err != nil {
		f.Close()
		return nil, err
	}
	return &Book{f: f, header: header}, nil
}

// File is the workbook underneath, for what only some workbooks need (styles, charts,
// formulas' number formats). Sheets written with Sheet are done once the next starts.
func (b *Book) File() *excelize.File { return b.f }

// Sheet finishes the sheet being written and starts the next, named name, with its
// header row in bold, frozen, repeated on every printed A4 page, and cols' widths.
func (b *Book) Sheet(name string, cols []Column, lay Layout) (*Sheet, error) {
	if err := b.finish(); err != nil {
		return nil, err
	}
	if err := b.addSheet(name); err != nil {
		return nil, err
	}
	if err := b.printSetup(name, lay); err != nil {
		return nil, err
	}
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	s := &Sheet{Name: name, sw: sw, cols: len(cols)}
	if err := s.head(cols, b.header); err != nil {
		return nil, err
	}
	b.open = s
	return s, nil
}

func (b *Book) addSheet(name string) error {
	b.sheets++
	if b.sheets == 1 {
		return b.f.SetSheetName("Sheet1", name)
	}
	_, err := b.f.NewSheet(name)
	return err
}

// printSetup asks for A4 pages one page wide, repeating row 1 on every page. It is set
// before the stream starts: the stream writes the sheet's settings after its rows.
func (b *Book) printSetup(name string, lay Layout) error {
	orient := "portrait"
	if lay.Landscape {
		orient = "landscape"
	}
	size, wide, tall := 9, 1, 0 // 9 is A4; 0 pages tall means as many as needed
	err := b.f.SetPageLayout(name, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient,
		FitToWidth: &wide, FitToHeight: &tall})
	if err != nil {
		return err
	}
	fit := true
	if err := b.f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	return b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles",
		RefersTo: "'" + name + "'!$1:$1", Scope: name})
}

func (s *Sheet) head(cols []Column, style int) error {
	row := make([]any, len(cols))
	for i, c := range cols {
		w := c.Width
		if w <= 0 {
			w = 12
		}
		if err := s.sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
		row[i] = excelize.Cell{StyleID: style, Value: c.Header}
	}
	err := s.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	if err != nil {
		return err
	}
	s.row = 1
	return s.sw.SetRow("A1", row, excelize.RowOpts{Height: 20})
}

// Row writes the next row. Strings (also an excelize.Cell's string value) go through
// Safe; numbers stay numbers; times are written as 2006-01-02 text; nil is an empty
// cell. A Cell's Formula is kept: only code, never user text, writes formulas.
func (s *Sheet) Row(values ...any) error {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = cellValue(v)
	}
	s.row++
	return s.sw.SetRow("A"+strconv.Itoa(s.row), out)
}

// Rows counts the rows written below the header.
func (s *Sheet) Rows() int { return s.row - 1 }

func cellValue(v any) any {
	switch x := v.(type) {
	case string:
		return Safe(x)
	case *string:
		if x == nil {
			return nil
		}
		return Safe(*x)
	case time.Time:
		if x.IsZero() {
			return nil
		}
		return x.Format("2006-01-02")
	case excelize.Cell:
		x.Value = cellValue(x.Value)
		return x
	case fmt.Stringer:
		return Safe(x.String())
	}
	return v
}

func (b *Book) finish() error {
	if b.open == nil {
		return nil
	}
	err := b.open.sw.Flush()
	b.open = nil
	return err
}

// Write finishes the last sheet and writes the workbook to w.
func (b *Book) Write(w io.Writer) error {
	if err := b.finish(); err != nil {
		return err
	}
	if b.sheets == 0 {
		return fmt.Errorf("exports: a workbook needs at least one sheet")
	}
	// The first sheet is the active one already (it is the new file's Sheet1, renamed).
	// SetActiveSheet would parse every sheet's XML back into memory, streamed ones too.
	_, err := b.f.WriteTo(w)
	return err
}

// Close releases the workbook's temporary files.
func (b *Book) Close() error { return b.f.Close() }
