package training

import (
	"strconv"

	"clerkskill/app/web/chart"
)

// The report charts are horizontal bar charts (app/web/chart), scaled to the longest bar.

func unitChart(rows []UnitRow, f ReportFilter) chart.Bars {
	labels, values := make([]string, len(rows)), make([]float64, len(rows))
	for i, r := range rows {
		labels[i], values[i] = r.Name, r.Hours
		if r.Own {
			labels[i] = r.Name + "（本级）"
		}
	}
	return chart.NewBars(strconv.Itoa(f.Year)+"年各单位学时", labels, values, 0, "")
}

func courseChart(rows []CourseRow) chart.Bars {
	labels, values := make([]string, len(rows)), make([]float64, len(rows))
	for i, r := range rows {
		labels[i], values[i] = r.Title, r.Hours
	}
	return chart.NewBars("各课程、活动学时", labels, values, 0, "")
}

func personChart(rows []PersonRow) chart.Bars {
	labels, values := make([]string, len(rows)), make([]float64, len(rows))
	for i, r := range rows {
		labels[i], values[i] = r.Name, r.Hours
	}
	return chart.NewBars("人员学时", labels, values, 0, "")
}
