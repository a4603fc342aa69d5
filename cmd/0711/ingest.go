package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/ingest"
)

// cmdIngest uploads files and folders into a customer's bucket and ingests
// them with this process's workers, showing progress and a summary.
func cmdIngest(ctx context.Context, args []string, e env) error {
	fset := flag.NewFlagSet("ingest", flag.ContinueOnError)
	customer := fset.String("customer", "", "customer id (required)")
	mcps := fset.String("selected-mcps", "", "experts to classify the files to, comma-separated (ctax, law, tender, etim)")
	quiet := fset.Bool("quiet", false, "no progress bar")
	return withPlatform(ctx, "ingest", args, e, fset, func(p *platform) error {
		roots := fset.Args()
		if *customer == "" || len(roots) == 0 {
			return errors.New("usage: 0711 ingest --customer C [--selected-mcps ctax,law] PATH…")
		}
		if _, err := p.store.Customer(ctx, *customer); err != nil {
			return fmt.Errorf("customer %q: %w", *customer, err)
		}
		files, err := collectFiles(roots)
		if err != nil {
			return err
		}
		if len(files) == 0 {
			return errors.New("no files found under " + strings.Join(roots, ", "))
		}
		var selected []string
		for _, m := range strings.Split(*mcps, ",") {
			if m = strings.TrimSpace(m); m != "" {
				selected = append(selected, m)
			}
		}
		// Store every file in the bucket first, as an upload would.
		var bar *progressbar.ProgressBar
		if !*quiet {
			bar = progressbar.NewOptions(len(files), progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("storing "),
				progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
		}
		var jobFiles []*brain.IngestFile
		start := time.Now()
		for _, path := range files {
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			obj, _, err := p.uploads.Put(ctx, *customer, filepath.Base(path), f, p.cfg.Ingest.MaxFileBytes)
			f.Close()
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			jobFiles = append(jobFiles, &brain.IngestFile{Object: obj.Name, Filename: obj.Filename, Size: obj.Size, SHA256: obj.SHA256})
			if bar != nil {
				bar.Add(1)
			}
		}
		job := ingest.NewJob(*customer, "cli", "cli", selected, time.Now())
		if err := p.ingest.Submit(ctx, job, jobFiles); err != nil {
			return err
		}
		wctx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Go(func() { p.ingest.Run(wctx) })
		defer func() { stop(); wg.Wait() }()
		events, err := p.ingest.Watch(ctx, *customer, job.ID)
		if err != nil {
			return err
		}
		if !*quiet {
			bar = progressbar.NewOptions(len(files), progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("ingesting "),
				progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish())
		}
		for ev := range events {
			if bar != nil {
				bar.Set(ev.Job.Done + ev.Job.Skipped + ev.Job.Failed)
			}
		}
		if bar != nil {
			bar.Finish()
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("interrupted; job %s resumes with the next 0711 serve or ingest: %w", job.ID, err)
		}
		return ingestSummary(ctx, p, e, *customer, job.ID, time.Since(start))
	})
}

func ingestSummary(ctx context.Context, p *platform, e env, customer, jobID string, took time.Duration) error {
	j, err := p.store.IngestJob(ctx, customer, jobID)
	if err != nil {
		return err
	}
	files, err := p.store.IngestFiles(ctx, customer, jobID)
	if err != nil {
		return err
	}
	var bytes int64
	reasons := map[string]int{}
	handlers := map[string]int{}
	for _, f := range files {
		bytes += f.Size
		if f.Status == brain.FileFailed {
			reasons[f.Reason]++
		} else if f.Handler != "" {
			handlers[f.Handler]++
		}
	}
	fmt.Fprintf(e.stdout, "job %s %s in %s: %d files (%.1f MB), %d ingested, %d unchanged, %d failed, %d chunks\n",
		j.ID, j.Status, took.Round(time.Millisecond), j.Total, float64(bytes)/1e6, j.Done, j.Skipped, j.Failed, j.Chunks)
	fmt.Fprintf(e.stdout, "handlers: %s\n", countList(handlers))
	if j.Failed > 0 {
		fmt.Fprintf(e.stdout, "failures: %s\n", countList(reasons))
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		for _, f := range files {
			if f.Status == brain.FileFailed {
				fmt.Fprintf(tw, "  %s\t%s\t%s\n", f.Filename, f.Reason, snippet(f.Error, 160))
			}
		}
		tw.Flush()
	}
	return nil
}

func countList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// collectFiles lists the regular files under roots, recursively, skipping
// hidden files and folders and symbolic links.
func collectFiles(roots []string) ([]string, error) {
	var out []string
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path != root && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
