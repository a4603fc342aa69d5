package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/zero711/brain"
)

// request is the body of POST /v1/embeddings.
type request struct {
	Model          string   `json:"model"`
	Input          []string `json:"input"`
	EncodingFormat string   `json:"encoding_format,omitempty"`
}

// Response size limits: a vector of 4,096 floats is about 90 KB as JSON.
const (
	maxResponsePerInput = 1 << 20
	maxErrorBody        = 64 << 10
)

// embedBatch sends one batch, retrying transient failures, and returns its
// vectors in input order.
func (c *Client) embedBatch(ctx context.Context, input []string) ([][]float32, error) {
	body, err := json.Marshal(request{Model: c.cfg.Model, Input: input, EncodingFormat: c.cfg.Encoding})
	if err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	for attempt := 0; ; attempt++ {
		vs, res := c.send(ctx, body, len(input))
		if res.err == nil {
			return vs, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w (last error: %v)", ctx.Err(), res.err)
		}
		if !res.retry || attempt >= c.cfg.MaxRetries {
			return nil, classify(res.err)
		}
		wait, ok := c.wait(ctx, attempt, res.retryAfter)
		if !ok {
			return nil, classify(res.err)
		}
		c.logger.LogAttrs(ctx, slog.LevelWarn, "embeddings request failed; retrying",
			slog.String("model", c.cfg.Model), slog.Int("attempt", attempt+1),
			slog.Duration("wait", wait), slog.Any("err", res.err))
		if err := sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("%w (last error: %v)", err, res.err)
		}
	}
}

// result is the outcome of one attempt.
type result struct {
	err        error
	retry      bool          // the failure may pass
	retryAfter time.Duration // what the server asked for, or 0
}

// send makes one request.
func (c *Client) send(ctx context.Context, body []byte, n int) ([][]float32, result) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, result{err: fmt.Errorf("new request: %w", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, result{err: fmt.Errorf("post %s: %w", c.endpoint, err), retry: true}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		apiErr := parseError(resp)
		return nil, result{err: apiErr, retry: apiErr.Temporary(), retryAfter: apiErr.RetryAfter}
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, int64(n)*maxResponsePerInput+1))
	if err != nil {
		return nil, result{err: fmt.Errorf("read response: %w", err), retry: true}
	}
	vs, err := c.decode(raw, n)
	return vs, result{err: err}
}

// wait returns how long to wait before retry attempt+1: exponential backoff
// with jitter, or the server's Retry-After if longer. It reports false
// when that is longer than MaxRetryAfter or than ctx has left, since
// waiting could not help.
func (c *Client) wait(ctx context.Context, attempt int, retryAfter time.Duration) (time.Duration, bool) {
	d := min(c.cfg.Backoff, c.cfg.MaxBackoff)
	for i := 0; i < attempt && d < c.cfg.MaxBackoff; i++ {
		d = min(d, c.cfg.MaxBackoff/2) * 2 // cannot overflow
	}
	// Equal jitter: at least half the backoff, so clients that failed
	// together do not retry together.
	d = d/2 + rand.N(d/2+1)
	if retryAfter > c.cfg.MaxRetryAfter {
		return 0, false
	}
	d = max(d, retryAfter)
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return 0, false
	}
	return d, true
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// classify adds the brain error code to a final failure: the server
// refused the request as invalid, or it is unavailable. Malformed
// responses and other statuses (401, 404, …) stay internal errors, as they
// mean a misconfiguration the user cannot fix.
func classify(err error) error {
	var apiErr *APIError
	switch {
	case errors.As(err, &apiErr) && apiErr.Invalid():
		return errors.Join(brain.Errorf(brain.EINVALID, "the embeddings service refused the text: %s", apiErr.Message), err)
	case errors.As(err, &apiErr) && !apiErr.Temporary():
		return err
	case errors.Is(err, ErrResponse) || errors.Is(err, ErrDimension):
		return err
	}
	return errors.Join(brain.Errorf(brain.EUNAVAILABLE, "embeddings service unavailable"), err)
}
