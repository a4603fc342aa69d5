// Package storetest is the conformance suite of store.Store. Every
// implementation's tests call Run with a function that opens a fresh,
// empty, migrated store.
package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/audit"
	"github.com/zero711/brain/internal/store"
)

// Opener returns a fresh, empty, migrated store; it registers its own cleanup.
type Opener func(t *testing.T) store.Store

// Run runs the conformance suite against the stores open returns.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"CustomerCreateGet", testCustomerCreateGet},
		{"CustomerConflict", testCustomerConflict},
		{"CustomerList", testCustomerList},
		{"UserScopedByCustomer", testUserScopedByCustomer},
		{"UserEmailUnique", testUserEmailUnique},
		{"UserUpdateAndSoftDelete", testUserUpdateAndSoftDelete},
		{"UserTokens", testUserTokens},
		{"UserTokenConcurrentConsume", testUserTokenConcurrentConsume},
		{"LoginTracking", testLoginTracking},
		{"APIKeys", testAPIKeys},
		{"AuditChain", testAuditChain},
		{"AuditConcurrentAppend", testAuditConcurrentAppend},
		{"TimesRoundTrip", testTimesRoundTrip},
		{"IngestJobLifecycle", testIngestJobLifecycle},
		{"IngestScopedByCustomer", testIngestScopedByCustomer},
		{"IngestLeaseExpiry", testIngestLeaseExpiry},
		{"IngestConcurrentClaim", testIngestConcurrentClaim},
		{"IngestStaleUploads", testIngestStaleUploads},
		{"ChatConversations", testChatConversations},
		{"ChatScopedByCustomer", testChatScopedByCustomer},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

var epoch = time.Date(2026, 11, 26, 10, 0, 0, 123456000, time.UTC)

// NewCustomer returns a customer and its admin, ready to insert.
func NewCustomer(id string) (*brain.Customer, *brain.User) {
	c := &brain.Customer{ID: id, CompanyName: "Firma " + id + " GmbH", Tier: brain.TierTrial,
		Status: brain.CustomerActive, CreatedAt: epoch, UpdatedAt: epoch}
	u := NewUser(id, "admin@"+id+".example", brain.RoleCustomerAdmin)
	c.PrimaryAdmin = u.ID
	return c, u
}

// NewUser returns an active user of the customer, ready to insert.
func NewUser(customerID, email string, role brain.Role) *brain.User {
	return &brain.User{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: customerID, Email: email,
		Name: "Erika Mustermann", Role: role, Status: brain.UserActive,
		Permissions: brain.DefaultPermissions(role), PasswordHash: "$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA",
		CreatedAt: epoch, UpdatedAt: epoch}
}

