package paths_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/paths"
	"github.com/zero711/brain/internal/paths/pathstest"
)

func TestNew(t *testing.T) {
	t.Parallel()
	dir := pathstest.Dir(t)
	tests := []struct {
		name       string
		deployment paths.DeploymentType
		base       string
		wantBase   string
		wantErr    bool
	}{
		{name: "absolute", deployment: paths.Development, base: dir, wantBase: dir},
		{name: "cleaned", deployment: paths.SelfHosted, base: dir + "/x/../", wantBase: dir},
		{name: "not yet existing", deployment: paths.Managed, base: "/data", wantBase: "/data"},
		{name: "relative", deployment: paths.Development, base: "data", wantErr: true},
		{name: "empty", deployment: paths.Development, base: "", wantErr: true},
		{name: "tmp", deployment: paths.Development, base: "/tmp/0711", wantErr: true},
		{name: "var tmp", deployment: paths.Development, base: "/var/tmp/0711", wantErr: true},
		{name: "os temp", deployment: paths.Development, base: t.TempDir(), wantErr: true},
		{name: "unknown deployment", deployment: "cloud", base: dir, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cp, err := paths.New(tt.deployment, tt.base)
			if tt.wantErr {
				if brain.ErrorCode(err) != brain.EINVALID {
					t.Fatalf("New(%q, %q) error = %v, want EINVALID", tt.deployment, tt.base, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("New(%q, %q): %v", tt.deployment, tt.base, err)
			}
			if cp.Base() != tt.wantBase || cp.Deployment() != tt.deployment {
				t.Errorf("Base, Deployment = %q, %q, want %q, %q", cp.Base(), cp.Deployment(), tt.wantBase, tt.deployment)
			}
		})
	}
}

func TestCustomerDirs(t *testing.T) {
	t.Parallel()
	base := pathstest.Dir(t)
	cp, err := paths.New(paths.Development, base)
	if err != nil {
		t.Fatal(err)
	}
	methods := map[string]func(string) (string, error){
		"lakehouse": cp.Lakehouse, "loras": cp.Adapters, "uploads": cp.Uploads, "customers": cp.Root,
	}
	tests := []struct {
		id      string
		want    map[string]string
		wantErr bool
	}{
		{id: "acme", want: map[string]string{
			"lakehouse": "lakehouse/acme", "loras": "loras/acme",
			"uploads": "uploads/customer-acme", "customers": "customers/acme",
		}},
		{id: "a1-b2", want: map[string]string{
			"lakehouse": "lakehouse/a1-b2", "loras": "loras/a1-b2",
			"uploads": "uploads/customer-a1-b2", "customers": "customers/a1-b2",
		}},
		{id: "", wantErr: true},
		{id: "..", wantErr: true},
		{id: "../other", wantErr: true},
		{id: "a/b", wantErr: true},
		{id: "Acme", wantErr: true},
		{id: "-acme", wantErr: true},
		{id: "acme\x00", wantErr: true},
	}
	for _, tt := range tests {
		for area, method := range methods {
			got, err := method(tt.id)
			if tt.wantErr {
				if brain.ErrorCode(err) != brain.EINVALID {
					t.Errorf("%s(%q) = %q, %v, want EINVALID", area, tt.id, got, err)
				}
				continue
			}
			if want := filepath.Join(base, tt.want[area]); err != nil || got != want {
				t.Errorf("%s(%q) = %q, %v, want %q", area, tt.id, got, err, want)
			}
		}
	}
}

func TestCustomerDirsRefuseSymlinks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// setup creates links below base and returns the id to ask for.
		setup func(t *testing.T, base string)
	}{
		{name: "customer dir links to another customer", setup: func(t *testing.T, base string) {
			mkdir(t, filepath.Join(base, "lakehouse", "other"))
			symlink(t, filepath.Join(base, "lakehouse", "other"), filepath.Join(base, "lakehouse", "acme"))
		}},
		{name: "relative link to another customer", setup: func(t *testing.T, base string) {
			mkdir(t, filepath.Join(base, "lakehouse", "other"))
			symlink(t, "other", filepath.Join(base, "lakehouse", "acme"))
		}},
		{name: "area links into temp", setup: func(t *testing.T, base string) {
			symlink(t, t.TempDir(), filepath.Join(base, "lakehouse"))
		}},
		{name: "area links elsewhere", setup: func(t *testing.T, base string) {
			symlink(t, pathstest.Dir(t), filepath.Join(base, "lakehouse"))
		}},
		{name: "dangling link", setup: func(t *testing.T, base string) {
			symlink(t, filepath.Join(base, "missing"), filepath.Join(base, "lakehouse"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base := pathstest.Dir(t)
			tt.setup(t, base)
			cp, err := paths.New(paths.Development, base)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := cp.Lakehouse("acme"); err == nil {
				t.Errorf("Lakehouse(acme) = %q, want an error", got)
			}
			if err := cp.Ensure(filepath.Join(base, "lakehouse", "acme")); err == nil {
				t.Errorf("Ensure through the link succeeded, want an error")
			}
		})
	}
}

func TestBaseThroughSymlinkIsAllowed(t *testing.T) {
	t.Parallel()
	target := pathstest.Dir(t)
	link := filepath.Join(pathstest.Dir(t), "data")
	symlink(t, target, link)
	cp, err := paths.New(paths.SelfHosted, link)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := cp.Lakehouse("acme")
	if err != nil {
		t.Fatal(err)
	}
	if err := cp.Ensure(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(target, "lakehouse", "acme")); err != nil {
		t.Errorf("directory not created through the base link: %v", err)
	}
}

func TestEnsure(t *testing.T) {
	t.Parallel()
	base := pathstest.Dir(t)
	cp, err := paths.New(paths.Development, base)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path    string
		wantErr bool
	}{
		{path: filepath.Join(base, "lakehouse", "acme")},
		{path: filepath.Join(base, "uploads", "customer-acme", "2024")},
		{path: base},
		{path: filepath.Join(base, "..", "outside"), wantErr: true},
		{path: "relative/dir", wantErr: true},
		{path: filepath.Join(os.TempDir(), "x"), wantErr: true},
	}
	for _, tt := range tests {
		err := cp.Ensure(tt.path)
		if tt.wantErr {
			if brain.ErrorCode(err) != brain.EINVALID {
				t.Errorf("Ensure(%q) = %v, want EINVALID", tt.path, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Ensure(%q): %v", tt.path, err)
			continue
		}
		fi, err := os.Stat(tt.path)
		if err != nil || !fi.IsDir() {
			t.Errorf("Ensure(%q) left no directory: %v", tt.path, err)
			continue
		}
		if tt.path != base && fi.Mode().Perm()&^0o750 != 0 {
			t.Errorf("Ensure(%q) mode = %v, want at most 0750", tt.path, fi.Mode().Perm())
		}
	}
}

func TestStaging(t *testing.T) {
	t.Parallel()
	cp, err := paths.New(paths.Development, pathstest.Dir(t))
	if err != nil {
		t.Fatal(err)
	}
	dir, cleanup, err := cp.Staging("acme")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(dir) != filepath.Clean(os.TempDir()) || !strings.HasPrefix(filepath.Base(dir), "ingestion_acme_") {
		t.Errorf("Staging dir = %q, want %s/ingestion_acme_*", dir, os.TempDir())
	}
	if err := os.WriteFile(filepath.Join(dir, "doc.pdf"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	cleanup()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("after cleanup Stat(%q) = %v, want not exist", dir, err)
	}
	if _, _, err := cp.Staging("../acme"); brain.ErrorCode(err) != brain.EINVALID {
		t.Errorf("Staging(../acme) = %v, want EINVALID", err)
	}
}

func TestJoin(t *testing.T) {
	t.Parallel()
	root := filepath.Join(pathstest.Dir(t), "uploads", "customer-acme")
	mkdir(t, filepath.Join(root, "sub"))
	outside := pathstest.Dir(t)
	symlink(t, filepath.Join(root, "sub"), filepath.Join(root, "inner"))
	symlink(t, outside, filepath.Join(root, "outer"))
	symlink(t, "../customer-other", filepath.Join(root, "sibling"))
	tests := []struct {
		elem    []string
		want    string
		wantErr bool
	}{
		{elem: []string{"report.pdf"}, want: "report.pdf"},
		{elem: []string{"sub", "report.pdf"}, want: "sub/report.pdf"},
		{elem: []string{"/etc/passwd"}, want: "etc/passwd"},
		{elem: []string{"inner", "a.txt"}, want: "inner/a.txt"},
		{elem: []string{"a/../b"}, want: "b"},
		{elem: nil, want: "."},
		{elem: []string{".."}, wantErr: true},
		{elem: []string{"../customer-other/x"}, wantErr: true},
		{elem: []string{"sub", "..", "..", "x"}, wantErr: true},
		{elem: []string{"outer", "a.txt"}, wantErr: true},
		{elem: []string{"sibling", "a.txt"}, wantErr: true},
	}
	for _, tt := range tests {
		got, err := paths.Join(root, tt.elem...)
		if tt.wantErr {
			if brain.ErrorCode(err) != brain.EINVALID {
				t.Errorf("Join(%q) = %q, %v, want EINVALID", tt.elem, got, err)
			}
			continue
		}
		if want := filepath.Join(root, tt.want); err != nil || got != want {
			t.Errorf("Join(%q) = %q, %v, want %q", tt.elem, got, err, want)
		}
	}
	if _, err := paths.Join("relative", "x"); brain.ErrorCode(err) != brain.EINVALID {
		t.Errorf("Join(relative) = %v, want EINVALID", err)
	}
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	mkdir(t, filepath.Dir(link))
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}
