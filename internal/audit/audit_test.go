package audit_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/audit"
)

type log []*brain.AuditEntry

func (l log) WalkAudit(_ context.Context, fn func(*brain.AuditEntry) error) error {
	for _, e := range l {
		c := *e
		if err := fn(&c); err != nil {
			return err
		}
	}
	return nil
}

func chain(n int) log {
	var l log
	prev := ""
	for i := 1; i <= n; i++ {
		e := &brain.AuditEntry{Seq: int64(i), Time: time.Unix(int64(i), 0), Action: "user.invite", Outcome: "success", PrevHash: prev}
		e.Hash = e.ComputeHash()
		prev = e.Hash
		l = append(l, e)
	}
	return l
}

func TestVerify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		tamper  func(l log) log
		brokeAt int64
	}{
		{"intact", func(l log) log { return l }, 0},
		{"modified", func(l log) log { l[2].Actor = "mallory"; return l }, 3},
		{"removed", func(l log) log { return append(l[:1], l[2:]...) }, 3},
		{"reordered", func(l log) log { l[1], l[2] = l[2], l[1]; return l }, 3},
		{"rehashed without relinking", func(l log) log { l[1].Outcome = "x"; l[1].Hash = l[1].ComputeHash(); return l }, 3},
		{"truncated head", func(l log) log { return l[1:] }, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := audit.Verify(context.Background(), tc.tamper(chain(5)))
			var b *audit.BrokenError
			if tc.brokeAt == 0 {
				if err != nil || n != 5 {
					t.Fatalf("Verify = %d, %v", n, err)
				}
				return
			}
			if !errors.As(err, &b) || b.Seq != tc.brokeAt {
				t.Fatalf("Verify = %v, want break at %d", err, tc.brokeAt)
			}
		})
	}
}
