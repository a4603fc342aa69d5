package paths

import (
	"fmt"
	"path/filepath"

	"github.com/zero711/brain"
)

// Join joins elem below root, a directory returned by a CustomerPaths
// method, and returns the absolute result. It returns an EINVALID error when
// the result escapes root, whether lexically through ".." or through a
// symlink whose target lies outside root. Use it for
// every name that comes from a user, such as an uploaded file's name.
func Join(root string, elem ...string) (string, error) {
	if !filepath.IsAbs(root) {
		return "", brain.Errorf(brain.EINVALID, "root %q must be absolute", root)
	}
	root = filepath.Clean(root)
	path := filepath.Join(append([]string{root}, elem...)...)
	if !within(root, path) {
		return "", brain.Errorf(brain.EINVALID, "path %q escapes %s", filepath.Join(elem...), root)
	}
	resolvedRoot, err := resolve(root)
	if err != nil {
		return "", fmt.Errorf("paths: resolve %s: %w", root, err)
	}
	resolved, err := resolve(path)
	if err != nil {
		return "", fmt.Errorf("paths: resolve %s: %w", path, err)
	}
	if !within(resolvedRoot, resolved) {
		return "", brain.Errorf(brain.EINVALID, "path %q leads through a symlink out of %s", path, root)
	}
	return path, nil
}
