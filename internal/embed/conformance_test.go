package embed_test

import (
	"testing"

	"github.com/zero711/brain/internal/embed"
	"github.com/zero711/brain/internal/embed/embedtest"
)

func TestBuiltinConformance(t *testing.T) {
	t.Parallel()
	b, err := embed.NewBuiltin(embed.BuiltinConfig{})
	if err != nil {
		t.Fatal(err)
	}
	embedtest.Run(t, b)
}
