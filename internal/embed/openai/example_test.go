package openai_test

import (
	"context"
	"fmt"
	"log"

	"github.com/zero711/brain/internal/embed"
	"github.com/zero711/brain/internal/embed/openai"
)

// A client for multilingual-e5-large on a vLLM or TEI server; e5's
// "query: " and "passage: " prefixes are added automatically.
func ExampleNew() {
	c, err := openai.New(openai.Config{
		BaseURL: "http://embeddings:8000/v1",
		Model:   "intfloat/multilingual-e5-large",
		Dim:     1024,
	})
	if err != nil {
		log.Fatal(err)
	}
	q, p := c.Prefixes()
	fmt.Printf("%q %q\n", q, p)

	var e embed.Embedder = c
	vs, err := e.Embed(context.Background(), []string{"Wer erhebt die Gewerbesteuer?"}, embed.Query)
	if err != nil {
		log.Printf("embeddings service down: %v", err)
		return
	}
	fmt.Println(len(vs[0]))
}
