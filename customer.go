package brain

import (
	"regexp"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// PlatformCustomerID is the reserved customer that platform administrators
// belong to. No signup can take it.
const PlatformCustomerID = "platform"

var customerIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// reservedCustomerIDs are slugs that collide with routes, hosts or the
// operator's own customer.
var reservedCustomerIDs = map[string]bool{
	PlatformCustomerID: true, "admin": true, "api": true, "www": true,
	"system": true, "root": true, "public": true, "static": true,
}

// ValidateCustomerID reports whether id is a customer slug: lowercase ASCII
// letters, digits and hyphens, 2 to 63 characters, starting with a letter or
// digit. It returns an EINVALID *Error otherwise.
func ValidateCustomerID(id string) error {
	if !customerIDPattern.MatchString(id) {
		return Errorf(EINVALID, "customer id %q must match [a-z0-9][a-z0-9-]{1,62}", clip(id))
	}
	return nil
}

// ValidateNewCustomerID is ValidateCustomerID plus the reserved names that
// a signup may not claim.
func ValidateNewCustomerID(id string) error {
	if err := ValidateCustomerID(id); err != nil {
		return err
	}
	if reservedCustomerIDs[id] {
		return Errorf(EINVALID, "customer id %q is reserved", id)
	}
	return nil
}

// SlugFromName derives a customer slug from a company name: German umlauts
// and ß are transliterated, other accents dropped, anything else becomes a
// hyphen. The result may still need a suffix to be unique, and is empty
// when the name has no usable letters.
func SlugFromName(name string) string {
	r := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "ae", "Ö", "oe", "Ü", "ue", "ß", "ss")
	s := norm.NFKD.String(r.Replace(name))
	var b strings.Builder
	hyphen := false
	for _, c := range strings.ToLower(s) {
		switch {
		case c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c)):
			b.WriteRune(c)
			hyphen = false
		case unicode.Is(unicode.Mn, c):
			// combining accent left by NFKD: drop it
		default:
			if b.Len() > 0 && !hyphen {
				b.WriteByte('-')
				hyphen = true
			}
		}
	}
	slug := strings.Trim(b.String(), "-")
	if len(slug) > 50 {
		slug = strings.Trim(slug[:50], "-")
	}
	if len(slug) < 2 {
		return ""
	}
	return slug
}

// Tier is a customer's commercial plan; it travels in tokens so that later
// capabilities can meter and limit by it.
type Tier string

// Tiers of SPEC §8.
const (
	TierTrial       Tier = "trial"
	TierSmall       Tier = "small_business"
	TierMidMarket   Tier = "mid_market"
	TierEnterprise  Tier = "enterprise"
	TierSelfHosted  Tier = "self_hosted"
	TierPlatformOps Tier = "platform"
)

// CustomerStatus says whether a customer may use the platform.
type CustomerStatus string

// Customer statuses.
const (
	CustomerActive    CustomerStatus = "active"
	CustomerSuspended CustomerStatus = "suspended"
)

// Customer is a company using the platform. Every piece of customer data is
// keyed by its ID.
type Customer struct {
	ID           string         `json:"id"`
	CompanyName  string         `json:"company_name"`
	Tier         Tier           `json:"tier"`
	Status       CustomerStatus `json:"status"`
	PrimaryAdmin string         `json:"primary_admin_id,omitempty"`
	CreatedAt    time.Time      `json:"created_at"`
	UpdatedAt    time.Time      `json:"updated_at"`
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
