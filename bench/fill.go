package main

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/rbac"
)

const batchRows = 1000

// fill plans the tree and the people and writes them in multi-row inserts, one
// transaction per table, then reports how long that took.
func (ds *dataset) fill(ctx context.Context, o options, r *report) error {
	hash, err := rbac.HashPassword(ctx, benchPassword)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	ds.tree = planTree(o.orgs, now)
	ds.people = planPeople(ds.tree, o.staff, hash, now)
	start := time.Now()
	steps := []func(context.Context, bun.Tx) error{
		func(ctx context.Context, tx bun.Tx) error { return insertBatches(ctx, tx, ds.tree.all) },
		func(ctx context.Context, tx bun.Tx) error { return insertBatches(ctx, tx, ds.people.staff) },
		func(ctx context.Context, tx bun.Tx) error { return insertBatches(ctx, tx, ds.people.users) },
		func(ctx context.Context, tx bun.Tx) error { return insertBatches(ctx, tx, ds.people.grants) },
		func(ctx context.Context, tx bun.Tx) error { return fixSequences(ctx, tx) },
	}
	for _, step := range steps {
		if err := ds.db.RunInTx(ctx, nil, step); err != nil {
			return fmt.Errorf("fill %s: %w", ds.storeName(), err)
		}
	}
	r.section("dataset (" + ds.storeName() + ")")
	r.add("bulk insert", fmt.Sprintf("%.1f s", time.Since(start).Seconds()),
		fmt.Sprintf("%d org units (%d cities, %d counties, %d townships, %d villages), %d staff+accounts, %d grants",
			len(ds.tree.all), len(ds.tree.cities), len(ds.tree.counties), len(ds.tree.townships),
			len(ds.tree.villages), len(ds.people.staff), len(ds.people.grants)))
	return nil
}

func insertBatches[T any](ctx context.Context, tx bun.Tx, rows []T) error {
	for start := 0; start < len(rows); start += batchRows {
		batch := rows[start:min(start+batchRows, len(rows))]
		if _, err := tx.NewInsert().Model(&batch).Returning("NULL").Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}
