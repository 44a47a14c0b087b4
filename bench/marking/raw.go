package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"clerkskill/exams/marking"
)

// shadowTables copies the shape, defaults, keys and indexes of the four tables marking
// writes, so the ceiling pays the same index upkeep (but no foreign-key checks).
func shadowTables(ctx context.Context, d *bun.DB) error {
	for _, t := range []string{"marked_attempts", "item_marks", "score_audit", "part_results"} {
		if _, err := d.ExecContext(ctx, fmt.Sprintf("CREATE TABLE raw_%s (LIKE %s INCLUDING ALL)", t, t)); err != nil {
			return err
		}
	}
	return nil
}

// timeRaw writes, for each attempt, the rows MarkAttempt writes (a claim, one item mark
// and one audit row per item, one result) in one transaction through database/sql,
// with the same number of concurrent writers.
func timeRaw(ctx context.Context, d *sql.DB, ids []int64, o options) (time.Duration, error) {
	return parallel(ids, o.workers, func(id int64) error { return rawAttempt(ctx, d, id, o.items) })
}

func rawAttempt(ctx context.Context, d *sql.DB, id int64, items int) error {
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	now := time.Now().UTC()
	if _, err := tx.ExecContext(ctx, "INSERT INTO raw_marked_attempts (attempt_id, session_id, marked_at) VALUES ($1, 1, $2)", id, now); err != nil {
		return err
	}
	var marks, audit []string
	var ma, aa []any
	for k := 0; k < items; k++ {
		marks = append(marks, placeholders(len(ma), 12))
		ma = append(ma, id, k, 1, k+1, "single", "1.1", 1.0, 1.0, marking.StatusAuto, "B", true, now)
		audit = append(audit, placeholders(len(aa), 7))
		aa = append(aa, 1, id, k, now, 1.0, marking.SourceAuto, "客观题自动判分")
	}
	q1 := "INSERT INTO raw_item_marks (attempt_id, idx, session_id, question_id, qtype, code, points, score, status, choice, answered, updated_at) VALUES " + strings.Join(marks, ",")
	q2 := "INSERT INTO raw_score_audit (session_id, attempt_id, idx, at, new_score, source, reason) VALUES " + strings.Join(audit, ",")
	if _, err := tx.ExecContext(ctx, q1, ma...); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, q2, aa...); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO raw_part_results (attempt_id, session_id, user_id, part, standard_version_id, earned, possible, score, pass_mark, passed, complete, branches, computed_at)
		VALUES ($1, 1, 1, 'theory', 1, 70, 100, 70, 60, true, true, $2, $3)`, id, `[{"code":"1","name":"咨询引导","earned":70,"possible":100,"percent":70}]`, now)
	if err != nil {
		return err
	}
	return tx.Commit()
}

// placeholders writes "($n+1, …, $n+k)".
func placeholders(n, k int) string {
	p := make([]string, k)
	for i := range p {
		p[i] = fmt.Sprintf("$%d", n+i+1)
	}
	return "(" + strings.Join(p, ", ") + ")"
}

func timeMarking(ctx context.Context, store *marking.Store, ids []int64, workers int) (time.Duration, error) {
	return parallel(ids, workers, func(id int64) error { return store.MarkAttempt(ctx, id) })
}

// parallel runs fn over ids with n workers and returns the wall time.
func parallel(ids []int64, n int, fn func(int64) error) (time.Duration, error) {
	work := make(chan int64)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				if err := fn(id); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	close(errs)
	return time.Since(start), <-errs
}
