package sheets

import (
	"iter"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"clerkskill/app/db"
	"clerkskill/app/web"
)

// chunks yields list in slices of at most n.
func chunks[T any](list []T, n int) iter.Seq[[]T] {
	return func(yield func([]T) bool) {
		for len(list) > 0 {
			k := min(n, len(list))
			if !yield(list[:k]) {
				return
			}
			list = list[k:]
		}
	}
}

func bunIn[T any](list []T) any { return bun.In(list) }

// notFound turns no rows into the not-found error naming what.
func notFound(err error, what string) error {
	if db.IsNoRows(err) {
		return web.Errorf(web.ENOTFOUND, "%s不存在", what)
	}
	return err
}

// compareCodes orders standard codes part by part as numbers: 1.2 < 1.10 < 2.
func compareCodes(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, errx := strconv.Atoi(as[i])
		y, erry := strconv.Atoi(bs[i])
		if errx != nil || erry != nil {
			if c := strings.Compare(as[i], bs[i]); c != 0 {
				return c
			}
			continue
		}
		if x != y {
			return x - y
		}
	}
	return len(as) - len(bs)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
