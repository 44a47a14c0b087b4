// Command paysheet measures what issue 7 asks of the pay sheet: 100,000 clerks queried,
// computed and written as a streamed workbook (pay.Store.ExportSheet), time and peak
// memory, against a ceiling measured in the same run: excelize's StreamWriter writing
// the very cells of that workbook (the detail rows with their six formulas and cached
// values, the summary, policy and distribution sheets, the chart), computed beforehand
// off the clock, with no query and no computation on it.
//
//	go run ./bench/paysheet [-pg URL] [-clerks 100000] [-rounds 3] [-keep]
//
// The database is filled once; each measured run is a child process of this command
// (so peak RSS belongs to that run alone), alternating sheet and ceiling. Each round's
// ratios are printed, then best against best and the median. Peak heap is sampled from
// runtime/metrics every 5 ms; peak RSS is the child's VmHWM; CPU is user + system time
// from the clock's start. PAYSHEET_CPUPROFILE=prefix writes each side's CPU profile.
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
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
	flag.IntVar(&o.rounds, "rounds", 3, "measured runs of each side")
	flag.BoolVar(&o.keep, "keep", false, "keep the data dir (SQLite file, both workbooks) and the PostgreSQL database, and print where they are")
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
	fmt.Printf("load average at start: %s\n", loadAvg())
	defer func() { fmt.Printf("load average at end: %s\n", loadAvg()) }()
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
	least := func(rs []result, f func(result) float64) float64 {
		return f(slices.MinFunc(rs, func(a, b result) int { return cmp.Compare(f(a), f(b)) }))
	}
	peak := func(rs []result, f func(result) uint64) uint64 {
		return f(slices.MaxFunc(rs, func(a, b result) int { return cmp.Compare(f(a), f(b)) }))
	}
	wall, cpu := func(r result) float64 { return r.Seconds }, func(r result) float64 { return r.CPU }
	heap, rss := func(r result) uint64 { return r.PeakHeap }, func(r result) uint64 { return r.PeakRSS }
	mb := func(b uint64) float64 { return float64(b) / (1 << 20) }
	fmt.Printf("paysheet on %s: %d clerks, %d interleaved rounds\n", store, sheets[0].Rows, o.rounds)
	var wr, cr []float64
	for i := range sheets {
		s, c := sheets[i], ceilings[i]
		wr, cr = append(wr, s.Seconds/c.Seconds), append(cr, s.CPU/c.CPU)
		fmt.Printf("  round %d: pay sheet %6.2f s (CPU %5.2f s), ceiling %6.2f s (CPU %5.2f s): wall %.2f×, CPU %.2f×\n",
			i+1, s.Seconds, s.CPU, c.Seconds, c.CPU, wr[i], cr[i])
	}
	fmt.Printf("  pay sheet (query, compute, write):  best %6.2f s (CPU %5.2f s)  peak heap %6.1f MB  peak RSS %6.1f MB  %5.1f MB file\n",
		least(sheets, wall), least(sheets, cpu), mb(peak(sheets, heap)), mb(peak(sheets, rss)), mb(uint64(sheets[0].Bytes)))
	fmt.Printf("  ceiling (StreamWriter, same cells): best %6.2f s (CPU %5.2f s)  peak heap %6.1f MB  peak RSS %6.1f MB  %5.1f MB file (it holds the precomputed rows)\n",
		least(ceilings, wall), least(ceilings, cpu), mb(peak(ceilings, heap)), mb(peak(ceilings, rss)), mb(uint64(ceilings[0].Bytes)))
	fmt.Printf("  ratio best/best: wall %.2f×, CPU %.2f×; median of the rounds: wall %.2f×, CPU %.2f× (goal ≤ 1.5×); pay sheet peak RSS %.0f MB (goal < 200 MB)\n",
		least(sheets, wall)/least(ceilings, wall), least(sheets, cpu)/least(ceilings, cpu), median(wr), median(cr), mb(peak(sheets, rss)))
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// loadAvg is the first three fields of /proc/loadavg.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}
