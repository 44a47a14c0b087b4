package rbac

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar day, written "2006-01-02" in JSON, forms and the database.
type Date struct{ time.Time }

const dateLayout = "2006-01-02"

// ParseDate reads "2006-01-02"; an empty string gives nil.
func ParseDate(s string) (*Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return nil, fmt.Errorf("日期“%s”格式应为 年-月-日，如 2021-03-15", s)
	}
	return &Date{t}, nil
}

// String formats the day.
func (d Date) String() string { return d.Format(dateLayout) }

// MarshalJSON writes "2006-01-02".
func (d Date) MarshalJSON() ([]byte, error) { return []byte(`"` + d.String() + `"`), nil }

// UnmarshalJSON reads "2006-01-02".
func (d *Date) UnmarshalJSON(b []byte) error {
	p, err := ParseDate(strings.Trim(string(b), `"`))
	if err != nil || p == nil {
		return fmt.Errorf("date must be YYYY-MM-DD")
	}
	*d = *p
	return nil
}

// Value stores the day as text both stores read as a date.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Scan reads a date from either store.
func (d *Date) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		d.Time = time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC)
		return nil
	case string:
		return d.scanText(x)
	case []byte:
		return d.scanText(string(x))
	}
	return fmt.Errorf("scan date from %T", v)
}

func (d *Date) scanText(s string) error {
	if len(s) < 10 {
		return fmt.Errorf("scan date from %q", s)
	}
	t, err := time.Parse(dateLayout, s[:10])
	d.Time = t
	return err
}
