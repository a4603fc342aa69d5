package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/zero711/brain/internal/audit"
	"github.com/zero711/brain/internal/store"
)

func cmdAdmin(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return errors.New("usage: 0711 admin create-admin|customers|audit verify [flags]")
	}
	switch {
	case args[0] == "create-admin":
		return adminCreate(ctx, args[1:], e)
	case args[0] == "customers":
		return adminCustomers(ctx, args[1:], e)
	case args[0] == "audit" && len(args) > 1 && args[1] == "verify":
		return adminAuditVerify(ctx, args[2:], e)
	}
	return fmt.Errorf("unknown admin task %q; want create-admin, customers or audit verify", strings.Join(args, " "))
}

// withPlatform loads the configuration and opens the platform for fn.
func withPlatform(ctx context.Context, name string, args []string, e env, fs *flag.FlagSet, fn func(*platform) error) error {
	cfg, err := loadConfig(name, args, e, fs)
	if err != nil {
		return err
	}
	p, err := openPlatform(ctx, cfg, newLogger(cfg, e.stderr))
	if err != nil {
		return err
	}
	defer p.Close()
	return fn(p)
}

func adminCreate(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("admin create-admin", flag.ContinueOnError)
	email := fs.String("email", "", "e-mail of the new platform admin (required)")
	name := fs.String("name", "Platform Admin", "display name")
	return withPlatform(ctx, "admin create-admin", args, e, fs, func(p *platform) error {
		if *email == "" {
			return errors.New("--email is required")
		}
		// The password never goes on the command line: ADMIN_PASSWORD or stdin.
		password := e.getenv("ADMIN_PASSWORD")
		if password == "" {
			fmt.Fprint(e.stderr, "password: ")
			line, err := bufio.NewReader(e.stdin).ReadString('\n')
			if err != nil && line == "" {
				return fmt.Errorf("read password from stdin: %w", err)
			}
			password = strings.TrimRight(line, "\r\n")
		}
		u, err := p.ident.CreatePlatformAdmin(ctx, *email, password, *name)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "created platform admin %s (%s)\n", u.Email, u.ID)
		return nil
	})
}

func adminCustomers(ctx context.Context, args []string, e env) error {
	return withPlatform(ctx, "admin customers", args, e, nil, func(p *platform) error {
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tCOMPANY\tTIER\tSTATUS\tCREATED")
		page := store.Page{Limit: store.MaxLimit}
		for {
			cs, err := p.store.ListCustomers(ctx, page)
			if err != nil {
				return err
			}
			for _, c := range cs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.CompanyName, c.Tier, c.Status, c.CreatedAt.Format("2006-01-02"))
			}
			if len(cs) < page.Limit {
				return tw.Flush()
			}
			page.After = cs[len(cs)-1].ID
		}
	})
}

func adminAuditVerify(ctx context.Context, args []string, e env) error {
	return withPlatform(ctx, "admin audit verify", args, e, nil, func(p *platform) error {
		n, err := audit.Verify(ctx, p.store)
		if err != nil {
			return fmt.Errorf("%w (%d entries before it are intact)", err, n)
		}
		fmt.Fprintf(e.stdout, "audit chain intact: %d entries verified\n", n)
		return nil
	})
}
