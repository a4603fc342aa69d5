package upload

import (
	"context"
	"fmt"
	"os"

	"github.com/zero711/brain/internal/blob"
	"github.com/zero711/brain/internal/blob/s3"
	"github.com/zero711/brain/internal/paths"
)

// BucketName is the bucket of a customer.
func BucketName(customerID string) string { return "customer-" + customerID }

// LocalBuckets keeps each customer's bucket in a folder that
// CustomerPaths names: {data}/uploads/customer-{id}.
type LocalBuckets struct {
	paths *paths.CustomerPaths
}

// NewLocalBuckets returns the embedded default.
func NewLocalBuckets(p *paths.CustomerPaths) *LocalBuckets { return &LocalBuckets{paths: p} }

// Bucket implements Buckets.
func (l *LocalBuckets) Bucket(_ context.Context, customerID string, create bool) (blob.Store, string, bool, error) {
	dir, err := l.paths.Uploads(customerID)
	if err != nil {
		return nil, "", false, err
	}
	created := false
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		if !create {
			return nil, "", false, fmt.Errorf("bucket %s: %w", BucketName(customerID), blob.ErrNotFound)
		}
		if err := l.paths.Ensure(dir); err != nil {
			return nil, "", false, err
		}
		created = true
	} else if err != nil {
		return nil, "", false, err
	}
	st, err := blob.NewLocal(dir)
	if err != nil {
		return nil, "", false, err
	}
	return st, BucketName(customerID), created, nil
}

// Location implements Buckets.
func (l *LocalBuckets) Location(customerID, object string) string {
	dir, err := l.paths.Uploads(customerID)
	if err != nil {
		return ""
	}
	return dir + string(os.PathSeparator) + object
}

// S3Buckets keeps each customer's uploads in the bucket customer-{id} of
// an S3-compatible server (the lakehouse shares it under lakehouse/).
type S3Buckets struct {
	cfg s3.Config
}

// NewS3Buckets returns buckets on the server of cfg; Bucket and Prefix
// of cfg are set per customer.
func NewS3Buckets(cfg s3.Config) *S3Buckets { return &S3Buckets{cfg: cfg} }

// Bucket implements Buckets.
func (s *S3Buckets) Bucket(ctx context.Context, customerID string, create bool) (blob.Store, string, bool, error) {
	cfg := s.cfg
	cfg.Bucket, cfg.Prefix, cfg.CreateBucket = BucketName(customerID), "", false
	st, err := s3.New(ctx, cfg)
	if err == nil {
		return st, cfg.Bucket, false, nil
	}
	if !create {
		return nil, "", false, err
	}
	cfg.CreateBucket = true
	st, err = s3.New(ctx, cfg)
	if err != nil {
		return nil, "", false, err
	}
	return st, cfg.Bucket, true, nil
}

// Location implements Buckets.
func (s *S3Buckets) Location(customerID, object string) string {
	return "s3://" + BucketName(customerID) + "/" + object
}
