package api_test

import (
	"os"
	"strings"
	"testing"

	"github.com/zero711/brain/internal/api"
)

// TestREADMEListsEveryRoute keeps the README's API table true.
func TestREADMEListsEveryRoute(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range api.New(nil, nil, api.Options{}).Routes() {
		if !strings.Contains(string(readme), "`"+rt.Pattern()+"`") {
			t.Errorf("README.md does not list %s", rt.Pattern())
		}
	}
}
