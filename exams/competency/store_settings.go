package competency

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
)

// SettingsFor returns the settings in force at a unit: its own, else its nearest
// ancestor's, else the defaults.
func (s *Store) SettingsFor(ctx context.Context, orgID int64) (Settings, error) {
	o, err := s.unit(ctx, orgID)
	if err != nil {
		return Settings{}, err
	}
	ids := pathIDs(o.Path)
	var rows []Settings
	if err := s.db.NewSelect().Model(&rows).Where("cs.org_id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return Settings{}, fmt.Errorf("read competency settings: %w", err)
	}
	best := DefaultSettings()
	depth := -1
	for _, r := range rows {
		if d := indexOf(ids, r.OrgID); d > depth {
			best, depth = r, d
		}
	}
	if depth >= 0 {
		best.Inherited = best.OrgID != orgID
		if best.From, err = s.unitName(ctx, best.OrgID); err != nil {
			return Settings{}, err
		}
	}
	return best, nil
}

// SaveSettings stores a unit's own settings; the caller has checked the unit's scope.
func (s *Store) SaveSettings(ctx context.Context, actor int64, set *Settings) error {
	if err := set.Validate(); err != nil {
		return err
	}
	if _, err := s.unit(ctx, set.OrgID); err != nil {
		return err
	}
	set.UpdatedAt = s.now()
	if actor != 0 {
		set.UpdatedBy = &actor
	}
	_, err := s.db.NewInsert().Model(set).On("CONFLICT (org_id) DO UPDATE").
		Set("method = EXCLUDED.method").Set("half_life_days = EXCLUDED.half_life_days").
		Set("gap_below = EXCLUDED.gap_below").Set("strong_from = EXCLUDED.strong_from").
		Set("updated_by = EXCLUDED.updated_by").Set("updated_at = EXCLUDED.updated_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("save competency settings: %w", err)
	}
	return nil
}

// ClearSettings drops a unit's own settings, so it inherits again.
func (s *Store) ClearSettings(ctx context.Context, orgID int64) error {
	_, err := s.db.NewDelete().Model((*Settings)(nil)).Where("org_id = ?", orgID).Exec(ctx)
	return err
}

// pathIDs lists the unit ids of a path from the root down.
func pathIDs(path string) []int64 {
	var out []int64
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func indexOf(ids []int64, id int64) int {
	for i, x := range ids {
		if x == id {
			return i
		}
	}
	return -1
}
