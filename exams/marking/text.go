package marking

import "fmt"

// The methods below give templates plain text for marks, which may be absent.

// markText writes a mark or "—" when there is none.
func markText(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmtNum(*v)
}

// ScoreText is the item's score, "—" while unsettled.
func (m *ItemMark) ScoreText() string { return markText(m.Score) }

// StatusLabel names the item's status in Chinese.
func (m *ItemMark) StatusLabel() string { return statusLabel(m.Status) }

func statusLabel(s string) string {
	return map[string]string{StatusAuto: "自动判分", StatusPending: "待评", StatusArbitration: "待仲裁", StatusMarked: "已评"}[s]
}

// StatusLabel names the item's status in Chinese.
func (q QueueItem) StatusLabel() string { return statusLabel(q.Status) }

// TypeLabel names the question type in Chinese.
func (q QueueItem) TypeLabel() string { return q.Type.Label() }

// StatusLabel names the row's status in Chinese.
func (r SheetRow) StatusLabel() string { return statusLabel(r.Status) }

// ScoreText is the item's score, "—" while unsettled.
func (m MyItem) ScoreText() string { return markText(m.Score) }

// PointsText is the item's points.
func (m MyItem) PointsText() string { return fmtNum(m.Points) }

// TypeLabel names the question type in Chinese.
func (m MyItem) TypeLabel() string { return m.Type.Label() }

// Reviewable reports whether the item has not been reviewed yet.
func (m MyItem) Reviewable() bool { return m.Review == nil }

// OldText is the score before the change.
func (a *AuditEntry) OldText() string { return markText(a.OldScore) }

// NewText is the score after the change.
func (a *AuditEntry) NewText() string { return markText(a.NewScore) }

// Actor names who made the change.
func (a *AuditEntry) Actor() string {
	if a.ActorID == nil {
		return "系统"
	}
	return a.ActorName
}

// OldText is the score when the review was asked for.
func (r *ReviewRequest) OldText() string { return markText(r.OldScore) }

// NewText is the score after the review.
func (r *ReviewRequest) NewText() string { return markText(r.NewScore) }

// ScoreText is the part score out of 100.
func (r *PartResult) ScoreText() string { return fmt.Sprintf("%.1f", r.Score) }

// Verdict says passed, failed or still being marked.
func (r *PartResult) Verdict() string {
	switch {
	case !r.Complete:
		return "评分中"
	case r.Passed:
		return "合格"
	}
	return "不合格"
}

// RawText is the assessor's total on the question's scale.
func (m *AssessorMark) RawText() string { return fmtNum(m.Raw) }

// RoleLabel names the assessor's role in Chinese.
func (m *AssessorMark) RoleLabel() string { return roleLabel(m.Role) }

// CriteriaText lists the per-criterion marks, "4 / 5.5 / 2".
func (m *AssessorMark) CriteriaText() string {
	s := ""
	for i, v := range m.Criteria {
		if i > 0 {
			s += " / "
		}
		s += fmtNum(v)
	}
	return s
}

// FacilityText is the facility with two decimals, "—" when absent.
func (it *ItemStat) FacilityText() string { return decimal(it.Facility) }

// DiscriminationText is the discrimination with two decimals, "—" when absent.
func (it *ItemStat) DiscriminationText() string { return decimal(it.Discrimination) }

// TypeLabel names the question type in Chinese.
func (it *ItemStat) TypeLabel() string { return it.Type.Label() }

func decimal(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f", *v)
}

// Bar is one column of a distribution chart in a 0–100 × 0–50 SVG box.
type Bar struct {
	X, Y, W, H float64
	Label      string
	Count      int
}

// Bars draws the part's score bands as columns scaled to the fullest band.
func (p *PartSummary) Bars() []Bar {
	top := 1
	for _, n := range p.Bands {
		top = max(top, n)
	}
	out := make([]Bar, len(p.Bands))
	for i, n := range p.Bands {
		h := 46 * float64(n) / float64(top)
		label := fmt.Sprintf("%d–%d", i*10, i*10+9)
		if i == 9 {
			label = "90–100"
		}
		out[i] = Bar{X: float64(i)*10 + 1, Y: 48 - h, W: 8, H: h, Label: label, Count: n}
	}
	return out
}

// MeanText is the mean score.
func (p *PartSummary) MeanText() string { return fmt.Sprintf("%.1f", p.Mean) }
