// Package s3test starts S3 servers for tests: gofakes3 in process and
// versitygw, a real S3 gateway over a local folder, as a child process.
// Tests that use the latter skip when its binary is missing.
package s3test

import (
	"context"
	"go/build"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/zero711/brain/internal/blob/s3"
)

// Fake serves gofakes3 in process and returns its configuration (no
// bucket); inspect, if not nil, sees every request first. It serves TLS:
// over plain HTTP minio-go signs uploads in aws-chunked encoding, which
// gofakes3 v1.2.0 decodes for PutObject but stores verbatim for
// UploadPart (corrupting multipart uploads) and refuses for empty bodies.
// Over TLS minio-go sends UNSIGNED-PAYLOAD, as it does in production;
// versitygw covers the aws-chunked path.
func Fake(t testing.TB, inspect func(*http.Request)) s3.Config {
	t.Helper()
	h := gofakes3.New(s3mem.New()).Server()
	ts := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if inspect != nil {
			inspect(r)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return s3.Config{Endpoint: strings.TrimPrefix(ts.URL, "https://"), AccessKey: "test", SecretKey: "testtest",
		Region: "us-east-1", UseSSL: true, Transport: ts.Client().Transport}
}

// VersityGW starts versitygw serving a temporary folder on a free
// loopback port, over plain HTTP, and stops it when the test ends. It
// skips the test when the binary is neither on PATH nor in $GOPATH/bin;
// install it with
//
//	go install github.com/versity/versitygw/cmd/versitygw@v1.8.0
func VersityGW(t testing.TB) s3.Config {
	t.Helper()
	bin, err := exec.LookPath("versitygw")
	if err != nil {
		bin = filepath.Join(build.Default.GOPATH, "bin", "versitygw")
		if _, err := os.Stat(bin); err != nil {
			t.Skip("versitygw not on PATH nor in $GOPATH/bin; install: go install github.com/versity/versitygw/cmd/versitygw@v1.8.0")
		}
	}
	addr := freeAddr(t)
	cfg := s3.Config{Endpoint: addr, AccessKey: "blobtest", SecretKey: "blobtest-secret", Region: "us-east-1"}
	dir := t.TempDir()
	logf, err := os.Create(filepath.Join(dir, "versitygw.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	out := func() string { b, _ := os.ReadFile(logf.Name()); return string(b) }
	if err := os.Mkdir(filepath.Join(dir, "root"), 0o750); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--access", cfg.AccessKey, "--secret", cfg.SecretKey, "--port", addr, "--quiet",
		"posix", filepath.Join(dir, "root"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("start versitygw: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("versitygw output:\n%s", out())
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for {
		c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		if err == nil {
			c.Close()
			return cfg
		}
		select {
		case <-exited:
			t.Fatalf("versitygw exited: %s", out())
		case <-ctx.Done():
			t.Fatalf("versitygw does not listen on %s: %v\n%s", addr, err, out())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// freeAddr returns a loopback address with a port that was free a
// moment ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}
