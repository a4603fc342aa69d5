package lakehouse_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/zero711/brain/internal/blob/s3"
	"github.com/zero711/brain/internal/embed"
	"github.com/zero711/brain/internal/lakehouse"
	"github.com/zero711/brain/internal/paths"
	"github.com/zero711/brain/internal/paths/pathstest"
)

// TestOnS3 runs a customer's lakehouse on an S3 server (gofakes3 in
// process): tables in the bucket customer-{id}, indexes on local disk, a
// second node over the same bucket, and SQL over a local copy of the
// data files.
func TestOnS3(t *testing.T) {
	t.Parallel()
	ts := httptest.NewTLSServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(ts.Close)
	cfg := s3.Config{Endpoint: strings.TrimPrefix(ts.URL, "https://"), AccessKey: "k", SecretKey: "s",
		Region: "us-east-1", UseSSL: true, Transport: ts.Client().Transport}
	open := func() *lakehouse.Lakehouse {
		p, err := paths.New(paths.Development, pathstest.Dir(t))
		if err != nil {
			t.Fatal(err)
		}
		em, _ := embed.NewBuiltin(embed.BuiltinConfig{})
		lh := lakehouse.New(lakehouse.NewS3Storage(cfg, p), em, lakehouse.Options{})
		t.Cleanup(func() { lh.Close() })
		return lh
	}
	ctx := context.Background()
	node1, node2 := open(), open()
	for _, nd := range corpus {
		if _, err := node1.AddDocument(ctx, "acme", nd); err != nil {
			t.Fatal(err)
		}
	}
	hits := top(t, node2, "acme", lakehouse.SearchRequest{Query: "Brücke Elbe Hamburg"})
	if len(hits) == 0 || hits[0].DocumentID != "tender-42" {
		t.Fatalf("second node on the same bucket: %+v", hits)
	}
	if err := node2.DeleteDocument(ctx, "acme", "tender-42"); err != nil {
		t.Fatal(err)
	}
	st, err := node2.Stats(ctx, "acme")
	if err != nil || st.Documents != 2 {
		t.Fatalf("stats %+v %v", st, err)
	}
	// SQL reads a local copy of the current data files.
	if ok, _ := lakehouse.SQLAvailable(); ok {
		res, err := node1.Query(ctx, "acme", "SELECT count(*) FROM documents")
		if err != nil || len(res.Rows) != 1 || fmt.Sprint(res.Rows[0][0]) != "2" {
			t.Fatalf("SQL on S3: %+v, %v", res, err)
		}
		res, err = node2.Query(ctx, "acme", "SELECT count(*) FROM chunks WHERE document_id = 'tender-42'")
		if err != nil || fmt.Sprint(res.Rows[0][0]) != "0" {
			t.Fatalf("SQL on S3 after a delete on the other node: %+v, %v", res, err)
		}
	}
}
