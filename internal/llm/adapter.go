package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// ModelFor returns the model to ask for customerID's requests: the newest
// of the customer's adapters the server serves, named by the adapter
// template ("{customer}@{version}"), or the base model when it serves none
// or cannot be asked. Versions compare numerically when both are numbers
// ("3", "v3", "v1.10"), else as strings (dates such as "2025-06-01").
func (c *OpenAI) ModelFor(ctx context.Context, customerID string) string {
	if customerID == "" {
		return c.cfg.Model
	}
	if name, ok := c.models.adapter(ctx, customerID); ok {
		return name
	}
	return c.cfg.Model
}

// listModels asks GET /models for the ids of the served models.
func (c *OpenAI) listModels(ctx context.Context) ([]string, error) {
	const op = "llm: openai list models"
	resp, cancel, err := c.t.do(ctx, op, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.root+"/models", nil)
		if err != nil {
			return nil, err
		}
		c.authorize(req)
		return req, nil
	})
	if err != nil {
		return nil, err
	}
	defer cancel()
	defer resp.Body.Close()
	var list struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxResponseBody)).Decode(&list); err != nil {
		return nil, fmt.Errorf("%s: decode: %w", op, bodyError(resp, err))
	}
	ids := make([]string, 0, len(list.Data))
	for _, m := range list.Data {
		ids = append(ids, m.ID)
	}
	return ids, nil
}

// modelCache keeps the served models for ModelsTTL. A customer without an
// adapter in the list makes it fetch the list again once it is older than
// ModelsMissAfter, so a new adapter is found soon without a request per
// chat for customers that have none.
type modelCache struct {
	cfg  Config
	list func(context.Context) ([]string, error)
	lock chan struct{} // held while reading or refreshing; waits honour ctx

	ids     []string
	fetched time.Time
	valid   bool
}

func newModelCache(cfg Config, list func(context.Context) ([]string, error)) *modelCache {
	return &modelCache{cfg: cfg, list: list, lock: make(chan struct{}, 1)}
}

// adapter returns the newest adapter of customer, if any is served.
func (m *modelCache) adapter(ctx context.Context, customer string) (string, bool) {
	select {
	case m.lock <- struct{}{}:
	case <-ctx.Done():
		return "", false
	}
	defer func() { <-m.lock }()
	age := m.cfg.Now().Sub(m.fetched)
	if m.valid && age < m.cfg.ModelsTTL {
		if name, ok := newestAdapter(m.ids, m.cfg.AdapterTemplate, customer); ok || age < m.cfg.ModelsMissAfter {
			return name, ok
		}
	}
	ids, err := m.list(ctx)
	if err != nil {
		m.cfg.Logger.WarnContext(ctx, "llm: listing models failed; using the last list or the base model", "err", err)
		return newestAdapter(m.ids, m.cfg.AdapterTemplate, customer)
	}
	m.ids, m.fetched, m.valid = ids, m.cfg.Now(), true
	return newestAdapter(ids, m.cfg.AdapterTemplate, customer)
}

// newestAdapter picks the id among ids that template names for customer
// with the highest version.
func newestAdapter(ids []string, template, customer string) (string, bool) {
	before, after, _ := strings.Cut(template, "{version}")
	prefix := strings.ReplaceAll(before, "{customer}", customer)
	suffix := strings.ReplaceAll(after, "{customer}", customer)
	var best, bestVersion string
	for _, id := range ids {
		if len(id) <= len(prefix)+len(suffix) || !strings.HasPrefix(id, prefix) || !strings.HasSuffix(id, suffix) {
			continue
		}
		v := id[len(prefix) : len(id)-len(suffix)]
		if best == "" || compareVersions(v, bestVersion) > 0 {
			best, bestVersion = id, v
		}
	}
	return best, best != ""
}

// compareVersions orders versions numerically, part by part, when both are
// dotted numbers with an optional "v" ("3" < "v10" < "v10.2"), and as
// strings otherwise.
func compareVersions(a, b string) int {
	pa, okA := numericParts(a)
	pb, okB := numericParts(b)
	if !okA || !okB {
		return strings.Compare(a, b)
	}
	for i := range min(len(pa), len(pb)) {
		if c := compareDigits(pa[i], pb[i]); c != 0 {
			return c
		}
	}
	return len(pa) - len(pb)
}

// numericParts splits "v1.10" into "1", "10"; ok is false unless every
// part is a non-empty run of digits.
func numericParts(v string) ([]string, bool) {
	v = strings.TrimPrefix(strings.TrimPrefix(v, "v"), "V")
	parts := strings.Split(v, ".")
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return nil, false
		}
	}
	return parts, true
}

// compareDigits compares two runs of digits of any length as numbers.
func compareDigits(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}
