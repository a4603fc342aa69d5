package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/extract"
	"github.com/zero711/brain/internal/ingest"
	"github.com/zero711/brain/internal/lakehouse"
	"github.com/zero711/brain/internal/language"
	"github.com/zero711/brain/internal/paths"
	"github.com/zero711/brain/internal/upload"
)

// cmdBenchIngest measures the ingestion pipeline (extract → classify →
// chunk → entities → embed with the built-in embedder → load) over a
// folder of real files, and pdftotext alone over the same PDFs.
func cmdBenchIngest(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("bench ingest", flag.ContinueOnError)
	dir := fs.String("dir", "../shared/corpus/formats", "folder of files to ingest (recursively)")
	limit := fs.Int("limit", 0, "at most this many files (0: all)")
	workers := fs.Int("workers", 2, "files processed at once")
	rounds := fs.Int("rounds", 1, "times the PDFs are ingested (fresh lakehouse each time) to lengthen the measurement")
	cfg, err := loadConfig("bench", args, e, fs)
	if err != nil {
		return err
	}
	files, err := collectFiles([]string{*dir})
	if err != nil {
		return fmt.Errorf("bench ingest: %w (pass --dir)", err)
	}
	files = slices.DeleteFunc(files, func(p string) bool {
		ext := strings.ToLower(filepath.Ext(p))
		return ext == ".json" || ext == ".md" && strings.Contains(p, "README") || strings.Contains(p, "/expected/")
	})
	if *limit > 0 && len(files) > *limit {
		files = files[:*limit]
	}
	if len(files) == 0 {
		return errors.New("bench ingest: no files")
	}
	var pdfs []string
	for _, f := range files {
		if strings.EqualFold(filepath.Ext(f), ".pdf") && textPDF(ctx, f) {
			pdfs = append(pdfs, f)
		}
	}
	fmt.Fprintf(e.stdout, "ingesting %d files (%d text PDFs) from %s with %d workers …\n", len(files), len(pdfs), *dir, *workers)
	all, err := benchPipeline(ctx, cfg.DataDir, files, *workers, 1)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "all files: %s\n", all)
	if len(pdfs) == 0 {
		return nil
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		fmt.Fprintln(e.stdout, "pdftotext is not installed: no PDF comparison")
		return nil
	}
	pipe, err := benchPipeline(ctx, cfg.DataDir, pdfs, *workers, *rounds)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "text PDFs, whole pipeline: %s\n", pipe)
	tool, err := benchPdftotext(ctx, pdfs, *workers, *rounds)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "text PDFs, pdftotext alone: %.2f MB/s, %.1f files/s\n", tool.mbps(), tool.filesPerSec())
	fmt.Fprintf(e.stdout, "pipeline / pdftotext throughput: %.0f %% (target ≥ 50 %%)\n", 100*pipe.mbps()/tool.mbps())
	return nil
}

type benchResult struct {
	files, docs, failed, chunks int
	bytes                       int64
	wall                        time.Duration
	stages                      ingest.StageTimes
	reasons                     map[string]int
}

func (r benchResult) mbps() float64        { return float64(r.bytes) / 1e6 / r.wall.Seconds() }
func (r benchResult) filesPerSec() float64 { return float64(r.files) / r.wall.Seconds() }

func (r benchResult) String() string {
	total := r.stages.Fetch + r.stages.Extract + r.stages.Analyze + r.stages.Load
	share := func(d time.Duration) float64 {
		if total == 0 {
			return 0
		}
		return 100 * float64(d) / float64(total)
	}
	return fmt.Sprintf("%d files, %.1f MB in %s: %.2f MB/s, %.1f files/s, %.1f documents/s, %d chunks, %d failed %v\n"+
		"  time per stage: fetch %.0f %%, extract %.0f %%, classify+chunk+entities %.0f %%, embed+load %.0f %%",
		r.files, float64(r.bytes)/1e6, r.wall.Round(time.Millisecond), r.mbps(), r.filesPerSec(),
		float64(r.docs)/r.wall.Seconds(), r.chunks, r.failed, r.reasons,
		share(r.stages.Fetch), share(r.stages.Extract), share(r.stages.Analyze), share(r.stages.Load))
}

