package brain_test

import (
	"strings"
	"testing"

	"github.com/zero711/brain"
)

func TestValidateCustomerID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id      string
		ok, new bool
	}{
		{"acme", true, true},
		{"a1", true, true},
		{"mueller-soehne-gmbh", true, true},
		{"platform", true, false},
		{"admin", true, false},
		{"a", false, false},
		{"-acme", false, false},
		{"Acme", false, false},
		{"ac_me", false, false},
		{"../etc", false, false},
		{"acme/../../b", false, false},
		{"acme\x00", false, false},
		{strings.Repeat("a", 63), true, true},
		{strings.Repeat("a", 64), false, false},
		{"", false, false},
	}
	for _, tc := range tests {
		if err := brain.ValidateCustomerID(tc.id); (err == nil) != tc.ok {
			t.Errorf("ValidateCustomerID(%q) = %v, want ok=%v", tc.id, err, tc.ok)
		}
		if err := brain.ValidateNewCustomerID(tc.id); (err == nil) != tc.new {
			t.Errorf("ValidateNewCustomerID(%q) = %v, want ok=%v", tc.id, err, tc.new)
		}
	}
}

func TestSlugFromName(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"Müller & Söhne GmbH":      "mueller-soehne-gmbh",
		"Straßenbau AG":            "strassenbau-ag",
		"  Café  Crème  e.V. ":     "cafe-creme-e-v",
		"ÄÖÜ":                      "aeoeue",
		"株式会社":                     "",
		"X":                        "",
		"3M":                       "3m",
		strings.Repeat("Bau ", 30): strings.Trim(strings.Repeat("bau-", 13)[:50], "-"),
	}
	for in, want := range tests {
		got := brain.SlugFromName(in)
		if got != want {
			t.Errorf("SlugFromName(%q) = %q, want %q", in, got, want)
		}
		if got != "" {
			if err := brain.ValidateCustomerID(got); err != nil {
				t.Errorf("SlugFromName(%q) = %q is no valid id: %v", in, got, err)
			}
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"Erika@Example.DE", "erika@example.de"},
		{"  max.mustermann+tag@firma.example ", "max.mustermann+tag@firma.example"},
		{"Erika <erika@example.de>", ""},
		{"erika@localhost", ""},
		{"' OR '1'='1", ""},
		{"a@b.c'--", ""},
		{"erika@exa\u202emple.de", ""},
		{"erika\n@example.de", ""},
		{"", ""},
		{strings.Repeat("a", 250) + "@x.de", ""},
	}
	for _, tc := range tests {
		got, err := brain.NormalizeEmail(tc.in)
		if tc.want == "" {
			if err == nil || brain.ErrorCode(err) != brain.EINVALID {
				t.Errorf("NormalizeEmail(%q) = %q, %v; want invalid", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestValidateName(t *testing.T) {
	t.Parallel()
	ok := []string{"Erika Müller", "O'Brien & Partner GmbH", "Société Générale S.A.", "Łukasz Żółć", "3M Deutschland", "Dr. med. Hans-Peter (HP) Meier"}
	bad := []string{"", "   ", "Robert'); DROP TABLE users;--", "' OR '1'='1", "<script>", "a\x00b", "tab\tname", strings.Repeat("x", 201)}
	for _, s := range ok {
		if _, err := brain.ValidateName("name", s, 200); err != nil {
			t.Errorf("ValidateName(%q) = %v", s, err)
		}
	}
	for _, s := range bad {
		if _, err := brain.ValidateName("name", s, 200); brain.ErrorCode(err) != brain.EINVALID {
			t.Errorf("ValidateName(%q) = %v, want invalid", s, err)
		}
	}
}

func TestPermissions(t *testing.T) {
	t.Parallel()
	got, err := brain.ValidatePermissions(brain.RoleCustomerUser, []brain.Permission{"chat.use", "data.query", "chat.use"})
	if err != nil || len(got) != 2 || got[0] != "chat.use" {
		t.Fatalf("ValidatePermissions = %v, %v", got, err)
	}
	for _, p := range []brain.Permission{"*", "platform.admin", "root", ""} {
		if _, err := brain.ValidatePermissions(brain.RoleCustomerAdmin, []brain.Permission{p}); err == nil {
			t.Errorf("customer_admin may hold %q", p)
		}
	}
	if !brain.HasPermission(brain.DefaultPermissions(brain.RolePlatformAdmin), brain.PermBillingManage) {
		t.Error("platform admin lacks a permission")
	}
	if brain.HasPermission(brain.DefaultPermissions(brain.RoleCustomerUser), brain.PermUsersInvite) {
		t.Error("customer_user may invite by default")
	}
	for _, r := range []brain.Role{brain.RoleCustomerAdmin, brain.RoleCustomerUser} {
		if _, err := brain.ValidatePermissions(r, brain.DefaultPermissions(r)); err != nil {
			t.Errorf("defaults of %s are invalid: %v", r, err)
		}
	}
}

func TestErrorCode(t *testing.T) {
	t.Parallel()
	err := brain.Errorf(brain.ENOTFOUND, "user %s not found", "u1")
	wrapped := &wrapErr{err}
	if brain.ErrorCode(wrapped) != brain.ENOTFOUND || brain.ErrorMessage(wrapped) != "user u1 not found" {
		t.Fatalf("code %q message %q", brain.ErrorCode(wrapped), brain.ErrorMessage(wrapped))
	}
	if brain.ErrorCode(errPlain) != brain.EINTERNAL || brain.ErrorMessage(errPlain) != "internal error" {
		t.Fatal("plain errors must read as internal")
	}
	if brain.ErrorCode(nil) != "" {
		t.Fatal("nil has a code")
	}
}

type wrapErr struct{ err error }

func (w *wrapErr) Error() string { return "op: " + w.err.Error() }
func (w *wrapErr) Unwrap() error { return w.err }

var errPlain = &plain{}

type plain struct{}

func (*plain) Error() string { return "disk on fire" }
