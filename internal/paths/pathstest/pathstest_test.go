package pathstest_test

import (
	"os"
	"testing"

	"github.com/zero711/brain/internal/paths"
	"github.com/zero711/brain/internal/paths/pathstest"
)

func TestDir(t *testing.T) {
	t.Parallel()
	var dir string
	t.Run("inner", func(t *testing.T) {
		dir = pathstest.Dir(t)
		if err := paths.RefuseTemp(dir); err != nil {
			t.Errorf("Dir() = %q is refused: %v", dir, err)
		}
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) != 0 {
			t.Errorf("Dir() = %q is not an empty directory: %v, %d entries", dir, err, len(entries))
		}
		if other := pathstest.Dir(t); other == dir {
			t.Errorf("two calls returned the same directory %q", dir)
		}
	})
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("directory %q survived its test: %v", dir, err)
	}
}
