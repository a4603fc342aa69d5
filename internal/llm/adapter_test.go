package llm

import (
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"
)

// modelsServer serves GET /v1/models from a list the test may change.
type modelsServer struct {
	mu  sync.Mutex
	ids []string
}

func (m *modelsServer) set(ids ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ids = ids
}

func (m *modelsServer) handle(w http.ResponseWriter, r *http.Request, _ int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r.Method != http.MethodGet || r.URL.Path != "/v1/models" {
		http.NotFound(w, r)
		return
	}
	type model struct {
		ID     string `json:"id"`
		Object string `json:"object"`
	}
	var list struct {
		Object string  `json:"object"`
		Data   []model `json:"data"`
	}
	list.Object = "list"
	for _, id := range m.ids {
		list.Data = append(list.Data, model{ID: id, Object: "model"})
	}
	_ = json.NewEncoder(w).Encode(list)
}

// clock is a settable clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestModelFor(t *testing.T) {
	t.Parallel()
	ms := &modelsServer{}
	ms.set("base", "acme@v2", "acme@v10", "acme@v9", "acmeish@v99", "beta@2025-01-15", "beta@2025-06-01",
		"gamma-lora-3", "gamma-lora-12", "gamma@1")
	srv := newServer(t, ms.handle)
	tests := []struct {
		name, template, customer, want string
	}{
		{"numeric versions", "", "acme", "acme@v10"},
		{"date versions", "", "beta", "beta@2025-06-01"},
		{"no adapter", "", "delta", "base"},
		{"prefix of another customer", "", "acm", "base"},
		{"no customer", "", "", "base"},
		{"template", "{customer}-lora-{version}", "gamma", "gamma-lora-12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _ := newTestOpenAI(t, srv.URL, Config{AdapterTemplate: tt.template})
			if got := c.ModelFor(t.Context(), tt.customer); got != tt.want {
				t.Errorf("ModelFor(%q) = %q, want %q", tt.customer, got, tt.want)
			}
		})
	}
}

func TestModelForCache(t *testing.T) {
	t.Parallel()
	ms := &modelsServer{}
	ms.set("base", "acme@1")
	srv := newServer(t, ms.handle)
	clk := &clock{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	c, _ := newTestOpenAI(t, srv.URL, Config{Now: clk.Now})
	steps := []struct {
		name     string
		advance  time.Duration
		serve    []string // new list on the server, if any
		customer string
		want     string
		hits     int // requests to /v1/models so far
	}{
		{"first lookup lists", 0, nil, "acme", "acme@1", 1},
		{"hit is cached", 30 * time.Second, []string{"base", "acme@1", "acme@2", "new@1"}, "acme", "acme@1", 1},
		{"miss refreshes", 0, nil, "new", "new@1", 2},
		{"recent miss is not refreshed", time.Second, []string{"base", "acme@2", "other@1"}, "other", "base", 2},
		{"older miss refreshes", DefaultModelsMissAfter, nil, "other", "other@1", 3},
		{"expired hit refreshes", DefaultModelsTTL, []string{"base", "acme@3"}, "acme", "acme@3", 4},
	}
	for _, s := range steps {
		clk.add(s.advance)
		if s.serve != nil {
			ms.set(s.serve...)
		}
		if got := c.ModelFor(t.Context(), s.customer); got != s.want {
			t.Errorf("%s: ModelFor(%q) = %q, want %q", s.name, s.customer, got, s.want)
		}
		if srv.count() != s.hits {
			t.Errorf("%s: %d listings, want %d", s.name, srv.count(), s.hits)
		}
	}
}

func TestModelForServerDown(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.WriteHeader(http.StatusInternalServerError)
	})
	c, _ := newTestOpenAI(t, srv.URL, Config{})
	if got := c.ModelFor(t.Context(), "acme"); got != "base" {
		t.Errorf("ModelFor = %q, want the base model", got)
	}
}

func TestCompareVersions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int // sign
	}{
		{"v3", "v10", -1},
		{"3", "v10", -1},
		{"10", "9", 1},
		{"v1.10", "v1.9", 1},
		{"v1.2", "v1.2.1", -1},
		{"007", "7", 0},
		{"2025-06-01", "2025-01-15", 1},
		{"b", "a", 1},
		{"99999999999999999999999", "99999999999999999999998", 1},
	}
	for _, tt := range tests {
		got := compareVersions(tt.a, tt.b)
		if sign(got) != tt.want {
			t.Errorf("compareVersions(%q, %q) = %d, want sign %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
