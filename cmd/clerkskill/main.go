// Command clerkskill runs the clerk training and certification service and its operator tools.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"clerkskill/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
