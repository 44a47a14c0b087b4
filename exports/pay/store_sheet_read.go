package pay

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
)

// Reading a pay sheet's clerks: the one sorted query, streamed a chunk at a time, and
// the scanners that read its rows without reflection.

// clerkQuery selects, in tree order, each active clerk of the subtree with the month's
// workload and ratings counted by grade (removed ones do not count).
//
// On SQLite a sheet of a large part of the tree walks staff in storage order and sorts
// once: walking it unit by unit through staff (org_id, emp_no) reads a page of staff,
// pay_workloads and pay_ratings for nearly every clerk when a unit's clerks were added
// at different times. PostgreSQL plans the join itself.
func (r *sheetRun) clerkQuery() *bun.SelectQuery {
	q := r.s.db.NewSelect()
	if r.scan {
		q = q.TableExpr("staff AS s CROSS JOIN org_units AS o").Where("o.id = s.org_id").GroupExpr("s.id, o.id, w.staff_id, w.period")
	} else {
		q = q.TableExpr("org_units AS o JOIN staff AS s ON s.org_id = o.id").GroupExpr("o.path, s.emp_no, s.id, o.id, w.staff_id, w.period")
	}
	// Grouped by the keys of staff, org_units and pay_workloads, their columns need no aggregate.
	q = q.ColumnExpr("s.id, s.emp_no, s.name, s.org_id").
		ColumnExpr("COALESCE(w.cases, 0), COALESCE(w.calls, 0), COALESCE(w.consults, 0), COALESCE(w.errands, 0)")
	for g := 5; g >= 1; g-- {
		q = q.ColumnExpr("COALESCE(SUM(CASE WHEN r.grade = ? THEN r.count END), 0)", g)
	}
	q = q.Join("LEFT JOIN pay_workloads AS w ON w.staff_id = s.id AND w.period = ?", r.q.Period).
		Join("LEFT JOIN pay_ratings AS r ON r.staff_id = s.id AND r.period = ? AND r.removed_at IS NULL", r.q.Period).
		Where("s.active = ?", true).OrderExpr("o.path, s.emp_no")
	return inSubtree(q, "o.path", r.q.Path)
}

// readClerks streams the clerks and hands them on a chunk at a time: on PostgreSQL one
// query per group of units, on SQLite one query for the subtree.
func (r *sheetRun) readClerks(ctx context.Context, send func([]Row) error) error {
	groups := [][]int64{nil}
	if db.IsPostgres(r.s.db) {
		var err error
		if groups, err = r.s.unitGroups(ctx, r.q.Path); err != nil {
			return err
		}
	}
	for _, g := range groups {
		if err := r.readGroup(ctx, g, send); err != nil {
			return err
		}
	}
	return r.flush(ctx, send, len(r.pending))
}

// readGroup reads the clerks of the units with ids (all of the subtree's for nil).
func (r *sheetRun) readGroup(ctx context.Context, ids []int64, send func([]Row) error) error {
	q := r.clerkQuery()
	if ids != nil {
		q = q.Where("o.id IN (?)", bun.In(ids))
	}
	rows, err := q.Rows(ctx)
	if err != nil {
		return err
	}
	defer rows.Close()
	sc := newClerkScanner()
	for rows.Next() {
		if err := sc.scan(rows, r.next()); err != nil {
			return err
		}
		if err := r.flushFull(ctx, send); err != nil {
			return err
		}
	}
	return rows.Err()
}

// unitGroups splits the subtree's units with active clerks, in tree order, into groups
// of about four chunks of clerks. PostgreSQL sorts a whole subtree's query before its
// first row (1.3 s for 100,000 clerks on a busy server, the writer idle meanwhile); a
// group's comes in 0.5 s, and the next groups are read while the writer works. Smaller
// groups cost more queries than they save.
func (s *Store) unitGroups(ctx context.Context, path string) ([][]int64, error) {
	var list []struct {
		ID     int64 `bun:"id"`
		Clerks int   `bun:"clerks"`
	}
	q := s.db.NewSelect().TableExpr("org_units AS o").Join("JOIN staff AS s ON s.org_id = o.id AND s.active = ?", true).
		ColumnExpr("o.id, COUNT(*) AS clerks").GroupExpr("o.id, o.path").OrderExpr("o.path")
	if err := inSubtree(q, "o.path", path).Scan(ctx, &list); err != nil {
		return nil, err
	}
	var groups [][]int64
	limit := 4 * chunkSize
	size := limit
	for _, u := range list {
		if size+u.Clerks > limit && size > 0 {
			groups, size = append(groups, nil), 0
		}
		groups[len(groups)-1], size = append(groups[len(groups)-1], u.ID), size+u.Clerks
	}
	return groups, nil
}

