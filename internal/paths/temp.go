package paths

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/zero711/brain"
)

// RefuseTemp returns an EINVALID error when path lies in a temporary
// directory: /tmp, /var/tmp, or os.TempDir() unless that is "/". Paths are
// compared after cleaning and again after resolving the symlinks of their
// longest existing prefix, so that a link into /tmp is caught as well; a
// path that cannot be resolved, such as one through a dangling link, is
// refused too. A relative path is taken relative to the working directory.
func RefuseTemp(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return brain.Errorf(brain.EINVALID, "path %q cannot be made absolute: %v", path, err)
	}
	resolved, err := resolve(abs)
	if err != nil {
		return brain.Errorf(brain.EINVALID, "path %q cannot be resolved: %v", path, err)
	}
	candidates := []string{abs, resolved}
	for _, root := range tempRoots() {
		for _, c := range candidates {
			if within(root, c) {
				return brain.Errorf(brain.EINVALID,
					"path %q is inside the temporary directory %s; persistent data must not live in temp", path, root)
			}
		}
	}
	return nil
}

// tempRoots lists the temporary directories, both as written and with their
// symlinks resolved (on some systems /tmp is a link).
func tempRoots() []string {
	roots := []string{"/tmp", "/var/tmp"}
	if t := filepath.Clean(os.TempDir()); t != "/" && t != "." {
		roots = append(roots, t)
	}
	for _, r := range roots[:len(roots):len(roots)] {
		if resolved, err := filepath.EvalSymlinks(r); err == nil && resolved != r {
			roots = append(roots, resolved)
		}
	}
	return roots
}

// within reports whether path is root or lies below it. Both must be clean
// and absolute.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return false
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel))
}

// resolve returns the absolute, clean path with the symlinks of its longest
// existing prefix resolved; the rest is appended as written. A dangling
// symlink on the way is an error, since creating directories through it
// would land wherever it points.
func resolve(path string) (string, error) {
	path = filepath.Clean(path)
	rest := ""
	for {
		resolved, err := filepath.EvalSymlinks(path)
		if err == nil {
			return filepath.Join(resolved, rest), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if _, lerr := os.Lstat(path); lerr == nil {
			return "", brain.Errorf(brain.EINVALID, "path %q is a dangling symlink", path)
		}
		parent := filepath.Dir(path)
		if parent == path {
			return filepath.Join(path, rest), nil
		}
		rest = filepath.Join(filepath.Base(path), rest)
		path = parent
	}
}
