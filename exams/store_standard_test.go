package exams

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uptrace/bun"

	"clerkskill/app/db/dbtest"
	"clerkskill/app/web"
)

var testClock = func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }

// MustEnsureDefault stores the default profile and returns its version.
func MustEnsureDefault(t *testing.T, s *Store) *StandardVersion {
	t.Helper()
	v, err := s.EnsureDefaultStandard(context.Background())
	if err != nil {
		t.Fatalf("ensure default standard: %v", err)
	}
	return v
}

func TestEnsureDefaultStandard(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		s := NewStore(d, testClock)
		if _, err := s.CurrentStandard(ctx); web.ErrorCode(err) != web.ENOTFOUND {
			t.Fatalf("empty store: err = %v, want not found", err)
		}
		first := MustEnsureDefault(t, s)
		again := MustEnsureDefault(t, s)
		if first.ID != again.ID || first.VersionNo != 1 || !first.Current || !first.Provisional {
			t.Errorf("first = %+v, again id %d; want one current provisional version 1", first, again.ID)
		}
		got, err := s.FindStandardVersionByID(ctx, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(MustDefault(t), got.Definition); diff != "" {
			t.Errorf("stored definition differs from the default (-want +got):\n%s", diff)
		}
		if !got.CreatedAt.Equal(testClock()) {
			t.Errorf("created_at = %v, want %v", got.CreatedAt, testClock())
		}
	})
}

func TestEnsureDefaultStandardConcurrently(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		s := NewStore(d, testClock)
		const n = 8
		ids := make([]int64, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				v, err := s.EnsureDefaultStandard(context.Background())
				errs[i] = err
				if err == nil {
					ids[i] = v.ID
				}
			})
		}
		wg.Wait()
		for i := range n {
			if errs[i] != nil || ids[i] != ids[0] {
				t.Errorf("call %d: id %d err %v; want id %d", i, ids[i], errs[i], ids[0])
			}
		}
		vs, err := s.FindStandardVersions(context.Background())
		if err != nil || len(vs) != 1 {
			t.Fatalf("versions = %d, err %v; want exactly 1", len(vs), err)
		}
	})
}

func TestImportStandardVersions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		s := NewStore(d, testClock)
		v1 := MustEnsureDefault(t, s)
		def := MustDefault(t)
		def.Meta.Version = "2026 官方版"
		def.Meta.Provisional = nil
		def.Level(4).TheoryWeights[0].Percent, def.Level(4).TheoryWeights[1].Percent = 10, 15
		v2, err := s.ImportStandard(ctx, 7, def)
		if err != nil {
			t.Fatal(err)
		}
		if v2.VersionNo != 2 || v2.Provisional || v2.ImportedBy == nil || *v2.ImportedBy != 7 {
			t.Errorf("v2 = %+v, want version 2, official, imported by 7", v2)
		}
		t.Run("v2 is current", func(t *testing.T) {
			cur, err := s.CurrentStandard(ctx)
			if err != nil || cur.ID != v2.ID || cur.Definition.Level(4).TheoryWeights[0].Percent != 10 {
				t.Fatalf("current = %+v, err %v; want v2", cur, err)
			}
		})
		t.Run("v1 unchanged and readable", func(t *testing.T) {
			old, err := s.FindStandardVersionByID(ctx, v1.ID)
			if err != nil {
				t.Fatal(err)
			}
			if old.Current {
				t.Error("v1 still marked current")
			}
			if diff := cmp.Diff(MustDefault(t), old.Definition); diff != "" {
				t.Errorf("v1 changed (-want +got):\n%s", diff)
			}
		})
		t.Run("listing is newest first", func(t *testing.T) {
			vs, err := s.FindStandardVersions(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got := []int{}
			for _, v := range vs {
				got = append(got, v.VersionNo)
			}
			if diff := cmp.Diff([]int{2, 1}, got); diff != "" || !vs[0].Current || vs[1].Current {
				t.Errorf("versions (-want +got):\n%s current %v %v", diff, vs[0].Current, vs[1].Current)
			}
		})
		t.Run("restore copies v1 as v3", func(t *testing.T) {
			v3, err := s.RestoreStandardVersion(ctx, 7, v1.ID)
			if err != nil || v3.VersionNo != 3 || len(CompareStandards(v1.Definition, v3.Definition)) != 0 {
				t.Fatalf("v3 = %+v, err %v; want a copy of v1 as version 3", v3, err)
			}
		})
	})
}

func TestImportStandardRefuses(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		s := NewStore(d, testClock)
		MustEnsureDefault(t, s)
		bad := MustDefault(t)
		bad.Level(2).SkillWeights[0].Percent = 99
		if _, err := s.ImportStandard(ctx, 1, bad); web.ErrorCode(err) != web.EINVALID {
			t.Errorf("invalid import: err = %v, want invalid", err)
		}
		if _, err := s.FindStandardVersionByID(ctx, 999); web.ErrorCode(err) != web.ENOTFOUND {
			t.Errorf("missing id: err = %v, want not found", err)
		}
		vs, _ := s.FindStandardVersions(ctx)
		if len(vs) != 1 {
			t.Errorf("versions = %d after a refused import, want 1", len(vs))
		}
	})
}

func TestInsertVersionConflict(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		s := NewStore(d, testClock)
		MustEnsureDefault(t, s)
		dup := s.newVersion(MustDefault(t), 0, "")
		if err := insertVersion(ctx, d, dup, 1); web.ErrorCode(err) != web.ECONFLICT {
			t.Errorf("second version 1: err = %v, want conflict", err)
		}
	})
}

func TestDefinitionStoredAsJSONObject(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *bun.DB) {
		MustEnsureDefault(t, NewStore(d, testClock))
		var raw string
		err := d.NewSelect().Table("standard_versions").ColumnExpr("definition").Limit(1).Scan(context.Background(), &raw)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(raw, "{") || !strings.Contains(raw, `"theory_weights"`) {
			t.Errorf("definition column holds %.80q, want a JSON object", raw)
		}
	})
}
