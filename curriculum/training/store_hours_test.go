package training_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"clerkskill/app/apptest"
	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
	"clerkskill/curriculum/training"
)

var (
	pdfBytes = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	pngBytes = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 32)...)
)

// TestLedgerIdempotent: completing a course again, for the same or a later revision, and
// ticking an attendee twice each leave one entry.
func TestLedgerIdempotent(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Training, context.Background()
			a := uid(t, env, "clerk061")
			at := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
			var ledger training.HoursLedger = s
			for _, rev := range []int{1, 1, 2} {
				must(t, ledger.RecordCompletion(ctx, a, 7, rev, 40, at))
			}
			must(t, s.RecordCompletion(ctx, a, 8, 1, 4.5, at))
			e := mustEvent(t, env, chengguanCode, "窗口服务礼仪讲座", env.Now.Now().Add(-3*time.Hour), 40, 2)
			for range 2 {
				_, err := s.MarkAttended(ctx, 0, e.ID, []int64{a, a})
				must(t, err)
			}
			list, n, err := s.FindEntries(ctx, training.EntryFilter{UserID: a})
			must(t, err)
			if n != 3 || len(list) != 3 {
				t.Fatalf("%d entries, want 3: %+v", n, list)
			}
			want := map[int]float64{2026: 44.5}
			want[training.YearOf(e.StartsAt)] += 2
			for yr, w := range want {
				if h := hoursFor(t, s, a, yr); h != w {
					t.Errorf("%d hours %v, want %v", yr, h, w)
				}
			}
			for _, x := range list {
				if x.Source == training.SourceCourse && x.CourseID != nil && *x.CourseID == 7 && (*x.CourseRevision != 1 || x.Title != "课程 #7") {
					t.Errorf("course entry %+v: want revision 1 and the course id as title", x)
				}
			}
			if err := s.RecordCompletion(ctx, a, 9, 1, -2, at); web.ErrorCode(err) != web.EINVALID {
				t.Errorf("negative hours accepted: %v", err)
			}
			must(t, s.RecordCompletion(ctx, a, 9, 1, 0, at)) // a course without class hours earns none
			if _, n, _ := s.FindEntries(ctx, training.EntryFilter{UserID: a}); n != 3 {
				t.Errorf("%d entries after a course without hours, want 3", n)
			}
		})
	}
}

// TestHoursAtYearBoundaries: years are counted in China time, so 23:59 on 31 December in
// Beijing is the old year and midnight the new one; a unit's hours roll up its subtree.
func TestHoursAtYearBoundaries(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Training, context.Background()
			town, village, dh := uid(t, env, "clerk061"), uid(t, env, "clerk081"), uid(t, env, "clerk091")
			last := time.Date(2025, 12, 31, 15, 59, 59, 0, time.UTC) // 2025-12-31 23:59:59 in Beijing
			first := last.Add(time.Second)                           // 2026-01-01 00:00:00
			must(t, s.RecordCompletion(ctx, town, 1, 1, 8, last))
			must(t, s.RecordCompletion(ctx, town, 2, 1, 4, first))
			must(t, s.RecordCompletion(ctx, village, 1, 1, 8, first))
			must(t, s.RecordCompletion(ctx, dh, 1, 1, 8, time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC))) // 2027 in Beijing
			for _, c := range []struct {
				user int64
				year int
				want float64
			}{{town, 2025, 8}, {town, 2026, 4}, {village, 2026, 8}, {village, 2025, 0}, {dh, 2026, 0}, {dh, 2027, 8}} {
				if got := hoursFor(t, s, c.user, c.year); got != c.want {
					t.Errorf("user %d in %d: %v hours, want %v", c.user, c.year, got, c.want)
				}
			}
			for _, c := range []struct {
				org  string
				year int
				want float64
			}{{chengguanCode, 2025, 8}, {chengguanCode, 2026, 12}, {"QS-CG-01", 2026, 8}, {donghuCode, 2026, 0},
				{donghuCode, 2027, 8}, {countyCode, 2026, 12}, {countyCode, 2025, 8}} {
				got, err := s.OrgHours(ctx, orgID(t, env, c.org), c.year)
				must(t, err)
				if got != c.want {
					t.Errorf("%s in %d: %v hours, want %v", c.org, c.year, got, c.want)
				}
			}
			if _, err := s.OrgHours(ctx, 999999, 2026); web.ErrorCode(err) != web.ENOTFOUND {
				t.Errorf("unknown unit: %v", err)
			}
		})
	}
}

