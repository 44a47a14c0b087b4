package exams

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// importerNames returns the display names of the accounts that imported the versions,
// keyed by user id, for the version list. Accounts live in rbac's users table; only
// their names are read here.
func (s *Store) importerNames(ctx context.Context, versions ...*StandardVersion) (map[int64]string, error) {
	var ids []int64
	for _, v := range versions {
		if v.ImportedBy != nil {
			ids = append(ids, *v.ImportedBy)
		}
	}
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID          int64  `bun:"id"`
		DisplayName string `bun:"display_name"`
	}
	err := s.db.NewSelect().Table("users").Column("id", "display_name").
		Where("id IN (?)", bun.In(ids)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("read importer names: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.DisplayName
	}
	return out, nil
}
