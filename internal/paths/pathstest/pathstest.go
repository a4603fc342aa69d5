// Package pathstest gives tests a data directory that the paths package
// accepts. t.TempDir lives under the temporary directory, which the
// platform refuses for persistent data, so tests use Dir instead.
package pathstest

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/zero711/brain/internal/paths"
)

// Dir creates a fresh, empty directory below the user's cache directory
// (os.UserCacheDir, else $HOME/.cache) in 0711-test/, and removes it when
// the test ends. It fails the test when no such directory can be made
// outside the temporary directories.
func Dir(t testing.TB) string {
	t.Helper()
	parent, err := testRoot()
	if err != nil {
		t.Fatalf("pathstest: %v", err)
	}
	if err := os.MkdirAll(parent, 0o750); err != nil {
		t.Fatalf("pathstest: create %s: %v", parent, err)
	}
	dir := filepath.Join(parent, randomName(t))
	if err := os.Mkdir(dir, 0o750); err != nil {
		t.Fatalf("pathstest: create %s: %v", dir, err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Errorf("pathstest: remove %s: %v", dir, err)
		}
	})
	// The cache directory may itself be a link; tests compare resolved paths.
	resolved, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatalf("pathstest: resolve %s: %v", dir, err)
	}
	return resolved
}

// testRoot returns the first candidate parent outside the temporary
// directories.
func testRoot() (string, error) {
	var candidates []string
	if d, err := os.UserCacheDir(); err == nil {
		candidates = append(candidates, d)
	}
	if h, err := os.UserHomeDir(); err == nil {
		candidates = append(candidates, filepath.Join(h, ".cache"))
	}
	var lastErr error = os.ErrNotExist
	for _, c := range candidates {
		root := filepath.Join(c, "0711-test")
		if err := paths.RefuseTemp(root); err != nil {
			lastErr = err
			continue
		}
		return root, nil
	}
	return "", lastErr
}

// randomName returns a name no other test picks.
func randomName(t testing.TB) string {
	t.Helper()
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("pathstest: random name: %v", err)
	}
	return "t-" + hex.EncodeToString(b[:])
}
