package pay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"clerkskill/app/db/dbtest"
	"clerkskill/exports/pay"
)

// TestSheetReadings: the county's and 城关镇's sheets are the same, row for row and
// figure for figure, whichever way the clerks are read: in chunks of 5,000, 2,000 or 7
// (units larger than a chunk handed on in parts, their highest workload read first),
// and on SQLite walking staff in storage order or unit by unit.
func TestSheetReadings(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newPayEnv(t, dialect)
			seedComputation(t, e)
			for _, code := range []string{countyCode, chengguanCode} {
				want := sheetLines(t, e, code)
				for _, way := range []struct {
					name         string
					chunk, share int
				}{{"chunks of 7", 7, 16}, {"storage order", 2000, 1 << 20}, {"unit by unit", 2000, 0}, {"unit by unit, chunks of 7", 7, 0}} {
					undoChunk, undoShare := pay.SetChunkSize(way.chunk), pay.SetScanShare(way.share)
					if diff := cmp.Diff(want, sheetLines(t, e, code)); diff != "" {
						t.Errorf("%s, %s (-want +got):\n%s", code, way.name, diff)
					}
					undoChunk()
					undoShare()
				}
				if code == countyCode && len(want) < 300 {
					t.Errorf("county sheet has %d rows", len(want))
				}
			}
		})
	}
}

// sheetLines is every row of a sheet as text (its unit's path and every field), in order.
func sheetLines(t *testing.T, e *payEnv, code string) []string {
	t.Helper()
	var out []string
	err := e.store.ComputeSheet(context.Background(), pay.SheetQuery{Path: e.unit(code).Path, Period: "2026-11"}, func(r *pay.Row) error {
		b, err := json.Marshal(r)
		out = append(out, r.OrgPath+" "+string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSheetStopsEarly: a preview limit and an error from emit end the computation
// with the reader stopped, on a sheet larger than a chunk.
func TestSheetStopsEarly(t *testing.T) {
	for _, dialect := range dbtest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			e := newPayEnv(t, dialect)
			seedComputation(t, e)
			defer pay.SetChunkSize(7)()
			q := pay.SheetQuery{Path: e.unit(countyCode).Path, Period: "2026-11", Limit: 10}
			n := 0
			if err := e.store.ComputeSheet(context.Background(), q, func(*pay.Row) error { n++; return nil }); err != nil || n != 10 {
				t.Errorf("limit 10: %d rows, %v", n, err)
			}
			stop := fmt.Errorf("enough")
			q.Limit, n = 0, 0
			err := e.store.ComputeSheet(context.Background(), q, func(*pay.Row) error {
				if n++; n == 20 {
					return stop
				}
				return nil
			})
			if err != stop || n != 20 {
				t.Errorf("emit error: %d rows, %v", n, err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if err := e.store.ComputeSheet(ctx, q, func(*pay.Row) error { return nil }); err == nil {
				t.Error("a cancelled context gave no error")
			}
		})
	}
}
