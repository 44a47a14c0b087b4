package exports

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

var (
	dateText  = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)
	dateDense = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
)

// ParseDate reads a day as users write it in Excel: text such as 2024-03-01, 2024/3/1,
// 2024.3.1, 2024年3月1日 or 20240301 (full-width digits too), or a date cell's serial
// number as stored (45352 is 2024-03-01). The error is a Chinese message for the user.
func ParseDate(s string) (time.Time, error) {
	s = Normalize(s)
	if m := dateText.FindStringSubmatch(s); m != nil {
		return ymd(s, m[1], m[2], m[3])
	}
	if m := dateDense.FindStringSubmatch(s); m != nil {
		return ymd(s, m[1], m[2], m[3])
	}
	if serial, err := strconv.ParseFloat(s, 64); err == nil && serial >= 1 && serial < 2958466 {
		t, err := excelize.ExcelDateToTime(serial, false)
		if err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
		}
	}
	return time.Time{}, dateError(s)
}

func ymd(s, y, m, d string) (time.Time, error) {
	yy, _ := strconv.Atoi(y)
	mm, _ := strconv.Atoi(m)
	dd, _ := strconv.Atoi(d)
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Year() != yy || int(t.Month()) != mm || t.Day() != dd {
		return time.Time{}, dateError(s)
	}
	return t, nil
}

func dateError(s string) error {
	return fmt.Errorf("日期“%s”无法识别，请写成 2024-03-01、2024/3/1 或 2024年3月1日", s)
}

// ParseInt reads a whole number, also in full-width digits or stored as 3.0.
func ParseInt(s string) (int, error) {
	s = strings.ReplaceAll(Normalize(s), ",", "")
	if n, err := strconv.Atoi(s); err == nil {
		return n, nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int(f)) {
		return int(f), nil
	}
	return 0, fmt.Errorf("“%s”不是整数", s)
}

// Text reads a code-like cell (工号, 电话, 身份证号): full-width forms folded, and a
// number Excel stored as 1.3800138E+10 written back out in digits.
func Text(s string) string {
	s = Normalize(s)
	if strings.ContainsAny(s, "Ee") {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int64(f)) {
			return strconv.FormatInt(int64(f), 10)
		}
	}
	return s
}
