package brain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// AuditEntry records one state-changing call. Entries form a hash chain:
// Hash covers PrevHash and every other field, so that changing, removing or
// reordering an entry is detectable.
type AuditEntry struct {
	Seq        int64     `json:"seq"`
	Time       time.Time `json:"time"`
	CustomerID string    `json:"customer_id,omitempty"`
	Actor      string    `json:"actor,omitempty"`
	Action     string    `json:"action"`
	Target     string    `json:"target,omitempty"`
	RequestID  string    `json:"request_id,omitempty"`
	Outcome    string    `json:"outcome"`
	Detail     string    `json:"detail,omitempty"`
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// Audit outcomes.
const (
	OutcomeSuccess = "success"
	OutcomeFailure = "failure"
	OutcomeDenied  = "denied"
)

// ComputeHash returns the hex SHA-256 over PrevHash and every field of the
// entry except Hash. Each field is length-prefixed so that no two entries
// share an encoding; the time is taken in UTC at microsecond precision,
// which every store keeps exactly.
func (e *AuditEntry) ComputeHash() string {
	h := sha256.New()
	for _, f := range []string{
		strconv.FormatInt(e.Seq, 10), e.Time.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano),
		e.CustomerID, e.Actor, e.Action, e.Target, e.RequestID, e.Outcome, e.Detail, e.PrevHash,
	} {
		fmt.Fprintf(h, "%d:%s|", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}
