package main

import (
	"context"
	"fmt"

	"github.com/zero711/brain/internal/paths"
	"github.com/zero711/brain/internal/store/postgres"
	"github.com/zero711/brain/internal/store/sqlite"
)

func cmdMigrate(ctx context.Context, args []string, e env) error {
	cfg, err := loadConfig("migrate", args, e, nil)
	if err != nil {
		return err
	}
	var applied []int64
	target := "PostgreSQL"
	if cfg.DatabaseURL != "" {
		applied, err = postgres.MigrateURL(ctx, cfg.DatabaseURL)
	} else {
		target = cfg.SQLitePath()
		p, perr := paths.New(cfg.Deployment, cfg.DataDir)
		if perr != nil {
			return perr
		}
		if err := p.Ensure(cfg.DataDir); err != nil {
			return err
		}
		applied, err = sqlite.MigrateFile(ctx, target)
	}
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(e.stdout, "%s is up to date\n", target)
		return nil
	}
	fmt.Fprintf(e.stdout, "%s: applied migrations %v\n", target, applied)
	return nil
}
