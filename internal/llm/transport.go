package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"syscall"
	"time"
)

// finalGrace is how long a stream whose context has ended still offers its
// last Delta (the error) to a reader that may still be ranging over the
// channel, before giving up on it.
const finalGrace = 2 * time.Second

// streamBuffer is the capacity of a stream's channel.
const streamBuffer = 16

// transport sends requests with the retry policy both backends share.
type transport struct {
	cfg   Config
	sleep func(ctx context.Context, d time.Duration) error
}

func newTransport(cfg Config) *transport {
	return &transport{cfg: cfg, sleep: sleepContext}
}

// do sends the request newReq builds (once per attempt, bound to the
// attempt's context) until it gets a 2xx response, a failure that is not
// retryable, or runs out of retries. The caller must close the body and
// call the returned cancel, which ends the attempt's timeout.
func (t *transport) do(ctx context.Context, op string, newReq func(context.Context) (*http.Request, error)) (*http.Response, context.CancelFunc, error) {
	for attempt := 0; ; attempt++ {
		resp, cancel, wait, failure := t.attempt(ctx, newReq)
		if failure == nil {
			return resp, cancel, nil
		}
		if wait < 0 || attempt >= t.cfg.MaxRetries {
			return nil, nil, fmt.Errorf("%s: %w", op, failure)
		}
		if wait == 0 {
			wait = t.backoff(attempt)
		}
		t.cfg.Logger.WarnContext(ctx, "llm: retrying", "op", op, "attempt", attempt+1, "wait", wait, "err", failure)
		if err := t.sleep(ctx, wait); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", op, err)
		}
	}
}

// attempt sends one request. On failure it says how long to wait before a
// retry: 0 for the backoff, negative for no retry.
func (t *transport) attempt(ctx context.Context, newReq func(context.Context) (*http.Request, error)) (*http.Response, context.CancelFunc, time.Duration, error) {
	actx, cancel := ctx, context.CancelFunc(func() {})
	if t.cfg.Timeout > 0 {
		actx, cancel = context.WithTimeout(ctx, t.cfg.Timeout)
	}
	req, err := newReq(actx)
	if err != nil {
		cancel()
		return nil, nil, -1, err
	}
	resp, err := t.cfg.HTTPClient.Do(req)
	if err != nil {
		timedOut := actx.Err() != nil
		cancel()
		if !timedOut && failedBeforeResponse(err) {
			return nil, nil, 0, err
		}
		return nil, nil, -1, err
	}
	if resp.StatusCode/100 == 2 {
		return resp, cancel, 0, nil
	}
	apiErr := responseError(resp, t.cfg.Now())
	_ = resp.Body.Close()
	cancel()
	switch {
	case !apiErr.Retryable || apiErr.RetryAfter > t.cfg.MaxRetryAfter:
		return nil, nil, -1, apiErr
	default:
		return nil, nil, apiErr.RetryAfter, apiErr
	}
}

// failedBeforeResponse reports whether err means the server cannot have
// seen the request or dropped it unanswered: the connection was refused,
// could not be dialled, or was reset.
func failedBeforeResponse(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}

// backoff is the wait before retry attempt+1: Backoff doubled per attempt
// up to MaxBackoff, of which a random half is taken off (jitter).
func (t *transport) backoff(attempt int) time.Duration {
	d := t.cfg.Backoff
	for range attempt {
		if d >= t.cfg.MaxBackoff/2 {
			d = t.cfg.MaxBackoff
			break
		}
		d *= 2
	}
	d = min(d, t.cfg.MaxBackoff)
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}

func sleepContext(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// streamHandler turns one event into deltas to send; end says the stream
// is complete and the last delta is its final one.
type streamHandler func(ev sseEvent) (deltas []Delta, end bool, err error)

// stream reads the event stream of resp on its own goroutine and delivers
// handle's deltas on the returned channel. It stops when the stream ends,
// fails or the request's context is done; it then closes the body, calls cancel and, after
// the last Delta, closes the channel.
func stream(cancel context.CancelFunc, op string, resp *http.Response, handle streamHandler) <-chan Delta {
	ctx := resp.Request.Context() // the attempt's: the caller's and the timeout
	ch := make(chan Delta, streamBuffer)
	go func() {
		defer close(ch)
		last := readStream(ctx, op, resp.Body, handle, ch)
		_ = resp.Body.Close()
		cancel()
		finish(ctx, ch, last)
	}()
	return ch
}

// readStream sends deltas until the stream ends and returns the final one.
func readStream(ctx context.Context, op string, body io.Reader, handle streamHandler, ch chan<- Delta) Delta {
	r := newSSEReader(body)
	for {
		ev, err := r.Next()
		if err != nil {
			return Delta{Err: streamError(ctx, op, err)}
		}
		deltas, end, err := handle(ev)
		if err != nil {
			return Delta{Err: fmt.Errorf("%s: %w", op, err)}
		}
		for i, d := range deltas {
			if end && i == len(deltas)-1 {
				return d
			}
			select {
			case ch <- d:
			case <-ctx.Done():
				return Delta{Err: fmt.Errorf("%s: %w", op, context.Cause(ctx))}
			}
		}
		if end {
			return Delta{Done: true}
		}
	}
}

// streamError explains why reading the stream failed: the context's end
// takes precedence over the read error it caused.
func streamError(ctx context.Context, op string, err error) error {
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("%s: %w", op, context.Cause(ctx))
	case errors.Is(err, io.EOF):
		return fmt.Errorf("%s: stream ended before its end marker: %w", op, io.ErrUnexpectedEOF)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// finish offers the last delta. A reader that is still there gets it even
// when ctx has ended, if it takes it within finalGrace.
func finish(ctx context.Context, ch chan<- Delta, d Delta) {
	select {
	case ch <- d:
		return
	default:
	}
	if ctx.Err() == nil {
		select {
		case ch <- d:
			return
		case <-ctx.Done():
		}
	}
	timer := time.NewTimer(finalGrace)
	defer timer.Stop()
	select {
	case ch <- d:
	case <-timer.C:
	}
}
