package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// report collects figures as they are measured and prints them as one table at the end.
type report struct {
	lines []string
	rows  [][3]string
}

func newReport() *report { return &report{} }

// header records the run's setting: date, machine and flags.
func (r *report) header(o options) {
	store := "sqlite (temp dir)"
	if o.pg != "" {
		store = "postgres (throwaway database on " + redact(o.pg) + ")"
	}
	r.note("date: %s", time.Now().UTC().Format(time.RFC3339))
	if o.rev == "" {
		o.rev = sourceRev()
	}
	r.note("source: %s", o.rev)
	r.note("machine: %d CPU (%s), %s, %s", runtime.NumCPU(), cpuModel(), runtime.Version(), runtime.GOARCH)
	r.note("store: %s; staff %d, org units %d; %d clients × %s per HTTP scenario in %d rounds",
		store, o.staff, o.orgs, o.conc, o.duration, o.rounds)
	r.note("load average at the start: %s (the machine may be shared: ratios are measured interleaved)", loadAvg())
}

// sourceRev names the commit measured, and whether the work tree differs from it.
func sourceRev() string {
	rev, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown (not a git work tree)"
	}
	out := strings.TrimSpace(string(rev))
	if dirty, _ := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); len(dirty) > 0 {
		out += " with uncommitted changes"
	}
	return out
}

// loadAvg is the 1, 5 and 15 minute load average.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

// note prints a line now and keeps it for the summary.
func (r *report) note(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	fmt.Fprintln(os.Stderr, "#", s)
	r.lines = append(r.lines, s)
}

// add records one figure: what, the value, and how to read it.
func (r *report) add(what, value, reading string) {
	fmt.Fprintf(os.Stderr, "  %-44s %s  %s\n", what, value, reading)
	r.rows = append(r.rows, [3]string{what, value, reading})
}

// section starts a group of rows.
func (r *report) section(title string) {
	fmt.Fprintln(os.Stderr, "==", title)
	r.rows = append(r.rows, [3]string{"== " + title, "", ""})
}

func (r *report) print(w io.Writer) {
	fmt.Fprintln(w)
	for _, l := range r.lines {
		fmt.Fprintln(w, l)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, row := range r.rows {
		if strings.HasPrefix(row[0], "== ") {
			_ = tw.Flush()
			fmt.Fprintln(w, "\n"+row[0])
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", row[0], row[1], row[2])
	}
	_ = tw.Flush()
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func redact(url string) string {
	if at := strings.LastIndex(url, "@"); at > 0 {
		if i := strings.Index(url, "://"); i > 0 && i < at {
			user := url[i+3 : at]
			if name, _, hasPW := strings.Cut(user, ":"); hasPW {
				return url[:i+3] + name + ":xxxxx" + url[at:]
			}
		}
	}
	return url
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/1e6) }

func nsop(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms/op", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f µs/op", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns/op", ns)
}

func mib(b float64) string { return fmt.Sprintf("%.1f MiB", b/(1<<20)) }

func ratio(x float64) string { return fmt.Sprintf("%.2f×", x) }