// TestVoidEntry: a voided entry stops counting, keeps its reason, is audited, and cannot
// be voided twice.
func TestVoidEntry(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Training, context.Background()
			a, hr := uid(t, env, "clerk061"), uid(t, env, "hr")
			x := &training.External{UserID: a, Title: "市级政务服务业务培训班", Provider: "临江市政务服务管理局", Hours: 16,
				Date: "2026-04-20", Note: "凭结业证书登记"}
			e, err := s.AddExternal(ctx, hr, x)
			must(t, err)
			must(t, s.RecordCompletion(ctx, a, 3, 1, 6, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)))
			if h := hoursFor(t, s, a, 2026); h != 22 {
				t.Fatalf("before voiding: %v", h)
			}
			_, err = s.VoidEntry(ctx, hr, e.ID, " ")
			wantCode(t, "no reason", err, web.EINVALID, "作废原因")
			v, err := s.VoidEntry(ctx, hr, e.ID, "证书与本人信息不符")
			must(t, err)
			if !v.Voided() || v.VoidReason != "证书与本人信息不符" {
				t.Errorf("voided entry: %+v", v)
			}
			_, err = s.VoidEntry(ctx, hr, e.ID, "重复作废")
			wantCode(t, "void twice", err, web.ECONFLICT, "已作废")
			if h := hoursFor(t, s, a, 2026); h != 6 {
				t.Errorf("after voiding: %v hours, want 6", h)
			}
			if got, _ := s.OrgHours(ctx, orgID(t, env, chengguanCode), 2026); got != 6 {
				t.Errorf("unit after voiding: %v", got)
			}
			_, n, _ := s.FindEntries(ctx, training.EntryFilter{UserID: a, Year: 2026})
			_, all, _ := s.FindEntries(ctx, training.EntryFilter{UserID: a, Year: 2026, Voided: true})
			if n != 1 || all != 2 {
				t.Errorf("listing: %d without voided, %d with; want 1 and 2", n, all)
			}
			audited, err := env.Srv.DB.NewSelect().Table("audit_log").
				Where("action = ? AND object_id = ? AND actor_id = ?", "hours.void", e.ID, hr).Count(ctx)
			if err != nil || audited != 1 {
				t.Errorf("audit rows %d (%v), want 1", audited, err)
			}
		})
	}
}

// TestEvidenceUpload: evidence is judged by content: oversize files, a web page named
// .pdf and an image named .pdf are refused; a real PDF is kept and read back.
func TestEvidenceUpload(t *testing.T) {
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			env := apptest.New(t, d)
			s, ctx := env.Srv.Training, context.Background()
			a := uid(t, env, "clerk062")
			add := func(name string, data []byte, note string) (*training.Entry, error) {
				x := &training.External{UserID: a, Title: "公文写作专题培训", Hours: 8, Date: "2026-06-01", Note: note}
				if data != nil {
					x.File = &training.Evidence{Name: name, Data: data}
				}
				return s.AddExternal(ctx, 0, x)
			}
			big := append(append([]byte{}, pdfBytes...), bytes.Repeat([]byte{' '}, training.MaxEvidenceBytes)...)
			for _, c := range []struct {
				what, name string
				data       []byte
				text       string
			}{
				{"oversize", "结业证书.pdf", big, "5MB"},
				{"web page named .pdf", "证书.pdf", []byte("<html><script>alert(1)</script></html>"), "PDF、PNG或JPEG"},
				{"executable named .jpg", "photo.jpg", []byte("MZ\x90\x00\x03\x00\x00\x00"), "PDF、PNG或JPEG"},
				{"image named .pdf", "证书.pdf", pngBytes, "扩展名与文件内容不符"},
				{"no evidence", "", nil, "证明材料"},
			} {
				_, err := add(c.name, c.data, "")
				code := web.EINVALID
				if c.what == "oversize" {
					code = web.ETOOLARGE // 413, as every upload over its limit
				}
				wantCode(t, c.what, err, code, c.text)
			}
			e, err := add("../../结业证书.PDF", pdfBytes, "")
			must(t, err)
			if e.EvidenceName != "结业证书.PDF" || e.EvidenceType != "application/pdf" || e.EvidenceSize != len(pdfBytes) ||
				strings.Contains(e.EvidenceFile, "/") || !strings.HasSuffix(e.EvidenceFile, ".pdf") {
				t.Errorf("stored evidence: %+v", e)
			}
			if ctl, err := add("结业\t证书\".pdf", pdfBytes, ""); err != nil || ctl.EvidenceName != "结业证书.pdf" {
				t.Errorf("control characters and quotes kept in the name: %v %+v", err, ctl)
			}
			rs, size, err := s.Evidence(ctx, e)
			must(t, err)
			got, err := io.ReadAll(rs)
			rs.Close()
			if err != nil || !bytes.Equal(got, pdfBytes) || size != int64(len(pdfBytes)) {
				t.Errorf("read back: %v, size %d", err, size)
			}
			if _, err := add("", nil, "县委组织部通知（青组通〔2026〕12号）"); err != nil {
				t.Errorf("a note as evidence: %v", err)
			}
		})
	}
}

// TestDirFiles: files land in the directory under the store's own names; any other name,
// such as one that climbs out, is refused.
func TestDirFiles(t *testing.T) {
	dir := t.TempDir()
	f, err := training.NewDirFiles(dir)
	must(t, err)
	ctx := context.Background()
	name := "0123456789abcdef0123456789abcdef.pdf"
	must(t, f.Put(ctx, name, pdfBytes))
	if b, err := os.ReadFile(f.Path(name)); err != nil || !bytes.Equal(b, pdfBytes) {
		t.Fatalf("file on disk: %v", err)
	}
	if rs, size, err := f.Open(ctx, name); err != nil || size != int64(len(pdfBytes)) {
		t.Errorf("open: %v, size %d", err, size)
	} else {
		rs.Close()
	}
	if err := f.Put(ctx, name, pngBytes); err == nil {
		t.Error("an existing file was overwritten")
	}
	for _, bad := range []string{"../escape.pdf", "../../etc/passwd", "/etc/passwd", "x.html", "0123456789abcdef0123456789abcdef.pdf/.."} {
		if err := f.Put(ctx, bad, pdfBytes); web.ErrorCode(err) != web.EINVALID {
			t.Errorf("put %q: %v", bad, err)
		}
		if _, _, err := f.Open(ctx, bad); web.ErrorCode(err) != web.EINVALID {
			t.Errorf("get %q: %v", bad, err)
		}
	}
	if _, _, err := f.Open(ctx, "ffffffffffffffffffffffffffffffff.png"); web.ErrorCode(err) != web.ENOTFOUND {
		t.Errorf("missing file: %v", err)
	}
}
