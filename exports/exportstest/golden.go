// Package exportstest compares workbooks read back as text with goldens in testdata.
package exportstest

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"clerkskill/exports"
)

var update = flag.Bool("update", false, "rewrite the workbook goldens in testdata")

// Golden reads workbook back with exports.Dump and compares it with testdata/name.txt,
// rewriting the file instead when the test runs with -update.
func Golden(t *testing.T, name string, workbook []byte) {
	t.Helper()
	got, err := exports.DumpBytes(workbook)
	if err != nil {
		t.Fatalf("read back %s: %v", name, err)
	}
	path := filepath.Join("testdata", name+".txt")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden %s: %v (run with -update to write it)", path, err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs from its golden (-want +got):\n%s", name, diff)
	}
}