func mustCustomer(t *testing.T, s store.Store, id string) (*brain.Customer, *brain.User) {
	t.Helper()
	c, u := NewCustomer(id)
	if err := s.CreateCustomer(context.Background(), c, u); err != nil {
		t.Fatalf("CreateCustomer(%s): %v", id, err)
	}
	return c, u
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := brain.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func testCustomerCreateGet(t *testing.T, s store.Store) {
	ctx := context.Background()
	c, u := mustCustomer(t, s, "acme")
	got, err := s.Customer(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if *got != *c {
		t.Errorf("Customer = %+v, want %+v", got, c)
	}
	admin, err := s.User(ctx, "acme", u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if admin.Email != u.Email || admin.Role != brain.RoleCustomerAdmin || len(admin.Permissions) != len(u.Permissions) {
		t.Errorf("admin = %+v", admin)
	}
	_, err = s.Customer(ctx, "nobody")
	wantCode(t, err, brain.ENOTFOUND)
	ok, err := s.CustomerExists(ctx, "acme")
	if err != nil || !ok {
		t.Errorf("CustomerExists(acme) = %v, %v", ok, err)
	}
	ok, err = s.CustomerExists(ctx, "nobody")
	if err != nil || ok {
		t.Errorf("CustomerExists(nobody) = %v, %v", ok, err)
	}
}

func testCustomerConflict(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCustomer(t, s, "acme")
	c, u := NewCustomer("acme")
	u.Email = "other@acme.example"
	wantCode(t, s.CreateCustomer(ctx, c, u), brain.ECONFLICT)
	// The admin of a failed signup must not linger: the insert is atomic.
	_, err := s.UserByEmail(ctx, "other@acme.example")
	wantCode(t, err, brain.ENOTFOUND)
	// A taken e-mail fails the whole signup, customer included.
	c2, u2 := NewCustomer("beta")
	u2.Email = "admin@acme.example"
	wantCode(t, s.CreateCustomer(ctx, c2, u2), brain.ECONFLICT)
	ok, _ := s.CustomerExists(ctx, "beta")
	if ok {
		t.Error("customer beta exists after a failed signup")
	}
}

func testCustomerList(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, id := range []string{"c3", "c1", "c2"} {
		mustCustomer(t, s, id)
	}
	first, err := s.ListCustomers(ctx, store.Page{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 || first[0].ID != "c1" || first[1].ID != "c2" {
		t.Fatalf("first page = %v", ids(first))
	}
	rest, err := s.ListCustomers(ctx, store.Page{Limit: 2, After: "c2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rest) != 1 || rest[0].ID != "c3" {
		t.Fatalf("second page = %v", ids(rest))
	}
}

func ids(cs []*brain.Customer) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func testUserScopedByCustomer(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, a := mustCustomer(t, s, "alpha")
	_, b := mustCustomer(t, s, "bravo")
	if _, err := s.User(ctx, "alpha", b.ID); brain.ErrorCode(err) != brain.ENOTFOUND {
		t.Fatalf("alpha reads bravo's user: %v", err)
	}
	b2 := *b
	b2.Name = "Hijacked"
	wantCode(t, s.UpdateUser(ctx, "alpha", &b2), brain.ENOTFOUND)
	got, err := s.User(ctx, "bravo", b.ID)
	if err != nil || got.Name != b.Name {
		t.Fatalf("bravo's user changed: %+v %v", got, err)
	}
	wantCode(t, s.SetUserToken(ctx, "alpha", b.ID, store.TokenInvitation, "h", epoch.Add(time.Hour)), brain.ENOTFOUND)
	list, err := s.ListUsers(ctx, "alpha", store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != a.ID {
		t.Fatalf("ListUsers(alpha) = %d users", len(list))
	}
	u := NewUser("ghost", "x@ghost.example", brain.RoleCustomerUser)
	wantCode(t, s.CreateUser(ctx, u), brain.ENOTFOUND)
	byID, err := s.UserByID(ctx, b.ID)
	if err != nil || byID.CustomerID != "bravo" {
		t.Fatalf("UserByID = %+v, %v", byID, err)
	}
}

func testUserEmailUnique(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCustomer(t, s, "alpha")
	mustCustomer(t, s, "bravo")
	wantCode(t, s.CreateUser(ctx, NewUser("bravo", "admin@alpha.example", brain.RoleCustomerUser)), brain.ECONFLICT)
	got, err := s.UserByEmail(ctx, "admin@alpha.example")
	if err != nil || got.CustomerID != "alpha" {
		t.Fatalf("UserByEmail = %+v, %v", got, err)
	}
}

func testUserUpdateAndSoftDelete(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCustomer(t, s, "alpha")
	u := NewUser("alpha", "user@alpha.example", brain.RoleCustomerUser)
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	u.Name, u.Role = "Max Müller", brain.RoleCustomerAdmin
	u.Permissions = []brain.Permission{brain.PermChatUse}
	u.UpdatedAt = epoch.Add(time.Minute)
	if err := s.UpdateUser(ctx, "alpha", u); err != nil {
		t.Fatal(err)
	}
	got, err := s.User(ctx, "alpha", u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Max Müller" || got.Role != brain.RoleCustomerAdmin || len(got.Permissions) != 1 || !got.UpdatedAt.Equal(u.UpdatedAt) {
		t.Fatalf("after update: %+v", got)
	}
	del := epoch.Add(2 * time.Minute)
	got.Status, got.DeletedAt = brain.UserDeleted, &del
	if err := s.UpdateUser(ctx, "alpha", got); err != nil {
		t.Fatal(err)
	}
	list, _ := s.ListUsers(ctx, "alpha", store.Page{})
	for _, l := range list {
		if l.ID == u.ID {
			t.Fatal("deleted user still listed")
		}
	}
	_, err = s.UserByEmail(ctx, "user@alpha.example")
	wantCode(t, err, brain.ENOTFOUND)
	// The address is free again once its holder is deleted.
	if err := s.CreateUser(ctx, NewUser("alpha", "user@alpha.example", brain.RoleCustomerUser)); err != nil {
		t.Fatalf("re-create after soft delete: %v", err)
	}
	kept, err := s.User(ctx, "alpha", u.ID)
	if err != nil || kept.DeletedAt == nil || !kept.DeletedAt.Equal(del) {
		t.Fatalf("soft-deleted user = %+v, %v", kept, err)
	}
}

func testUserTokens(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, u := mustCustomer(t, s, "alpha")
	now := epoch
	if err := s.SetUserToken(ctx, "alpha", u.ID, store.TokenVerifyEmail, "old", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// A new token of the same purpose replaces the old one.
	if err := s.SetUserToken(ctx, "alpha", u.ID, store.TokenVerifyEmail, "new", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	verify := func(u *brain.User) error { u.EmailVerified = true; return nil }
	_, err := s.ConsumeUserToken(ctx, store.TokenVerifyEmail, "old", now, verify)
	wantCode(t, err, brain.ENOTFOUND)
	_, err = s.ConsumeUserToken(ctx, store.TokenInvitation, "new", now, verify)
	wantCode(t, err, brain.ENOTFOUND)
	got, err := s.ConsumeUserToken(ctx, store.TokenVerifyEmail, "new", now, verify)
	if err != nil || !got.EmailVerified {
		t.Fatalf("consume = %+v, %v", got, err)
	}
	stored, _ := s.User(ctx, "alpha", u.ID)
	if !stored.EmailVerified {
		t.Fatal("change of consume not stored")
	}
	_, err = s.ConsumeUserToken(ctx, store.TokenVerifyEmail, "new", now, verify)
	wantCode(t, err, brain.ENOTFOUND)

	// Expired tokens do nothing.
	_ = s.SetUserToken(ctx, "alpha", u.ID, store.TokenInvitation, "exp", now.Add(time.Minute))
	_, err = s.ConsumeUserToken(ctx, store.TokenInvitation, "exp", now.Add(time.Minute), verify)
	wantCode(t, err, brain.ENOTFOUND)

	// An error from fn rolls the consumption back.
	_ = s.SetUserToken(ctx, "alpha", u.ID, store.TokenInvitation, "keep", now.Add(time.Hour))
	_, err = s.ConsumeUserToken(ctx, store.TokenInvitation, "keep", now, func(*brain.User) error {
		return brain.Errorf(brain.EINVALID, "weak password")
	})
	wantCode(t, err, brain.EINVALID)
	if _, err := s.ConsumeUserToken(ctx, store.TokenInvitation, "keep", now, verify); err != nil {
		t.Fatalf("token lost after failed consume: %v", err)
	}
}

func testUserTokenConcurrentConsume(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, u := mustCustomer(t, s, "alpha")
	if err := s.SetUserToken(ctx, "alpha", u.ID, store.TokenInvitation, "once", epoch.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.ConsumeUserToken(ctx, store.TokenInvitation, "once", epoch, func(*brain.User) error { return nil })
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			} else if brain.ErrorCode(err) != brain.ENOTFOUND {
				t.Errorf("consume: %v", err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("token consumed %d times, want once", wins)
	}
}

func testLoginTracking(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, u := mustCustomer(t, s, "alpha")
	lock := epoch.Add(15 * time.Minute)
	for i := 1; i <= 3; i++ {
		got, err := s.RecordLoginFailure(ctx, u.ID, 3, lock)
		if err != nil {
			t.Fatal(err)
		}
		if got.FailedLogins != i {
			t.Fatalf("failures = %d, want %d", got.FailedLogins, i)
		}
		if locked := got.LockedUntil != nil; locked != (i == 3) {
			t.Fatalf("after %d failures locked = %v", i, locked)
		}
	}
	if err := s.RecordLogin(ctx, u.ID, epoch); err != nil {
		t.Fatal(err)
	}
	got, _ := s.User(ctx, "alpha", u.ID)
	if got.FailedLogins != 0 || got.LockedUntil != nil || got.LoginCount != 1 || got.LastLoginAt == nil || !got.LastLoginAt.Equal(epoch) {
		t.Fatalf("after login: %+v", got)
	}
	wantCode(t, s.RecordLogin(ctx, "missing", epoch), brain.ENOTFOUND)
}

func testAPIKeys(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, a := mustCustomer(t, s, "alpha")
	mustCustomer(t, s, "bravo")
	k := &brain.APIKey{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: "alpha", Name: "ci", Prefix: "sk_0711_ab",
		Hash: "deadbeef", Permissions: []brain.Permission{brain.PermDataQuery}, CreatedBy: a.ID, CreatedAt: epoch}
	if err := s.CreateAPIKey(ctx, k); err != nil {
		t.Fatal(err)
	}
	got, err := s.APIKeyByHash(ctx, "deadbeef")
	if err != nil || got.CustomerID != "alpha" || !got.Usable(epoch) || len(got.Permissions) != 1 {
		t.Fatalf("APIKeyByHash = %+v, %v", got, err)
	}
	if list, _ := s.ListAPIKeys(ctx, "bravo"); len(list) != 0 {
		t.Fatal("bravo lists alpha's key")
	}
	wantCode(t, s.RevokeAPIKey(ctx, "bravo", k.ID, epoch), brain.ENOTFOUND)
	if err := s.TouchAPIKey(ctx, k.ID, epoch.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeAPIKey(ctx, "alpha", k.ID, epoch.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.RevokeAPIKey(ctx, "alpha", k.ID, epoch), brain.ENOTFOUND)
	got, _ = s.APIKeyByHash(ctx, "deadbeef")
	if got.Usable(epoch.Add(time.Hour)) || got.LastUsedAt == nil {
		t.Fatalf("revoked key = %+v", got)
	}
	dup := *k
	dup.ID = "other"
	wantCode(t, s.CreateAPIKey(ctx, &dup), brain.ECONFLICT)
}

func testAuditChain(t *testing.T, s store.Store) {
	ctx := context.Background()
	for i, c := range []string{"alpha", "bravo", "alpha"} {
		e := &brain.AuditEntry{Time: epoch.Add(time.Duration(i) * time.Second), CustomerID: c, Actor: "u1",
			Action: "user.invite", Target: fmt.Sprint(i), RequestID: "r", Outcome: brain.OutcomeSuccess}
		if err := s.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
		if e.Seq != int64(i+1) || e.Hash == "" {
			t.Fatalf("entry %d: seq %d hash %q", i, e.Seq, e.Hash)
		}
	}
	alpha, err := s.ListAudit(ctx, "alpha", store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(alpha) != 2 || alpha[0].Seq != 3 || alpha[1].Seq != 1 {
		t.Fatalf("alpha's audit = %+v", alpha)
	}
	older, _ := s.ListAudit(ctx, "alpha", store.Page{After: "3"})
	if len(older) != 1 || older[0].Seq != 1 {
		t.Fatalf("paged audit = %+v", older)
	}
	all, _ := s.ListAudit(ctx, "", store.Page{})
	if len(all) != 3 {
		t.Fatalf("all audit = %d entries", len(all))
	}
	if err := verifyChain(ctx, s); err != nil {
		t.Fatal(err)
	}
}

func verifyChain(ctx context.Context, s store.Store) error {
	_, err := audit.Verify(ctx, s)
	return err
}

func testAuditConcurrentAppend(t *testing.T, s store.Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.AppendAudit(ctx, &brain.AuditEntry{Time: epoch, Action: "x", Target: fmt.Sprint(i), Outcome: brain.OutcomeSuccess})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := verifyChain(ctx, s); err != nil {
		t.Fatal(err)
	}
	var n int
	_ = s.WalkAudit(ctx, func(*brain.AuditEntry) error { n++; return nil })
	if n != 40 {
		t.Fatalf("%d entries, want 40", n)
	}
}

func testTimesRoundTrip(t *testing.T, s store.Store) {
	ctx := context.Background()
	berlin := time.FixedZone("CET", 3600)
	c, u := NewCustomer("alpha")
	c.CreatedAt = time.Date(2026, 3, 29, 2, 30, 0, 999999999, berlin)
	if err := s.CreateCustomer(ctx, c, u); err != nil {
		t.Fatal(err)
	}
	got, err := s.Customer(ctx, "alpha")
	if err != nil {
		t.Fatal(err)
	}
	if !got.CreatedAt.Equal(c.CreatedAt) || got.CreatedAt.Location() != time.UTC {
		t.Fatalf("created_at = %v, want %v in UTC", got.CreatedAt, c.CreatedAt)
	}
}
