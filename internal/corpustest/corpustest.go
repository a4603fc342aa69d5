// Package corpustest finds the shared corpus of real files written by
// others (../shared/corpus from the repository root) for tests and
// benchmarks, which skip with a clear message where it is absent.
package corpustest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Find returns the absolute path of shared/corpus/sub, looked for in the
// working directory and its parents, or "" when there is none.
func Find(sub string) string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, "shared", "corpus", sub)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Dir is Find that skips tb when the corpus is absent.
func Dir(tb testing.TB, sub string) string {
	tb.Helper()
	p := Find(sub)
	if p == "" {
		tb.Skipf("shared corpus not found: no shared/corpus/%s in any parent directory (it lies next to the repository as ../shared)", sub)
	}
	return p
}

// TikaAsserts reads Tika's expected_asserts.json at path and returns, per
// file name, the strings Tika's single-document tests expect in the text
// ("contains", "contains_true"), leaving out markup, file names and the
// like that concern Tika's XHTML or metadata, and the strings of tests
// over several files (archive members). A missing file gives nil.
func TikaAsserts(tb testing.TB, path string) map[string][]string {
	tb.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Logf("no asserts: %v", err)
		return nil
	}
	var all map[string][]struct {
		Docs         []string `json:"docs_in_method"`
		Contains     []string `json:"contains"`
		ContainsTrue []string `json:"contains_true"`
	}
	if err := json.Unmarshal(raw, &all); err != nil {
		tb.Fatal(err)
	}
	out := make(map[string][]string)
	for file, methods := range all {
		seen := make(map[string]bool)
		for _, m := range methods {
			if len(m.Docs) != 1 {
				continue // archive tests: the strings belong to members
			}
			for _, s := range append(m.Contains, m.ContainsTrue...) {
				if seen[s] || !textAssert(s) {
					continue
				}
				seen[s] = true
				out[file] = append(out[file], s)
			}
		}
		sort.Strings(out[file])
	}
	return out
}

var fileName = regexp.MustCompile(`^[\w./-]+\.\w{2,4}$`)

func textAssert(s string) bool {
	return strings.TrimSpace(s) != "" && !strings.ContainsAny(s, "<>\"=") && !fileName.MatchString(s) &&
		!strings.Contains(s, "Exception") && !strings.Contains(s, "timeout")
}
