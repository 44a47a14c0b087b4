package certify

import "time"

// Periods of service are counted in whole months, to the day, the way 民法典 第二百条至
// 第二百零三条 count periods by year and month: the period ends on the day of the last
// month that corresponds to the starting day, or on that month's last day when it has
// none. So five years from 2019-03-01 are complete on 2024-03-01, and one year from
// 2020-02-29 on 2021-02-28.

// china is the time zone the day of an evaluation is read in.
var china = time.FixedZone("CST", 8*3600)

// dateOf is the calendar day of t in China time, as a UTC midnight.
func dateOf(t time.Time) time.Time {
	y, m, d := t.In(china).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// civil is the calendar day of a stored date (already a day, whatever its zone).
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// addMonths is the day n months after d; when that month is too short, its last day.
func addMonths(d time.Time, n int) time.Time {
	y, m, _ := d.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d.Day(), last), 0, 0, 0, 0, time.UTC)
}

// monthsBetween is the whole months from a to b: the largest n with addMonths(a, n) on or
// before b; 0 when b is before a.
func monthsBetween(a, b time.Time) int {
	if b.Before(a) {
		return 0
	}
	n := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
	for n > 0 && addMonths(a, n).After(b) {
		n--
	}
	return n
}

// service is time in the occupation counted from a start day, plus earlier months that
// count towards it.
type service struct {
	start  time.Time // counting from here on
	extra  int       // months before start that count
	months int       // total whole months on the day
}

// due is the day the service reaches years.
func (s service) due(years int) time.Time {
	return addMonths(s.start, max(0, years*12-s.extra))
}

// serviceSince is the service on day after from (zero: since ever). Service runs from
// the hire date; the prior service the HR record holds is taken as the months right
// before it, so it counts after from only as far as it lies after from.
func serviceSince(f Facts, from, day time.Time) service {
	if f.HireDate == nil {
		return service{start: day, extra: f.PriorServiceMonths, months: f.PriorServiceMonths}
	}
	hire := civil(*f.HireDate)
	sv := service{start: hire, extra: f.PriorServiceMonths}
	if !from.IsZero() {
		from = civil(from)
		if from.After(hire) {
			sv.start, sv.extra = from, 0
		} else {
			sv.extra = min(f.PriorServiceMonths, monthsBetween(from, hire))
		}
	}
	sv.months = sv.extra + monthsBetween(sv.start, day)
	return sv
}
