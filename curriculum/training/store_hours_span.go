package training

import "context"

// HoursInYears is the clerk's training hours over the calendar years from to to (China
// time, both included), voided entries left out. Level eligibility counts training over
// several years.
func (s *Store) HoursInYears(ctx context.Context, userID int64, from, to int) (float64, error) {
	var sum []float64
	err := s.db.NewSelect().Model((*Entry)(nil)).ColumnExpr("COALESCE(SUM(h.hours), 0.0)").
		Where("h.user_id = ? AND h.year BETWEEN ? AND ? AND h.voided_at IS NULL", userID, from, to).Scan(ctx, &sum)
	if err != nil || len(sum) == 0 {
		return 0, err
	}
	return Round1(sum[0]), nil
}
