package api_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/paths/pathstest"
	"github.com/zero711/brain/internal/store"
	"github.com/zero711/brain/internal/store/postgres/pgtest"
	"github.com/zero711/brain/internal/store/sqlite"
)

// benchUsers is how many users the benchmark customer has, admin included.
const benchUsers = 25

// benchParallelism times GOMAXPROCS is the number of concurrent clients.
const benchParallelism = 4

// BenchmarkListUsers measures an authenticated GET /api/users/ through the
// real HTTP server from concurrent keep-alive clients, on each store
// backend. Besides ns/op it reports throughput (req/s) and the median and
// 99th-percentile latency of single requests (p50-ms, p99-ms).
func BenchmarkListUsers(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		dir := pathstest.Dir(b)
		s, err := sqlite.Open(context.Background(), filepath.Join(dir, "meta.db"))
		if err != nil {
			b.Fatal(err)
		}
		benchListUsers(b, newHarnessOn(b, s, dir))
	})
	b.Run("postgres", func(b *testing.B) {
		s := pgtest.Open(b)
		benchListUsers(b, newHarnessOn(b, s, pathstest.Dir(b)))
	})
}

func benchListUsers(b *testing.B, h *harness) {
	ten := h.newTenant("bench")
	addUsers(b, h.store, ten.id, benchUsers-1)
	client := keepAliveClient(b, h)
	req := func() (*http.Request, error) {
		r, err := http.NewRequest("GET", h.srv.URL+"/api/users/", nil)
		if err == nil {
			r.Header.Set("Authorization", "Bearer "+ten.token)
		}
		return r, err
	}
	checkListUsers(b, h, ten)

	var (
		mu       sync.Mutex
		all      []time.Duration
		firstErr error
	)
	b.SetParallelism(benchParallelism)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var lat []time.Duration
		var err error
		for pb.Next() {
			var d time.Duration
			if d, err = timeRequest(client, req); err != nil {
				break
			}
			lat = append(lat, d)
		}
		mu.Lock()
		defer mu.Unlock()
		all = append(all, lat...)
		if err != nil && firstErr == nil {
			firstErr = err
		}
	})
	b.StopTimer()
	// FailNow may only be called from the benchmark's goroutine, so the
	// workers stop at their first error and report it here.
	if firstErr != nil {
		b.Fatal(firstErr)
	}
	reportLatency(b, all)
}

// addUsers inserts n active users into the customer, straight into the store.
func addUsers(b *testing.B, s store.Store, customerID string, n int) {
	b.Helper()
	now := time.Now()
	for i := range n {
		u := &brain.User{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: customerID,
			Email: fmt.Sprintf("user%02d@%s.example", i, customerID), Name: fmt.Sprintf("Max Müller %d", i),
			Role: brain.RoleCustomerUser, Status: brain.UserActive,
			Permissions: brain.DefaultPermissions(brain.RoleCustomerUser), EmailVerified: true,
			CreatedAt: now, UpdatedAt: now}
		if err := s.CreateUser(context.Background(), u); err != nil {
			b.Fatal(err)
		}
	}
}

// keepAliveClient returns a client that keeps one idle connection per
// concurrent worker; the default transport keeps only two per host and
// would redial for every other request.
func keepAliveClient(b *testing.B, h *harness) *http.Client {
	tr := h.srv.Client().Transport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = benchParallelism * runtime.GOMAXPROCS(0)
	b.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// checkListUsers makes sure, once and untimed, that the list is complete.
func checkListUsers(b *testing.B, h *harness, ten tenant) {
	b.Helper()
	r := h.do("GET", "/api/users/", ten.token, nil)
	want(b, r, http.StatusOK)
	var list struct{ Users []brain.User }
	r.json(b, &list)
	if len(list.Users) != benchUsers {
		b.Fatalf("listed %d users, want %d", len(list.Users), benchUsers)
	}
}

// timeRequest sends one request, reads the whole answer and returns how
// long that took; any status but 200 is an error.
func timeRequest(c *http.Client, newReq func() (*http.Request, error)) (time.Duration, error) {
	req, err := newReq()
	if err != nil {
		return 0, err
	}
	start := time.Now()
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	d := time.Since(start)
	if err != nil {
		return 0, err
	}
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET /api/users/: status %d, want 200", res.StatusCode)
	}
	return d, nil
}

// reportLatency reports throughput and the p50 and p99 latencies.
func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 || b.Elapsed() <= 0 {
		return
	}
	slices.Sort(lat)
	pct := func(p int) float64 {
		d := lat[min(len(lat)-1, len(lat)*p/100)]
		return float64(d) / float64(time.Millisecond)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	b.ReportMetric(pct(50), "p50-ms")
	b.ReportMetric(pct(99), "p99-ms")
}
