// Command paysheet measures what issue 7 asks of the pay sheet: 100,000 clerks queried,
// computed and written as a streamed workbook (pay.Store.ExportSheet), time and peak
// memory, against a ceiling measured in the same run: excelize's StreamWriter writing
// the same cells (32 columns, the same six formulas per row with cached values) with no
// query and no computation.
//
//	go run ./bench/paysheet [-pg URL] [-clerks 100000] [-rounds 2]
//
// The database is filled once; each measured run is a child process of this command
// (so peak RSS belongs to that run alone), alternating sheet and ceiling. Peak heap is
// sampled from runtime/metrics every 5 ms; peak RSS is the child's VmHWM.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
)

type options struct {
	pg, mode, dsn, dir string
	clerks, rounds     int
	keep               bool
}

func main() {
	var o options
	flag.StringVar(&o.pg, "pg", "", "postgres:// URL of a server to create a throwaway database on (default: SQLite in a temp dir)")
	flag.IntVar(&o.clerks, "clerks", 100000, "clerks on the pay sheet")
	flag.IntVar(&o.rounds, "rounds", 2, "measured runs of each side")
	flag.BoolVar(&o.keep, "keep", false, "keep the data dir (SQLite file and both workbooks) and print its path")
	flag.StringVar(&o.mode, "mode", "", "internal: sheet|ceiling runs one measured side in this process")
	flag.StringVar(&o.dsn, "dsn", "", "internal: database of the measured side")
	flag.StringVar(&o.dir, "dir", "", "internal: data dir of the measured side")
	flag.Parse()
	var err error
	if o.mode != "" {
		err = measureSide(context.Background(), o)
	} else {
		err = run(context.Background(), o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "paysheet:", err)
		os.Exit(1)
	}
}

// result is what one measured side reports.
type result struct {
	Rows     int     `json:"rows"`
	Seconds  float64 `json:"seconds"`
	CPU      float64 `json:"cpu"` // user + system seconds of the whole child
	PeakHeap uint64  `json:"peak_heap"`
	PeakRSS  uint64  `json:"peak_rss"`
	Bytes    int64   `json:"bytes"`
}

func run(ctx context.Context, o options) error {
	dsn, dir, cleanup, err := prepare(ctx, o)
	if err != nil {
		return err
	}
	defer cleanup()
	var sheets, ceilings []result
	for range o.rounds {
		s, err := child(o, "sheet", dsn, dir)
		if err != nil {
			return err
		}
		c, err := child(o, "ceiling", dsn, dir)
		if err != nil {
			return err
		}
		sheets, ceilings = append(sheets, s), append(ceilings, c)
	}
	report(o, sheets, ceilings)
	return nil
}

// child runs one side in a fresh process and reads its result.
func child(o options, mode, dsn, dir string) (result, error) {
	exe, err := os.Executable()
	if err != nil {
		return result{}, err
	}
	out, err := exec.Command(exe, "-mode", mode, "-dsn", dsn, "-dir", dir, "-clerks", fmt.Sprint(o.clerks)).Output()
	if err != nil {
		return result{}, fmt.Errorf("%s run: %w", mode, err)
	}
	var r result
	return r, json.Unmarshal(out, &r)
}

func report(o options, sheets, ceilings []result) {
	store := "SQLite"
	if o.pg != "" {
		store = "PostgreSQL"
	}
	best := func(rs []result) result {
		return slices.MinFunc(rs, func(a, b result) int { return int((a.Seconds - b.Seconds) * 1e6) })
	}
	peak := func(rs []result, f func(result) uint64) uint64 {
		return f(slices.MaxFunc(rs, func(a, b result) int { return int(int64(f(a)) - int64(f(b))) }))
	}
	s, c := best(sheets), best(ceilings)
	mb := func(b uint64) float64 { return float64(b) / (1 << 20) }
	heap := func(r result) uint64 { return r.PeakHeap }
	rss := func(r result) uint64 { return r.PeakRSS }
	fmt.Printf("paysheet on %s: %d clerks, best of %d runs each (peaks: highest of the runs)\n", store, s.Rows, o.rounds)
	fmt.Printf("  pay sheet (query, compute, write): %6.2f s (CPU %6.2f s)  peak heap %6.1f MB  peak RSS %6.1f MB  %5.1f MB file\n",
		s.Seconds, s.CPU, mb(peak(sheets, heap)), mb(peak(sheets, rss)), mb(uint64(s.Bytes)))
	fmt.Printf("  ceiling (StreamWriter, same cells): %6.2f s (CPU %6.2f s)  peak heap %6.1f MB  peak RSS %6.1f MB  %5.1f MB file\n",
		c.Seconds, c.CPU, mb(peak(ceilings, heap)), mb(peak(ceilings, rss)), mb(uint64(c.Bytes)))
	fmt.Printf("  ratio wall time %.2f×, CPU time %.2f× (goal ≤ 1.5×); pay sheet peak RSS %.0f MB (goal < 200 MB)\n",
		s.Seconds/c.Seconds, s.CPU/c.CPU, mb(peak(sheets, rss)))
}