// benchPipeline runs the pipeline over files (rounds times, each into a
// fresh scratch lakehouse) with workers goroutines.
func benchPipeline(ctx context.Context, dataDir string, files []string, workers, rounds int) (benchResult, error) {
	res := benchResult{reasons: map[string]int{}}
	for range max(rounds, 1) {
		dir, err := scratchDir(dataDir, "bench-ingest")
		if err != nil {
			return res, err
		}
		defer os.RemoveAll(dir)
		cp, err := paths.New(paths.Development, dir)
		if err != nil {
			return res, err
		}
		lh, err := scratchLakehouse(dir, 0, lakehouse.BuiltinVectorWeight)
		if err != nil {
			return res, err
		}
		defer lh.Close()
		uploads := upload.New(upload.NewLocalBuckets(cp), nil)
		var queue []*brain.IngestFile
		for i, path := range files {
			f, err := os.Open(path)
			if err != nil {
				return res, err
			}
			obj, _, err := uploads.Put(ctx, "bench", filepath.Base(path), f, 0)
			f.Close()
			if err != nil {
				return res, err
			}
			queue = append(queue, &brain.IngestFile{JobID: "bench", CustomerID: "bench", Seq: i + 1, Object: obj.Name,
				Filename: obj.Filename, Size: obj.Size, SHA256: obj.SHA256, Attempts: 1})
		}
		x := extract.Builtin(extract.Options{Timeout: 2 * time.Minute,
			DetectLanguage: func(s string) string { l, _ := language.Detect(s); return l }})
		pipe := &ingest.Pipeline{Lake: lh, Objects: uploads, Extractor: x, Staging: cp.Staging}
		var mu sync.Mutex
		var firstErr error
		next := make(chan *brain.IngestFile)
		var wg sync.WaitGroup
		start := time.Now()
		for range max(workers, 1) {
			wg.Go(func() {
				for f := range next {
					out, err := pipe.Process(ctx, f, nil)
					mu.Lock()
					if err != nil && firstErr == nil {
						firstErr = fmt.Errorf("%s: %w", f.Filename, err)
					}
					res.files++
					res.bytes += f.Size
					res.docs += out.Documents
					res.chunks += out.Chunks
					res.stages.Add(out.Stages)
					if out.Status == brain.FileFailed {
						res.failed++
						res.reasons[out.Reason]++
					}
					mu.Unlock()
				}
			})
		}
		for _, f := range queue {
			next <- f
		}
		close(next)
		wg.Wait()
		res.wall += time.Since(start)
		if firstErr != nil {
			return res, firstErr
		}
	}
	return res, nil
}

// benchPdftotext runs pdftotext over the PDFs the same way.
func benchPdftotext(ctx context.Context, pdfs []string, workers, rounds int) (benchResult, error) {
	var res benchResult
	for range max(rounds, 1) {
		next := make(chan string)
		var wg sync.WaitGroup
		var mu sync.Mutex
		start := time.Now()
		for range max(workers, 1) {
			wg.Go(func() {
				for p := range next {
					st, err := os.Stat(p)
					if err != nil {
						continue
					}
					_ = exec.CommandContext(ctx, "pdftotext", "-enc", "UTF-8", p, "-").Run()
					mu.Lock()
					res.files++
					res.bytes += st.Size()
					mu.Unlock()
				}
			})
		}
		for _, p := range pdfs {
			next <- p
		}
		close(next)
		wg.Wait()
		res.wall += time.Since(start)
	}
	return res, nil
}

// textPDF reports whether every page of the PDF has a text layer (at
// least 20 characters), so that the comparison with pdftotext leaves OCR
// out: pdftotext alone does none.
func textPDF(ctx context.Context, path string) bool {
	out, err := exec.CommandContext(ctx, "pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		return false
	}
	pages := strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
	for _, p := range pages {
		if len(strings.Join(strings.Fields(p), "")) < 20 {
			return false
		}
	}
	return len(pages) > 0
}
