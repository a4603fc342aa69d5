// Package store defines the metadata store of the control plane: customers,
// users, API keys and the audit log. Implementations live in subpackages
// (sqldb, with the sqlite and postgres drivers); storetest holds the
// conformance suite that every implementation's tests run.
package store

import (
	"context"
	"time"

	"github.com/zero711/brain"
)

// Store is the metadata store. Every method that reads or writes customer
// data takes the customer id and filters on it: an id that belongs to
// another customer is reported as brain.ENOTFOUND.
type Store interface {
	Customers
	Users
	APIKeys
	Audit
	Ingest
	Chat

	// Ping reports whether the backend answers (brain.EUNAVAILABLE if not).
	Ping(ctx context.Context) error
	// Kind names the backend, such as "sqlite" or "postgres".
	Kind() string
	// Close releases the backend's resources.
	Close() error
}

// Customers stores companies.
type Customers interface {
	// CreateCustomer inserts c and its first user admin in one transaction.
	// It returns brain.ECONFLICT when the customer id or the admin's e-mail
	// is taken.
	CreateCustomer(ctx context.Context, c *brain.Customer, admin *brain.User) error
	// Customer returns one customer or brain.ENOTFOUND.
	Customer(ctx context.Context, id string) (*brain.Customer, error)
	// ListCustomers returns customers ordered by id, after the given id.
	ListCustomers(ctx context.Context, page Page) ([]*brain.Customer, error)
	// CustomerExists reports whether id is taken.
	CustomerExists(ctx context.Context, id string) (bool, error)
}

// Users stores the people who sign in.
type Users interface {
	// CreateUser inserts u; brain.ECONFLICT when the e-mail is taken,
	// brain.ENOTFOUND when the customer does not exist.
	CreateUser(ctx context.Context, u *brain.User) error
	// User returns a user of the customer, deleted ones included, or
	// brain.ENOTFOUND.
	User(ctx context.Context, customerID, userID string) (*brain.User, error)
	// UserByID returns a user whatever its customer; only the edge uses it,
	// to resolve a token's subject.
	UserByID(ctx context.Context, userID string) (*brain.User, error)
	// UserByEmail returns the user that is not deleted with that e-mail, or
	// brain.ENOTFOUND.
	UserByEmail(ctx context.Context, email string) (*brain.User, error)
	// ListUsers returns the customer's users that are not deleted, by
	// creation time.
	ListUsers(ctx context.Context, customerID string, page Page) ([]*brain.User, error)
	// UpdateUser writes name, role, status, permissions, password hash,
	// email_verified and deleted_at of u, which must belong to the customer
	// (brain.ENOTFOUND otherwise).
	UpdateUser(ctx context.Context, customerID string, u *brain.User) error
	// SetUserToken stores the hash of a one-time token for purpose with an
	// expiry, replacing any earlier token of that purpose.
	SetUserToken(ctx context.Context, customerID, userID string, purpose TokenPurpose, hash string, expires time.Time) error
	// ConsumeUserToken atomically finds the user holding an unexpired token
	// with that hash and purpose, applies fn's changes to it and removes the
	// token. It returns brain.ENOTFOUND for an unknown, used or expired
	// token.
	ConsumeUserToken(ctx context.Context, purpose TokenPurpose, hash string, now time.Time, fn func(*brain.User) error) (*brain.User, error)
	// RecordLogin notes a successful login: resets failures, counts it.
	RecordLogin(ctx context.Context, userID string, now time.Time) error
	// RecordLoginFailure counts a failed login and, when the count reaches
	// threshold, locks the user until lockUntil. It returns the user after
	// the change.
	RecordLoginFailure(ctx context.Context, userID string, threshold int, lockUntil time.Time) (*brain.User, error)
}

// TokenPurpose says what a one-time user token is for.
type TokenPurpose string

// Token purposes.
const (
	TokenVerifyEmail TokenPurpose = "verify_email"
	TokenInvitation  TokenPurpose = "invitation"
)

// APIKeys stores customer API keys.
type APIKeys interface {
	// CreateAPIKey inserts k.
	CreateAPIKey(ctx context.Context, k *brain.APIKey) error
	// APIKeyByHash returns the key whose secret hashes to hash, or
	// brain.ENOTFOUND.
	APIKeyByHash(ctx context.Context, hash string) (*brain.APIKey, error)
	// ListAPIKeys returns the customer's keys, revoked ones included.
	ListAPIKeys(ctx context.Context, customerID string) ([]*brain.APIKey, error)
	// RevokeAPIKey marks a key of the customer revoked; brain.ENOTFOUND if
	// it is not the customer's or already revoked.
	RevokeAPIKey(ctx context.Context, customerID, keyID string, now time.Time) error
	// TouchAPIKey records that a key was used.
	TouchAPIKey(ctx context.Context, keyID string, now time.Time) error
}

