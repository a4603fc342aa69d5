package ingest_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/blob"
	"github.com/zero711/brain/internal/embed"
	"github.com/zero711/brain/internal/extract"
	"github.com/zero711/brain/internal/ingest"
	"github.com/zero711/brain/internal/lakehouse"
	"github.com/zero711/brain/internal/paths"
	"github.com/zero711/brain/internal/paths/pathstest"
	"github.com/zero711/brain/internal/store"
	"github.com/zero711/brain/internal/store/sqlite"
	"github.com/zero711/brain/internal/store/storetest"
	"github.com/zero711/brain/internal/upload"
)

// flaky fails the first n opens of every object, as a storage outage
// would.
type flaky struct {
	*upload.Store
	n     int32
	calls atomic.Int32
}

func (f *flaky) Open(ctx context.Context, customerID, name string) (blob.Reader, error) {
	if f.calls.Add(1) <= f.n {
		return nil, errors.New("connection reset by peer")
	}
	return f.Store.Open(ctx, customerID, name)
}

type env struct {
	svc     *ingest.Service
	store   store.Store
	uploads *upload.Store
	lake    *lakehouse.Lakehouse
	objects *flaky
}

func newEnv(t *testing.T, failures int32, maxAttempts int) *env {
	t.Helper()
	dir := pathstest.Dir(t)
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c, u := storetest.NewCustomer("acme")
	if err := st.CreateCustomer(context.Background(), c, u); err != nil {
		t.Fatal(err)
	}
	cp, err := paths.New(paths.Development, dir)
	if err != nil {
		t.Fatal(err)
	}
	em, _ := embed.NewBuiltin(embed.BuiltinConfig{})
	lake := lakehouse.New(lakehouse.NewDiskStorage(cp), em, lakehouse.Options{})
	t.Cleanup(func() { lake.Close() })
	uploads := upload.New(upload.NewLocalBuckets(cp), nil)
	obj := &flaky{Store: uploads, n: failures}
	pipe := &ingest.Pipeline{Lake: lake, Objects: obj, Extractor: extract.Builtin(extract.Options{TempDir: t.TempDir()}), Staging: cp.Staging}
	svc := ingest.NewService(st, pipe, ingest.Options{Workers: 2, Backoff: 10 * time.Millisecond, Poll: 20 * time.Millisecond,
		MaxAttempts: maxAttempts})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { svc.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return &env{svc: svc, store: st, uploads: uploads, lake: lake, objects: obj}
}

func (e *env) submit(t *testing.T, files map[string]string) *brain.IngestJob {
	t.Helper()
	var list []*brain.IngestFile
	for name, text := range files {
		obj, _, err := e.uploads.Put(context.Background(), "acme", name, strings.NewReader(text), 0)
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, &brain.IngestFile{Object: obj.Name, Filename: obj.Filename, Size: obj.Size, SHA256: obj.SHA256})
	}
	j := ingest.NewJob("acme", "test", "tester", nil, time.Now())
	if err := e.svc.Submit(context.Background(), j, list); err != nil {
		t.Fatal(err)
	}
	return j
}

func (e *env) wait(t *testing.T, id string) *brain.IngestJob {
	t.Helper()
	events, err := e.svc.Watch(context.Background(), "acme", id)
	if err != nil {
		t.Fatal(err)
	}
	var last *brain.IngestJob
	timeout := time.After(60 * time.Second)
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				return last
			}
			last = ev.Job
		case <-timeout:
			t.Fatalf("job not finished: %+v", last)
		}
	}
}

// TestTransientFailuresRetried: a storage outage is retried with backoff
// until the file goes through.
func TestTransientFailuresRetried(t *testing.T) {
	e := newEnv(t, 2, 5)
	j := e.submit(t, map[string]string{"a.txt": "Die Müller GmbH liefert Schrauben an die Meier AG."})
	got := e.wait(t, j.ID)
	files, _ := e.store.IngestFiles(context.Background(), "acme", j.ID)
	if got.Status != brain.JobCompleted || got.Done != 1 || files[0].Attempts != 3 {
		t.Fatalf("job %+v, file %+v", got, files[0])
	}
}

// TestGivesUpAfterMaxAttempts: a failure that persists ends as failed
// with its reason, and does not block the job.
func TestGivesUpAfterMaxAttempts(t *testing.T) {
	e := newEnv(t, 1000, 3)
	j := e.submit(t, map[string]string{"a.txt": "Text."})
	got := e.wait(t, j.ID)
	files, _ := e.store.IngestFiles(context.Background(), "acme", j.ID)
	if got.Status != brain.JobFailed || files[0].Status != brain.FileFailed || files[0].Attempts != 3 ||
		!strings.Contains(files[0].Error, "connection reset") {
		t.Fatalf("job %+v, file %+v", got, files[0])
	}
}

// TestEntitiesAndTables: the pipeline's analysis reaches the lakehouse:
// entities with relationships, the domain, and a typed table.
func TestEntitiesAndTables(t *testing.T) {
	e := newEnv(t, 0, 3)
	j := e.submit(t, map[string]string{
		"steuer.txt": "Die Müller Bau GmbH zahlt nach § 8 Abs. 1 KStG am 31.03.2025 Körperschaftsteuer von 12.500,00 € an das Finanzamt. Umsatzsteuer-Voranmeldung und Steuerbescheid folgen.",
		"preise.csv": "Artikel,Preis,Lieferdatum,PLZ\nSchraube,0.12,2024-01-31,01067\nMutter,0.08,2024-02-29,80331\n",
	})
	if got := e.wait(t, j.ID); got.Done != 2 {
		t.Fatalf("job %+v", got)
	}
	ctx := context.Background()
	ents, err := e.lake.FindEntities(ctx, "acme", "Müller", "", 10)
	if err != nil || len(ents) == 0 {
		t.Fatalf("entities: %+v, %v", ents, err)
	}
	nb, err := e.lake.Neighbours(ctx, "acme", ents[0].ID, 10)
	if err != nil || len(nb) == 0 {
		t.Fatalf("no relationships of %s: %v", ents[0].Name, err)
	}
	page, _ := e.lake.ListDocuments(ctx, "acme", "CTAX", 0, 10)
	if page.Total != 1 || page.Documents[0].Title != "steuer.txt" {
		t.Fatalf("CTAX documents: %+v", page)
	}
	tables, err := e.lake.Tables(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tb := range tables {
		if tb.Name == "t_preise" {
			found = true
			types := map[string]string{}
			for _, c := range tb.Columns {
				types[c.Name] = c.Type
			}
			if types["preis"] != "double" || types["lieferdatum"] != "date" || types["plz"] != "string" || types["artikel"] != "string" {
				t.Errorf("column types %v", types)
			}
		}
	}
	if !found {
		t.Fatalf("no typed table t_preise in %+v", tables)
	}
}
