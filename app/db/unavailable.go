package db

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// IsUnavailable reports whether err means the database could not be reached, dropped the
// connection, is shutting down or restarting, or (SQLite) stayed locked past busy_timeout:
// a failure of the moment that a retry a little later can cure, not a fault of the request.
// The pool opens fresh connections by itself once the database is back.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return unavailableState(pgErr.Code)
	}
	var connErr *pgconn.ConnectError
	var netErr net.Error
	var sqErr *sqlite.Error
	switch {
	case errors.As(err, &connErr), errors.As(err, &netErr):
		return true
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, pgconn.ErrConnClosed):
		return true
	case errors.As(err, &sqErr):
		code := sqErr.Code() & 0xff
		return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
	}
	return pgconn.Timeout(err)
}

// unavailableState is true for the SQLSTATEs of a lost or refused connection: class 08,
// admin/crash shutdown, "cannot connect now" (the server is starting up) and too many
// connections.
func unavailableState(code string) bool {
	switch code {
	case "57P01", "57P02", "57P03", "53300":
		return true
	}
	return strings.HasPrefix(code, "08")
}
