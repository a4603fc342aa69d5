package duckdb

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const duckdbModule = "github.com/duckdb/duckdb-go/v2"

// TestLeanBuild proves that a build without cgo drops DuckDB: neither this
// package nor the 0711 command depends on the driver when CGO_ENABLED=0,
// while this package does with cgo.
func TestLeanBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	deps := func(cgo string, pkgs ...string) []string {
		t.Helper()
		cmd := exec.Command(gobin, append([]string{"list", "-deps"}, pkgs...)...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED="+cgo)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go list: %v\n%s", err, out)
		}
		return strings.Fields(string(out))
	}
	if slices.Contains(deps("0", ".", "../../cmd/0711"), duckdbModule) {
		t.Errorf("CGO_ENABLED=0 build still depends on %s", duckdbModule)
	}
	if !slices.Contains(deps("1", "."), duckdbModule) {
		t.Errorf("cgo build does not depend on %s", duckdbModule)
	}
}
