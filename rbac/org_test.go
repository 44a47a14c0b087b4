package rbac

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAncestors(t *testing.T) {
	got := ancestors("/1/22/333/")
	want := []string{"/1/22/333/", "/1/22/", "/1/"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("ancestors (-want +got):\n%s", diff)
	}
	if got := ancestors("/"); len(got) != 0 {
		t.Fatalf("ancestors of / = %v, want none", got)
	}
}

func TestScopeCoversAndMinimal(t *testing.T) {
	s := Scope{"/1/2/", "/1/2/5/", "/1/3/"}.minimal()
	if diff := cmp.Diff(Scope{"/1/2/", "/1/3/"}, s); diff != "" {
		t.Fatalf("minimal (-want +got):\n%s", diff)
	}
	cases := []struct {
		path string
		want bool
	}{
		{"/1/2/", true}, {"/1/2/9/", true}, {"/1/3/4/", true},
		{"/1/", false}, {"/1/20/", false}, {"/1/4/", false},
	}
	for _, c := range cases {
		if got := s.Covers(c.path); got != c.want {
			t.Errorf("Covers(%s) = %v, want %v", c.path, got, c.want)
		}
	}
	if (Scope{"/1/5/", "/1/"}).minimal()[0] != "/1/" {
		t.Error("an ancestor listed after its descendant must replace it")
	}
}

// pathUpper bounds the range scan: everything under p sorts inside [p, upper), nothing else.
func TestPathUpperBoundsSubtree(t *testing.T) {
	p := "/1/5/"
	up := pathUpper(p)
	for _, in := range []string{"/1/5/", "/1/5/7/", "/1/5/99999/1/"} {
		if !(in >= p && in < up) {
			t.Errorf("%s should be inside [%s, %s)", in, p, up)
		}
	}
	for _, out := range []string{"/1/50/", "/1/6/", "/1/", "/1/4/9/"} {
		if out >= p && out < up {
			t.Errorf("%s should be outside [%s, %s)", out, p, up)
		}
	}
}

func TestValidIDNumber(t *testing.T) {
	cases := map[string]bool{
		"11010519491231002X": true,
		"110105194912310021": false, // wrong check character
		"11010519491331002X": false, // month 13
		"1101051949123100":   false, // too short
		"1101051949123100AX": false, // letters in the body
	}
	for id, want := range cases {
		if got := ValidIDNumber(id); got != want {
			t.Errorf("ValidIDNumber(%s) = %v, want %v", id, got, want)
		}
	}
	if got := MaskID("11010519491231002X"); got != "110***********002X" {
		t.Errorf("MaskID = %s", got)
	}
}

func TestTierOrder(t *testing.T) {
	child := &OrgUnit{Tier: TierTownship, Code: "T", Name: "某镇"}
	if err := child.validateParent(&OrgUnit{Tier: TierCounty}); err != nil {
		t.Errorf("township under county: %v", err)
	}
	for _, parent := range []Tier{TierTownship, TierVillage} {
		if err := child.validateParent(&OrgUnit{Tier: parent}); err == nil {
			t.Errorf("township under %s must be refused", parent)
		}
	}
}
