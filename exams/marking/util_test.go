package marking_test

import (
	"fmt"
	"strconv"
)

func sprintf(v float64) string { return fmt.Sprintf("%.2f", v) }

func itoa(i int) string { return strconv.Itoa(i) }
