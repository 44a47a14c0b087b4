package dbtest_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/db/dbtest"
)

func TestMigrateTwiceIsCurrent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		n, err := db.Migrate(context.Background(), d)
		if err != nil || n != 0 {
			t.Fatalf("second migrate applied %d, err %v; want 0, nil", n, err)
		}
		if err := db.CheckCurrent(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	})
}
