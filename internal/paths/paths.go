// Package paths decides where customer data lives on disk. Every
// persistent path is derived from one absolute base directory that must not
// be a temporary directory (SPEC §7: a past incident lost a customer's
// embeddings kept in /tmp), and every per-customer path is checked to stay
// inside that customer's directory, symlinks included. Staging for ingestion
// is the one use of the temporary directory.
package paths

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/zero711/brain"
)

// dirPerm is the mode of directories that Ensure creates: the service's
// user and group only.
const dirPerm = 0o750

// CustomerPaths lays out the per-customer directories below one base
// directory:
//
//	{base}/lakehouse/{id}        vector and table storage
//	{base}/loras/{id}            fine-tuned adapters
//	{base}/uploads/customer-{id} uploaded source files
//	{base}/customers/{id}        anything else the customer owns
type CustomerPaths struct {
	deployment DeploymentType
	base       string
}

// New returns the layout for deployment d rooted at base. base must be
// absolute and outside the temporary directories; otherwise New returns an
// EINVALID error. base need not exist yet.
func New(d DeploymentType, base string) (*CustomerPaths, error) {
	if _, err := ParseDeploymentType(string(d)); err != nil {
		return nil, fmt.Errorf("paths: %w", err)
	}
	if !filepath.IsAbs(base) {
		return nil, brain.Errorf(brain.EINVALID, "data directory %q must be an absolute path", base)
	}
	base = filepath.Clean(base)
	if err := RefuseTemp(base); err != nil {
		return nil, fmt.Errorf("paths: data directory: %w", err)
	}
	return &CustomerPaths{deployment: d, base: base}, nil
}

// Base returns the absolute, clean base directory.
func (p *CustomerPaths) Base() string { return p.base }

// Deployment returns the deployment type the layout was made for.
func (p *CustomerPaths) Deployment() DeploymentType { return p.deployment }

// Lakehouse returns {base}/lakehouse/{id}, the customer's vector and table
// storage. It returns an EINVALID error for an invalid id or a path that a
// symlink leads out of the customer's directory.
func (p *CustomerPaths) Lakehouse(id string) (string, error) {
	return p.customerDir(id, "lakehouse", id)
}

// Adapters returns {base}/loras/{id}, the customer's fine-tuned adapters.
// Errors are as for Lakehouse.
func (p *CustomerPaths) Adapters(id string) (string, error) {
	return p.customerDir(id, "loras", id)
}

// Indexes returns {base}/indexes/{id}, the customer's derived search
// indexes: a cache that can always be rebuilt from the lakehouse tables.
// Errors are as for Lakehouse.
func (p *CustomerPaths) Indexes(id string) (string, error) {
	return p.customerDir(id, "indexes", id)
}

// Uploads returns {base}/uploads/customer-{id}, the customer's uploaded
// source files. Errors are as for Lakehouse.
func (p *CustomerPaths) Uploads(id string) (string, error) {
	return p.customerDir(id, "uploads", "customer-"+id)
}

// Root returns {base}/customers/{id}, the customer's directory for data
// that belongs to none of the other areas. Errors are as for Lakehouse.
func (p *CustomerPaths) Root(id string) (string, error) {
	return p.customerDir(id, "customers", id)
}

// Staging creates a fresh directory for one ingestion run in the temporary
// directory, named ingestion_{id}_*, and returns it with a function that
// removes it. This is the only place the platform uses temporary storage;
// nothing in it survives the run.
func (p *CustomerPaths) Staging(id string) (dir string, cleanup func(), err error) {
	if err := brain.ValidateCustomerID(id); err != nil {
		return "", nil, fmt.Errorf("paths: staging: %w", err)
	}
	dir, err = os.MkdirTemp(os.TempDir(), "ingestion_"+id+"_*")
	if err != nil {
		return "", nil, fmt.Errorf("paths: staging for %s: %w", id, err)
	}
	return dir, func() { _ = os.RemoveAll(dir) }, nil
}

// Ensure creates path and its parents with mode 0750. path must lie inside
// the base directory, with no symlink below the base, and outside the
// temporary directories; otherwise Ensure returns an EINVALID error.
func (p *CustomerPaths) Ensure(path string) error {
	if !filepath.IsAbs(path) {
		return brain.Errorf(brain.EINVALID, "path %q must be absolute", path)
	}
	path = filepath.Clean(path)
	if !within(p.base, path) {
		return brain.Errorf(brain.EINVALID, "path %q is outside the data directory %s", path, p.base)
	}
	if err := p.checkNoLinks(path); err != nil {
		return err
	}
	if err := os.MkdirAll(path, dirPerm); err != nil {
		return fmt.Errorf("paths: create %s: %w", path, err)
	}
	return nil
}

// customerDir joins elem below the base after validating id, and refuses
// the result when a symlink below the base redirects it.
func (p *CustomerPaths) customerDir(id string, elem ...string) (string, error) {
	if err := brain.ValidateCustomerID(id); err != nil {
		return "", fmt.Errorf("paths: %w", err)
	}
	path := filepath.Join(append([]string{p.base}, elem...)...)
	if err := p.checkNoLinks(path); err != nil {
		return "", err
	}
	return path, nil
}

// checkNoLinks makes sure that path, which lies lexically inside the base,
// resolves to the same place below the resolved base: a symlink between the
// base and path could point at another customer's data or at /tmp.
func (p *CustomerPaths) checkNoLinks(path string) error {
	rel, err := filepath.Rel(p.base, path)
	if err != nil {
		return fmt.Errorf("paths: %s relative to %s: %w", path, p.base, err)
	}
	resolvedBase, err := resolve(p.base)
	if err != nil {
		return fmt.Errorf("paths: resolve %s: %w", p.base, err)
	}
	resolved, err := resolve(path)
	if err != nil {
		return fmt.Errorf("paths: resolve %s: %w", path, err)
	}
	if resolved != filepath.Join(resolvedBase, rel) {
		return brain.Errorf(brain.EINVALID, "path %q leads through a symlink to %q", path, resolved)
	}
	return RefuseTemp(resolved)
}
