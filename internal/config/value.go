package config

import (
	"fmt"
	"log/slog"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/zero711/brain/internal/paths"
)

// The types below are flag.Values bound to a Config field. Set parses one
// raw setting strictly; String formats the field back the way it is written
// in a dotenv file.

type stringValue struct{ p *string }

func (v stringValue) Set(s string) error { *v.p = s; return nil }
func (v stringValue) String() string     { return *v.p }

type intValue struct{ p *int }

func (v intValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("%q is not an integer", s)
	}
	*v.p = n
	return nil
}
func (v intValue) String() string { return strconv.Itoa(*v.p) }

type int64Value struct{ p *int64 }

func (v int64Value) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not an integer", s)
	}
	*v.p = n
	return nil
}
func (v int64Value) String() string { return strconv.FormatInt(*v.p, 10) }

type durationValue struct{ p *time.Duration }

func (v durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 15m or 168h", s)
	}
	*v.p = d
	return nil
}
func (v durationValue) String() string { return formatDuration(*v.p) }

// formatDuration drops the zero minutes and seconds that time.Duration's
// String adds, so 168h prints as 168h rather than 168h0m0s.
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

type listValue struct{ p *[]string }

func (v listValue) Set(s string) error {
	*v.p = splitList(s)
	return nil
}
func (v listValue) String() string { return strings.Join(*v.p, ",") }

// splitList splits a comma-separated list, trimming blanks and dropping
// empty items.
func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

type prefixListValue struct{ p *[]netip.Prefix }

// Set accepts CIDRs and bare addresses, which stand for a single host.
func (v prefixListValue) Set(s string) error {
	var out []netip.Prefix
	for _, item := range splitList(s) {
		if addr, err := netip.ParseAddr(item); err == nil {
			out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			return fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8", item)
		}
		out = append(out, p.Masked())
	}
	*v.p = out
	return nil
}

func (v prefixListValue) String() string {
	items := make([]string, len(*v.p))
	for i, p := range *v.p {
		items[i] = p.String()
	}
	return strings.Join(items, ",")
}

type levelValue struct{ p *slog.Level }

// Set accepts exactly the four level names; slog's own parser would also
// take offsets such as "info+2".
func (v levelValue) Set(s string) error {
	levels := map[string]slog.Level{
		"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError,
	}
	l, ok := levels[strings.ToLower(s)]
	if !ok {
		return fmt.Errorf("%q must be one of debug, info, warn, error", s)
	}
	*v.p = l
	return nil
}
func (v levelValue) String() string { return strings.ToLower(v.p.String()) }

type deploymentValue struct{ p *paths.DeploymentType }

func (v deploymentValue) Set(s string) error {
	d, err := paths.ParseDeploymentType(s)
	if err != nil {
		return err
	}
	*v.p = d
	return nil
}
func (v deploymentValue) String() string { return string(*v.p) }

type boolValue struct{ p *bool }

func (v boolValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("want true or false, got %q", s)
	}
	*v.p = b
	return nil
}

func (v boolValue) String() string { return strconv.FormatBool(*v.p) }

type floatValue struct{ p *float64 }

func (v floatValue) Set(s string) error {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 100 {
		return fmt.Errorf("want a number from 0 to 100, got %q", s)
	}
	*v.p = f
	return nil
}

func (v floatValue) String() string { return strconv.FormatFloat(*v.p, 'g', -1, 64) }
