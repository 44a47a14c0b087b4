package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"clerkskill/app/db"
	"clerkskill/exams"
	"clerkskill/exams/certify"
	"clerkskill/exports/pay"
)

// measureSide runs one side in this process, sampling the heap, and prints its result.
func measureSide(ctx context.Context, o options) error {
	if prof := os.Getenv("PAYSHEET_CPUPROFILE"); prof != "" {
		pf, err := os.Create(prof + "." + o.mode)
		if err != nil {
			return err
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var cells *ceilingCells
	if o.mode == "ceiling" { // untimed: the cells the ceiling writes
		var err error
		if cells, err = loadCeilingCells(ctx, o); err != nil {
			return err
		}
	}
	stop, peak := sampleHeap()
	out, err := os.Create(outFile(o.dir, o.mode))
	if err != nil {
		return err
	}
	t0, cpu0 := time.Now(), cpuSeconds()
	var rows int
	if o.mode == "sheet" {
		rows, err = sheet(ctx, o, out)
	} else {
		rows, err = writeCeiling(cells, out)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	r := result{Rows: rows, Seconds: time.Since(t0).Seconds()}
	stop()
	r.PeakHeap, r.PeakRSS, r.CPU = peak.Load(), vmHWM(), cpuSeconds()-cpu0
	if st, err := os.Stat(outFile(o.dir, o.mode)); err == nil {
		r.Bytes = st.Size()
	}
	return json.NewEncoder(os.Stdout).Encode(r)
}

// sheet is the measured work: open the store as the server does and export the sheet.
func sheet(ctx context.Context, o options, out *os.File) (int, error) {
	d, err := db.Open(ctx, o.dsn, o.dir)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	var path string
	if err := d.NewSelect().Table("org_units").Column("path").Where("code = ?", "BX").Scan(ctx, &path); err != nil {
		return 0, err
	}
	s := pay.NewStore(d, certify.NewStore(d, exams.NewStore(d, nil), nil, nil), nil)
	return s.ExportSheet(ctx, pay.SheetQuery{Path: path, Period: period}, "百县 "+period, out, nil)
}

// sampleHeap records the largest live-heap reading, every 5 ms, until stopped.
func sampleHeap() (stop func(), peak *atomic.Uint64) {
	peak = new(atomic.Uint64)
	done := make(chan struct{})
	finished := make(chan struct{})
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }, peak
}

// vmHWM is the process's peak resident set size, from /proc/self/status.
func vmHWM() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// cpuSeconds is the user and system CPU time the process has used: on a busy machine a
// fairer measure than the wall clock, which waits for a core as well.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
