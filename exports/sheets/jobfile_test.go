package sheets

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/uptrace/bun"

	"clerkskill/app/db/dbtest"
	"clerkskill/rbac"
)

// TestJobFileRoundTripsInPieces: a file of several pieces comes back byte for byte through
// another store over the same database, a second save replaces the first (a job taken up
// again after its runner died), and pruning the job takes its pieces with it.
func TestJobFileRoundTripsInPieces(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		people, err := rbac.NewStore(d, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := people.Bootstrap(ctx, "县中心", "Bootstrap-pass-1"); err != nil {
			t.Fatal(err)
		}
		admin, _ := people.FindUserByUsername(ctx, "admin")
		a := NewStore(d, Deps{People: people, Dir: t.TempDir()}, nil)
		b := NewStore(d, Deps{People: people, Dir: t.TempDir()}, nil)
		j, err := a.QueueJob(ctx, admin.ID, KindRoster, JobParams{Scope: []string{"/"}})
		if err != nil {
			t.Fatal(err)
		}
		first := make([]byte, chunkSize/2)
		want := make([]byte, 2*chunkSize+12345)
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range want {
			want[i] = byte(rng.Uint32())
		}
		for _, body := range [][]byte{first, want} {
			if err := a.saveJobFile(ctx, j.ID, bytes.NewReader(body)); err != nil {
				t.Fatal(err)
			}
		}
		r, size, err := b.openJobFile(ctx, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		if err != nil || size != len(want) || !bytes.Equal(got, want) {
			t.Fatalf("read %d bytes (size %d, err %v), want the %d saved", len(got), size, err, len(want))
		}
		if _, err := d.NewDelete().Model((*Job)(nil)).Where("id = ?", j.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if n, _ := d.NewSelect().Model((*jobChunk)(nil)).Count(ctx); n != 0 {
			t.Errorf("%d pieces outlived their job", n)
		}
	})
}
