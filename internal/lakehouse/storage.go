package lakehouse

import (
	"context"
	"os"
	"path/filepath"

	"github.com/zero711/brain/internal/blob"
	"github.com/zero711/brain/internal/blob/s3"
	"github.com/zero711/brain/internal/paths"
)

// DiskStorage keeps tables and indexes on local disk, where CustomerPaths
// says.
type DiskStorage struct {
	paths *paths.CustomerPaths
}

var _ Storage = (*DiskStorage)(nil)

// NewDiskStorage returns the embedded default storage.
func NewDiskStorage(p *paths.CustomerPaths) *DiskStorage { return &DiskStorage{paths: p} }

// Tables implements Storage.
func (d *DiskStorage) Tables(_ context.Context, id string) (blob.Store, error) {
	dir, err := d.paths.Lakehouse(id)
	if err != nil {
		return nil, err
	}
	if err := d.paths.Ensure(dir); err != nil {
		return nil, err
	}
	return blob.NewLocal(dir)
}

// LocalRoot implements Storage.
func (d *DiskStorage) LocalRoot(id string) (string, error) {
	dir, err := d.paths.Lakehouse(id)
	if err != nil {
		return "", err
	}
	if err := d.paths.Ensure(dir); err != nil {
		return "", err
	}
	return dir, nil
}

// IndexDir implements Storage.
func (d *DiskStorage) IndexDir(id string) (string, error) { return d.paths.Indexes(id) }

// SQLTempDir implements Storage.
func (d *DiskStorage) SQLTempDir(id string) (string, error) { return sqlTemp(id) }

// sqlTemp is a per-customer spill directory in the temporary directory:
// it holds nothing that must survive.
func sqlTemp(id string) (string, error) {
	dir := filepath.Join(os.TempDir(), "ingestion_"+id+"_sql")
	return dir, os.MkdirAll(dir, 0o700)
}

// S3Storage keeps each customer's tables in its bucket customer-{id} under
// lakehouse/, and its indexes on local disk.
type S3Storage struct {
	cfg   s3.Config
	paths *paths.CustomerPaths
}

var _ Storage = (*S3Storage)(nil)

// NewS3Storage returns storage on the S3 server of cfg; cfg.Bucket and
// cfg.Prefix are set per customer.
func NewS3Storage(cfg s3.Config, p *paths.CustomerPaths) *S3Storage {
	return &S3Storage{cfg: cfg, paths: p}
}

// Tables implements Storage.
func (s *S3Storage) Tables(ctx context.Context, id string) (blob.Store, error) {
	cfg := s.cfg
	cfg.Bucket, cfg.Prefix, cfg.CreateBucket = "customer-"+id, "lakehouse", true
	return s3.New(ctx, cfg)
}

// LocalRoot implements Storage: the tables are not on local disk.
func (s *S3Storage) LocalRoot(string) (string, error) { return "", nil }

// IndexDir implements Storage.
func (s *S3Storage) IndexDir(id string) (string, error) { return s.paths.Indexes(id) }

// SQLTempDir implements Storage.
func (s *S3Storage) SQLTempDir(id string) (string, error) { return sqlTemp(id) }