// Audit is the append-only, hash-chained audit log.
type Audit interface {
	// AppendAudit assigns e the next sequence number and the previous
	// entry's hash, computes its hash and appends it, serialised against
	// concurrent appends from any process.
	AppendAudit(ctx context.Context, e *brain.AuditEntry) error
	// ListAudit returns the customer's entries, newest first; an empty
	// customer id lists every entry (platform admins only).
	ListAudit(ctx context.Context, customerID string, page Page) ([]*brain.AuditEntry, error)
	// WalkAudit calls fn with every entry in sequence order.
	WalkAudit(ctx context.Context, fn func(*brain.AuditEntry) error) error
}

// Ingest stores ingestion jobs and their files, the durable queue that
// ingestion workers on any node take work from.
type Ingest interface {
	// CreateIngestJob inserts j and its files (numbered from 1) in one
	// transaction.
	CreateIngestJob(ctx context.Context, j *brain.IngestJob, files []*brain.IngestFile) error
	// AddIngestFiles appends files to an existing job of the customer.
	AddIngestFiles(ctx context.Context, customerID, jobID string, files []*brain.IngestFile) error
	// UpdateIngestJob writes status, error, uploaded count, current file
	// and finish time of a job of the customer.
	UpdateIngestJob(ctx context.Context, j *brain.IngestJob) error
	// IngestJob returns a job of the customer with its file counts, or
	// brain.ENOTFOUND.
	IngestJob(ctx context.Context, customerID, jobID string) (*brain.IngestJob, error)
	// ListIngestJobs returns the customer's jobs, newest first.
	ListIngestJobs(ctx context.Context, customerID string, page Page) ([]*brain.IngestJob, error)
	// IngestFiles returns the files of a job of the customer, by seq.
	IngestFiles(ctx context.Context, customerID, jobID string) ([]*brain.IngestFile, error)
	// ClaimIngestFile leases the next file that is pending and due, or
	// running with an expired lease (its worker died), to worker until
	// now+lease, counting an attempt. It returns brain.ENOTFOUND when
	// there is none. Two workers never hold the same file.
	ClaimIngestFile(ctx context.Context, worker string, now time.Time, lease time.Duration) (*brain.IngestFile, error)
	// ExtendIngestLease extends the lease worker holds on a file;
	// brain.ENOTFOUND when the worker no longer holds it.
	ExtendIngestLease(ctx context.Context, f *brain.IngestFile, worker string, until time.Time) error
	// FinishIngestFile records the outcome of a claimed file (status,
	// handler, reason, error, document, chunks, next attempt, hash and
	// size) and releases
	// the lease; brain.ENOTFOUND when the worker no longer holds it. When
	// it was the job's last unfinished file, the job is completed.
	FinishIngestFile(ctx context.Context, f *brain.IngestFile, worker string, now time.Time) error
	// FailStaleUploads marks failed every job still uploading that has not
	// changed since before, whose uploader died; it returns how many.
	FailStaleUploads(ctx context.Context, before, now time.Time) (int, error)
	// IngestedHash returns the document id of a finished file of the
	// customer with that content hash, or brain.ENOTFOUND.
	IngestedHash(ctx context.Context, customerID, sha256 string) (string, error)
}

// Chat stores conversations, their messages (with what produced each
// answer) and feedback.
type Chat interface {
	// CreateConversation inserts c.
	CreateConversation(ctx context.Context, c *brain.Conversation) error
	// Conversation returns a conversation of the customer, or
	// brain.ENOTFOUND.
	Conversation(ctx context.Context, customerID, id string) (*brain.Conversation, error)
	// ListConversations returns the customer's conversations (only
	// userID's unless it is empty), most recently active first.
	ListConversations(ctx context.Context, customerID, userID string, page Page) ([]*brain.Conversation, error)
	// DeleteConversation removes a conversation of the customer with its
	// messages and their feedback; brain.ENOTFOUND if there is none.
	DeleteConversation(ctx context.Context, customerID, id string) error
	// AddMessage appends m to its conversation (which must be the
	// customer's) and marks the conversation active.
	AddMessage(ctx context.Context, m *brain.ChatMessage) error
	// Messages returns a conversation's messages in order.
	Messages(ctx context.Context, customerID, conversationID string) ([]*brain.ChatMessage, error)
	// Message returns one message of the customer, or brain.ENOTFOUND.
	Message(ctx context.Context, customerID, id string) (*brain.ChatMessage, error)
	// SetFeedback records a user's feedback on a message of the customer,
	// replacing that user's earlier feedback on it.
	SetFeedback(ctx context.Context, f *brain.Feedback) error
	// ChatUsage meters the customer's answers in [from, to): queries,
	// those answered by an LLM, and tokens.
	ChatUsage(ctx context.Context, customerID string, from, to time.Time) (*brain.ChatUsage, error)
	// ListFeedback returns the customer's feedback, newest first.
	ListFeedback(ctx context.Context, customerID string, page Page) ([]*brain.Feedback, error)
}

// Page bounds a listing: at most Limit rows (a default when 0) after the
// cursor After (exclusive; empty for the first page).
type Page struct {
	Limit int
	After string
}

// DefaultLimit and MaxLimit bound Page.Limit.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Clamp returns the limit to use.
func (p Page) Clamp() int {
	switch {
	case p.Limit <= 0:
		return DefaultLimit
	case p.Limit > MaxLimit:
		return MaxLimit
	}
	return p.Limit
}
