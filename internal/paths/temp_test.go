package paths_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/paths"
	"github.com/zero711/brain/internal/paths/pathstest"
)

func TestRefuseTemp(t *testing.T) {
	t.Parallel()
	dir := pathstest.Dir(t)
	linkToTemp := filepath.Join(dir, "link")
	if err := os.Symlink(t.TempDir(), linkToTemp); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path    string
		refused bool
	}{
		{path: "/tmp", refused: true},
		{path: "/tmp/", refused: true},
		{path: "/tmp/ingestion_acme_1", refused: true},
		{path: "/var/tmp/x", refused: true},
		{path: "/data/../tmp/x", refused: true},
		{path: filepath.Join(os.TempDir(), "x"), refused: true},
		{path: linkToTemp, refused: true},
		{path: filepath.Join(linkToTemp, "not", "yet"), refused: true},
		{path: "/tmpfoo", refused: false},
		{path: "/data", refused: false},
		{path: "/var/lib/0711", refused: false},
		{path: dir, refused: false},
		{path: filepath.Join(dir, "not", "yet"), refused: false},
		{path: "data", refused: false},
	}
	for _, tt := range tests {
		err := paths.RefuseTemp(tt.path)
		switch {
		case tt.refused && brain.ErrorCode(err) != brain.EINVALID:
			t.Errorf("RefuseTemp(%q) = %v, want EINVALID", tt.path, err)
		case !tt.refused && err != nil:
			t.Errorf("RefuseTemp(%q) = %v, want nil", tt.path, err)
		}
	}
}

func TestRefuseTempDanglingLink(t *testing.T) {
	t.Parallel()
	dir := pathstest.Dir(t)
	link := filepath.Join(dir, "dangling")
	if err := os.Symlink("/tmp/does-not-exist-0711", link); err != nil {
		t.Fatal(err)
	}
	if err := paths.RefuseTemp(filepath.Join(link, "x")); brain.ErrorCode(err) != brain.EINVALID {
		t.Errorf("RefuseTemp through dangling link = %v, want EINVALID", err)
	}
	cp, err := paths.New(paths.Development, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := cp.Ensure(filepath.Join(link, "x")); brain.ErrorCode(err) != brain.EINVALID {
		t.Errorf("Ensure through dangling link = %v, want EINVALID", err)
	}
}
