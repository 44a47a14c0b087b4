package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// idleFigures is what an idle server reports about its memory.
type idleFigures struct {
	ready, exit  time.Duration
	rssKB, hwmKB float64
	heapInuse    float64
	exitCode     int
}

// measureIdleDemo starts `clerkskill serve --demo` on SQLite in a temp dir.
func measureIdleDemo(ctx context.Context, o options, r *report) error {
	dir, err := os.MkdirTemp("", "clerkskill-idle-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	f, err := idleRun(ctx, o, []string{"--demo", "--data", dir})
	if err != nil {
		return fmt.Errorf("idle demo: %w", err)
	}
	reportIdle(r, "memory at idle: serve --demo (sqlite, ~300 staff)", f)
	return nil
}

// measureIdleDataset starts the binary over the big dataset: every grant sits in casbin.
func measureIdleDataset(ctx context.Context, o options, r *report, ds *dataset) error {
	f, err := idleRun(ctx, o, ds.serveArgs())
	if err != nil {
		return fmt.Errorf("idle on dataset: %w", err)
	}
	reportIdle(r, fmt.Sprintf("memory at idle: serve over the dataset (%s, %d grants)", ds.storeName(), len(ds.people.grants)), f)
	return nil
}

func reportIdle(r *report, title string, f idleFigures) {
	r.section(title)
	r.add("start to /readyz", fmt.Sprintf("%.1f s", f.ready.Seconds()), "")
	r.add("VmRSS (resident now)", mib(f.rssKB*1024), "from /proc/PID/status")
	r.add("VmHWM (peak resident)", mib(f.hwmKB*1024), "")
	r.add("go_memstats_heap_inuse_bytes", mib(f.heapInuse), "from GET /metrics")
	r.add("SIGTERM to exit", fmt.Sprintf("%.2f s, exit code %d", f.exit.Seconds(), f.exitCode), "")
}

// idleRun starts the binary, serving with extra flags on a free loopback port, waits for
// /readyz and o.idleWait, reads memory figures, then stops it with SIGTERM.
func idleRun(ctx context.Context, o options, extra []string) (idleFigures, error) {
	var f idleFigures
	addr, err := freeAddr()
	if err != nil {
		return f, err
	}
	p, err := startBinary(o.bin, append([]string{"serve", "--addr", addr}, extra...))
	if err != nil {
		return f, err
	}
	defer p.stopIfRunning()
	start := time.Now()
	if err := waitReady(ctx, "http://"+addr, 3*time.Minute); err != nil {
		return f, fmt.Errorf("%w (server log: %s)", err, p.log)
	}
	f.ready = time.Since(start)
	time.Sleep(o.idleWait)
	if err := readMemory(p.cmd.Process.Pid, "http://"+addr, &f); err != nil {
		return f, err
	}
	return f, p.terminate(&f)
}

func buildBinary(ctx context.Context) (string, error) {
	root, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	dir := filepath.Dir(strings.TrimSpace(string(root)))
	bin := filepath.Join(dir, "bench", "out", "clerkskill")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/clerkskill")
	build.Dir, build.Stderr = dir, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("build: %w", err)
	}
	return bin, nil
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// proc is a child process this run started; done closes when it has exited.
type proc struct {
	cmd  *exec.Cmd
	log  string
	done chan struct{}
}

// startBinary runs bin with a clean environment (no DATABASE_URL or CLERKSKILL_* from the
// caller) and its output in a log file next to it.
func startBinary(bin string, args []string) (*proc, error) {
	p := &proc{log: bin + ".log", done: make(chan struct{})}
	out, err := os.Create(p.log)
	if err != nil {
		return nil, err
	}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Stdout, p.cmd.Stderr = out, out
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DATABASE_URL=") && !strings.HasPrefix(kv, "CLERKSKILL_") {
			p.cmd.Env = append(p.cmd.Env, kv)
		}
	}
	if err := p.cmd.Start(); err != nil {
		out.Close()
		return nil, err
	}
	go func() { _ = p.cmd.Wait(); out.Close(); close(p.done) }()
	return p, nil
}

func waitReady(ctx context.Context, base string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("no 200 from %s/readyz within %s", base, limit)
}

func readMemory(pid int, base string, f *idleFigures) error {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return err
	}
	f.rssKB, f.hwmKB = statusField(string(status), "VmRSS:"), statusField(string(status), "VmHWM:")
	f.heapInuse, err = metric(base+"/metrics", "go_memstats_heap_inuse_bytes")
	return err
}

func statusField(status, key string) float64 {
	for _, line := range strings.Split(status, "\n") {
		if rest, ok := strings.CutPrefix(line, key); ok {
			v, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return v
		}
	}
	return 0
}

// metric reads one unlabelled sample from a Prometheus text page.
func metric(url, name string) (float64, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(io.LimitReader(resp.Body, 4<<20))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			return strconv.ParseFloat(strings.TrimSpace(rest), 64)
		}
	}
	return 0, fmt.Errorf("%s: no %s", url, name)
}

// terminate sends SIGTERM and waits up to 20 s for the process to exit.
func (p *proc) terminate(f *idleFigures) error {
	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case <-p.done:
		f.exit, f.exitCode = time.Since(start), p.cmd.ProcessState.ExitCode()
		return nil
	case <-time.After(20 * time.Second):
		return fmt.Errorf("pid %d still running 20 s after SIGTERM", p.cmd.Process.Pid)
	}
}

// stopIfRunning kills the process this run started if it outlived the measurement.
func (p *proc) stopIfRunning() {
	select {
	case <-p.done:
	default:
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}
