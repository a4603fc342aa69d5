package identity_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/auth"
	"github.com/zero711/brain/internal/identity"
	"github.com/zero711/brain/internal/mail"
	"github.com/zero711/brain/internal/store/sqlite"
)

type memMailer struct {
	mu   sync.Mutex
	sent []mail.Message
}

func (m *memMailer) Send(_ context.Context, msg mail.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, msg)
	return nil
}

func (m *memMailer) token(t *testing.T) string {
	t.Helper()
	m.mu.Lock()
	defer m.mu.Unlock()
	text := m.sent[len(m.sent)-1].Text
	i := strings.Index(text, "token=")
	if i < 0 {
		t.Fatalf("no token in %q", text)
	}
	return strings.Fields(text[i+len("token="):])[0]
}

func setup(t *testing.T) (*identity.Service, *memMailer, *brain.Principal) {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	tokens, _ := auth.NewTokens([]byte(strings.Repeat("s", 32)), time.Hour, time.Now)
	m := &memMailer{}
	svc, err := identity.New(s, tokens, m, identity.Options{PublicURL: "http://x.test", Argon2: auth.Argon2Params{Memory: 64, Time: 1, Threads: 1}},
		slog.New(slog.DiscardHandler), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, u, err := svc.Signup(ctx, identity.SignupInput{CompanyName: "Acme GmbH", Email: "boss@acme.example", Password: "Sommer-2026-x", Name: "Boss"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.VerifyEmail(ctx, m.token(t)); err != nil {
		t.Fatal(err)
	}
	sess, err := svc.Login(ctx, "boss@acme.example", "Sommer-2026-x")
	if err != nil {
		t.Fatal(err)
	}
	p, err := svc.Authenticate(ctx, sess.AccessToken)
	if err != nil || p.UserID != u.ID {
		t.Fatalf("authenticate: %+v %v", p, err)
	}
	return svc, m, p
}

// TestNoPrivilegeEscalation: nobody grants what they do not hold, invites
// admins without users.manage, or edits themselves.
func TestNoPrivilegeEscalation(t *testing.T) {
	t.Parallel()
	svc, _, admin := setup(t)
	ctx := context.Background()
	limited := *admin
	limited.Permissions = []brain.Permission{brain.PermUsersInvite, brain.PermUsersView, brain.PermChatUse}
	tests := []struct {
		name string
		run  func() error
		code string
	}{
		{"grant unheld permission", func() error {
			_, err := svc.Invite(ctx, &limited, identity.InviteInput{Email: "a@acme.example", Permissions: []brain.Permission{brain.PermDataQuery}})
			return err
		}, brain.EFORBIDDEN},
		{"invite an admin without users.manage", func() error {
			_, err := svc.Invite(ctx, &limited, identity.InviteInput{Email: "b@acme.example", Role: brain.RoleCustomerAdmin, Permissions: []brain.Permission{}})
			return err
		}, brain.EFORBIDDEN},
		{"invite a platform admin", func() error {
			_, err := svc.Invite(ctx, admin, identity.InviteInput{Email: "c@acme.example", Role: brain.RolePlatformAdmin})
			return err
		}, brain.EINVALID},
		{"grant the wildcard", func() error {
			_, err := svc.Invite(ctx, admin, identity.InviteInput{Email: "d@acme.example", Permissions: []brain.Permission{brain.PermAll}})
			return err
		}, brain.EINVALID},
		{"edit own permissions", func() error {
			_, err := svc.SetPermissions(ctx, admin, admin.UserID, []brain.Permission{brain.PermChatUse})
			return err
		}, brain.EFORBIDDEN},
		{"change own role", func() error {
			r := brain.RoleCustomerUser
			_, err := svc.UpdateUser(ctx, admin, admin.UserID, identity.UserPatch{Role: &r})
			return err
		}, brain.EFORBIDDEN},
		{"api key that manages users", func() error {
			_, _, err := svc.CreateAPIKey(ctx, admin, "k", []brain.Permission{brain.PermUsersManage}, 0)
			return err
		}, brain.EINVALID},
		{"unknown permission", func() error {
			_, err := svc.Invite(ctx, admin, identity.InviteInput{Email: "e@acme.example", Permissions: []brain.Permission{"root"}})
			return err
		}, brain.EINVALID},
	}
	for _, tc := range tests {
		if got := brain.ErrorCode(tc.run()); got != tc.code {
			t.Errorf("%s: code %q, want %q", tc.name, got, tc.code)
		}
	}
}

// TestTokensFollowTheUser: a suspended user's token stops working, a
// role change applies at once, and an expired invitation is refused.
func TestTokensFollowTheUser(t *testing.T) {
	t.Parallel()
	svc, m, admin := setup(t)
	ctx := context.Background()
	u, err := svc.Invite(ctx, admin, identity.InviteInput{Email: "u@acme.example"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AcceptInvitation(ctx, m.token(t), "Winter-2027-y", ""); err != nil {
		t.Fatal(err)
	}
	sess, err := svc.Login(ctx, "u@acme.example", "Winter-2027-y")
	if err != nil {
		t.Fatal(err)
	}
	role := brain.RoleCustomerAdmin
	if _, err := svc.UpdateUser(ctx, admin, u.ID, identity.UserPatch{Role: &role}); err != nil {
		t.Fatal(err)
	}
	p, err := svc.Authenticate(ctx, sess.AccessToken)
	if err != nil || p.Role != brain.RoleCustomerAdmin || !p.Can(brain.PermUsersManage) {
		t.Fatalf("after promotion: %+v %v", p, err)
	}
	st := brain.UserSuspended
	if _, err := svc.UpdateUser(ctx, admin, u.ID, identity.UserPatch{Status: &st}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Authenticate(ctx, sess.AccessToken); brain.ErrorCode(err) != brain.EUNAUTHORIZED {
		t.Fatalf("suspended user's token: %v", err)
	}
	if _, err := svc.Login(ctx, "u@acme.example", "Winter-2027-y"); brain.ErrorCode(err) != brain.EFORBIDDEN {
		t.Fatalf("suspended user's login: %v", err)
	}
	if _, err := svc.AcceptInvitation(ctx, "not-a-token", "Winter-2027-y", ""); brain.ErrorCode(err) != brain.EINVALID {
		t.Fatalf("bogus invitation: %v", err)
	}
}
