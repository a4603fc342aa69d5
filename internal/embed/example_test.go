package embed_test

import (
	"context"
	"fmt"
	"log"

	"github.com/zero711/brain/internal/embed"
)

func ExampleBuiltin() {
	e, err := embed.NewBuiltin(embed.BuiltinConfig{})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	q, err := e.Embed(ctx, []string{"Wer erhebt die Gewerbesteuer?"}, embed.Query)
	if err != nil {
		log.Fatal(err)
	}
	passages := []string{
		"Die Gewerbesteuer wird von den Gemeinden erhoben.",
		"Der Rhein fließt in die Nordsee.",
	}
	ps, err := e.Embed(ctx, passages, embed.Passage)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(e.Model())
	for i, p := range ps {
		fmt.Printf("%.2f %s\n", embed.Dot(q[0], p), passages[i])
	}
	// Output:
	// builtin-hash-v1-384
	// 0.58 Die Gewerbesteuer wird von den Gemeinden erhoben.
	// 0.08 Der Rhein fließt in die Nordsee.
}