// next is the row to scan into: a new one at the end of pending.
func (r *sheetRun) next() *Row {
	r.pending = append(r.pending, Row{})
	return &r.pending[len(r.pending)-1]
}

// flushFull hands on the whole units read before the row just read once there are
// chunkSize rows pending. A unit of more than chunkSize clerks is handed on in parts,
// its highest workload read beforehand.
func (r *sheetRun) flushFull(ctx context.Context, send func([]Row) error) error {
	n := len(r.pending) - 1
	if n < chunkSize {
		return nil
	}
	org := r.pending[n].OrgID
	start := n
	for start > 0 && r.pending[start-1].OrgID == org {
		start--
	}
	if start > 0 {
		return r.flush(ctx, send, start)
	}
	if r.bigOrg != org {
		top, err := r.s.unitWorkloadMax(ctx, org, r.q.Period)
		if err != nil {
			return err
		}
		r.bigOrg, r.bigMax = org, top
	}
	return r.flush(ctx, send, n+1)
}

// flush computes the first n pending rows and sends them.
func (r *sheetRun) flush(ctx context.Context, send func([]Row) error, n int) error {
	if n == 0 {
		return nil
	}
	rows := make([]Row, n)
	copy(rows, r.pending[:n])
	r.pending = append(r.pending[:0], r.pending[n:]...)
	clear(r.index)
	ids := make([]int64, n)
	for i := range rows {
		u := r.units[rows[i].OrgID]
		rows[i].OrgName, rows[i].OrgPath = u.Name, u.Path
		ids[i], r.index[rows[i].StaffID] = rows[i].StaffID, i
	}
	levels := make(chan error, 1)
	go func() { levels <- r.fillLevels(ctx, ids, rows) }() // one round trip instead of two
	err := r.fillExams(ctx, ids, rows)
	if lerr := <-levels; err == nil {
		err = lerr
	}
	if err != nil {
		return err
	}
	r.compute(rows)
	return send(rows)
}

// clerkScanner scans clerkQuery's columns into a Row, reusing its destinations.
type clerkScanner struct {
	id, org    intCol
	work, rate [5]intCol
	dest       []any
}

func newClerkScanner() *clerkScanner {
	c := &clerkScanner{}
	c.dest = []any{&c.id, nil, nil, &c.org, &c.work[0], &c.work[1], &c.work[2], &c.work[3],
		&c.rate[0], &c.rate[1], &c.rate[2], &c.rate[3], &c.rate[4]}
	return c
}

func (c *clerkScanner) scan(rows *sql.Rows, x *Row) error {
	c.id.p, c.dest[1], c.dest[2], c.org.p = &x.StaffID, &x.EmpNo, &x.Name, &x.OrgID
	c.work[0].n, c.work[1].n, c.work[2].n, c.work[3].n = &x.Cases, &x.Calls, &x.Consults, &x.Errands
	for i := range c.rate {
		c.rate[i].n = &x.Ratings[i]
	}
	if err := rows.Scan(c.dest...); err != nil {
		return err
	}
	for _, n := range x.Ratings {
		x.RatingCount += n
	}
	return nil
}

// intCol scans an integer column straight into an int or int64, without the reflection
// database/sql falls back on for such destinations.
type intCol struct {
	p *int64
	n *int
}

// Scan implements sql.Scanner.
func (c *intCol) Scan(src any) error {
	v, ok := src.(int64)
	if !ok && src != nil {
		return fmt.Errorf("pay sheet: integer column holds %T", src)
	}
	if c.p != nil {
		*c.p = v
	} else {
		*c.n = int(v)
	}
	return nil
}
