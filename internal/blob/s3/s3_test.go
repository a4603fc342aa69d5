package s3_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/zero711/brain/internal/blob"
	"github.com/zero711/brain/internal/blob/blobtest"
	"github.com/zero711/brain/internal/blob/s3"
	"github.com/zero711/brain/internal/blob/s3/s3test"
)

// server is an S3 server for tests: where it listens and its keys.
type server struct {
	endpoint, access, secret string
	useSSL                   bool
	transport                http.RoundTripper
	buckets                  atomic.Int64 // numbers fresh bucket names
}

// opener returns a blobtest.Opener giving each test a fresh bucket of
// srv, its objects below prefix.
func (srv *server) opener(prefix string) blobtest.Opener {
	return func(t *testing.T) blob.Store {
		t.Helper()
		return srv.open(t, fmt.Sprintf("blobtest-%d", srv.buckets.Add(1)), prefix)
	}
}

func (srv *server) open(t *testing.T, bucket, prefix string) *s3.Store {
	t.Helper()
	s, err := s3.New(t.Context(), s3.Config{
		Endpoint: srv.endpoint, AccessKey: srv.access, SecretKey: srv.secret, UseSSL: srv.useSSL, Transport: srv.transport,
		Region: "us-east-1", Bucket: bucket, Prefix: prefix, CreateBucket: true,
	})
	if err != nil {
		t.Fatalf("s3.New: %v", err)
	}
	return s
}

// fakeS3 serves gofakes3 in process (see s3test.Fake).
func fakeS3(t *testing.T, inspect func(*http.Request)) *server {
	t.Helper()
	cfg := s3test.Fake(t, inspect)
	return &server{endpoint: cfg.Endpoint, access: cfg.AccessKey, secret: cfg.SecretKey, useSSL: true, transport: cfg.Transport}
}

func TestGoFakeS3(t *testing.T) {
	t.Parallel()
	srv := fakeS3(t, nil)
	t.Run("Bucket", func(t *testing.T) { blobtest.Run(t, srv.opener("")) })
	t.Run("Prefix", func(t *testing.T) { blobtest.Run(t, srv.opener("customer-42/lakehouse")) })
}

// TestConditionalHeader checks that PutIfAbsent asks the server to check
// (If-None-Match: *) and Put does not.
func TestConditionalHeader(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]string{} // object path → If-None-Match of its PUT
	srv := fakeS3(t, func(r *http.Request) {
		if r.Method == http.MethodPut {
			mu.Lock()
			seen[r.URL.Path] = r.Header.Get("If-None-Match")
			mu.Unlock()
		}
	})
	s := srv.open(t, "headers", "")
	ctx := t.Context()
	if err := s.Put(ctx, "plain", bytes.NewReader([]byte("x")), 1); err != nil {
		t.Fatal(err)
	}
	if err := s.PutIfAbsent(ctx, "create", bytes.NewReader([]byte("x")), 1); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if got := seen["/headers/plain"]; got != "" {
		t.Errorf("Put sent If-None-Match %q, want none", got)
	}
	if got := seen["/headers/create"]; got != "*" {
		t.Errorf("PutIfAbsent sent If-None-Match %q, want *", got)
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	srv := fakeS3(t, nil)
	ctx := t.Context()
	cfg := s3.Config{Endpoint: srv.endpoint, AccessKey: srv.access, SecretKey: srv.secret, UseSSL: true,
		Transport: srv.transport, Region: "us-east-1", Bucket: "customer-7"}
	if _, err := s3.New(ctx, cfg); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("New without the bucket: %v, want an error saying it does not exist", err)
	}
	bad := cfg
	bad.Prefix = "a/../b"
	if _, err := s3.New(ctx, bad); !errors.Is(err, blob.ErrInvalidName) {
		t.Errorf("New with prefix a/../b: %v, want ErrInvalidName", err)
	}
	if _, err := s3.New(ctx, s3.Config{Bucket: "x"}); err == nil {
		t.Error("New without an endpoint: nil error")
	}
	cfg.CreateBucket = true
	s, err := s3.New(ctx, cfg)
	if err != nil {
		t.Fatalf("New with CreateBucket: %v", err)
	}
	if _, err := s3.New(ctx, cfg); err != nil {
		t.Errorf("New with CreateBucket of an existing bucket: %v", err)
	}
	for range 2 {
		if err := s.EnsureBucket(ctx, "customer-8"); err != nil {
			t.Errorf("EnsureBucket: %v", err)
		}
	}
	cfg.CreateBucket, cfg.Bucket = false, "customer-8"
	if _, err := s3.New(ctx, cfg); err != nil {
		t.Errorf("New on the bucket EnsureBucket made: %v", err)
	}
}
