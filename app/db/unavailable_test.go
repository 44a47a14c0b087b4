package db_test

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"clerkskill/app/db"
)

func TestIsUnavailableTellsOutagesFromFaults(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"no rows", sql.ErrNoRows, false},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"plain error", errors.New("boom"), false},
		{"dial refused", fmt.Errorf("find user: %w", refused), true},
		{"admin shutdown", fmt.Errorf("save: %w", &pgconn.PgError{Code: "57P01"}), true},
		{"starting up", &pgconn.PgError{Code: "57P03"}, true},
		{"connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"bad conn", fmt.Errorf("tx: %w", driver.ErrBadConn), true},
		{"conn done", sql.ErrConnDone, true},
		{"conn closed", fmt.Errorf("query: %w", pgconn.ErrConnClosed), true},
	}
	for _, c := range cases {
		if got := db.IsUnavailable(c.err); got != c.want {
			t.Errorf("%s: IsUnavailable(%v) = %v, want %v", c.name, c.err, got, c.want)
		}
	}
}
