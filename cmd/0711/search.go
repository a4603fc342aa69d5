package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/zero711/brain/internal/lakehouse"
)

func cmdSearch(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	customer := fs.String("customer", "", "customer id (required)")
	k := fs.Int("k", 10, "number of results")
	mode := fs.String("mode", "hybrid", "hybrid, bm25 or vector")
	domain := fs.String("domain", "", "only this expert domain (CTAX, LAW, TENDER, ETIM, GENERAL)")
	return withPlatform(ctx, "search", args, e, fs, func(p *platform) error {
		q := strings.Join(fs.Args(), " ")
		if *customer == "" || q == "" {
			return errors.New(`usage: 0711 search --customer C [--k 10] [--mode hybrid] "query"`)
		}
		hits, err := p.lake.Search(ctx, *customer, lakehouse.SearchRequest{Query: q, K: *k, Mode: *mode,
			Filters: lakehouse.Filters{Domain: *domain}})
		if err != nil {
			return err
		}
		if len(hits) == 0 {
			fmt.Fprintln(e.stdout, "no results")
			return nil
		}
		for i, h := range hits {
			where := h.Title
			if h.Section != "" {
				where += " › " + h.Section
			}
			if h.Page > 0 {
				where += fmt.Sprintf(" (p. %d)", h.Page)
			}
			fmt.Fprintf(e.stdout, "%2d. %.4f  %s  [%s]\n    %s\n", i+1, h.Score, where, h.ChunkID, snippet(h.Text, 200))
		}
		return nil
	})
}

func snippet(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func cmdSQL(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("sql", flag.ContinueOnError)
	customer := fs.String("customer", "", "customer id (required)")
	return withPlatform(ctx, "sql", args, e, fs, func(p *platform) error {
		q := strings.Join(fs.Args(), " ")
		if *customer == "" || q == "" {
			return errors.New(`usage: 0711 sql --customer C "SELECT …"`)
		}
		res, err := p.lake.Query(ctx, *customer, q)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		var head []string
		for _, c := range res.Columns {
			head = append(head, c.Name)
		}
		fmt.Fprintln(tw, strings.Join(head, "\t"))
		for _, row := range res.Rows {
			cells := make([]string, len(row))
			for i, v := range row {
				if v == nil {
					cells[i] = "NULL"
				} else {
					cells[i] = snippet(fmt.Sprint(v), 60)
				}
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		more := ""
		if res.Truncated {
			more = " (truncated)"
		}
		fmt.Fprintf(e.stdout, "(%d rows%s)\n", len(res.Rows), more)
		return nil
	})
}
