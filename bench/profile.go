package main

import (
	"context"
	"os"
	"runtime/pprof"
)

// profileGuarded writes a CPU profile of the process while the township HR loads the real
// server's show route, so the guard's cost can be read by function: go tool pprof -top FILE.
func profileGuarded(ctx context.Context, o options, fx *accessFixture) error {
	if o.cpuprofile == "" {
		return nil
	}
	f, err := os.Create(o.cpuprofile)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	show := func(w, i int) string { return staffPath(fx.inScope[(w*7919+i)%len(fx.inScope)]) }
	hammer(ctx, newClient(o.conc), o.conc, o.duration/2, getter(fx.base, fx.townToken, show))
	pprof.StopCPUProfile()
	return nil
}
