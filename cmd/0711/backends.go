package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strings"

	"github.com/zero711/brain/internal/api"
	"github.com/zero711/brain/internal/store"
)

type dbBackend struct {
	s    store.Store
	path string
}

func (dbBackend) Name() string { return "database" }

func (b dbBackend) Check(ctx context.Context) api.BackendStatus {
	st := api.BackendStatus{Kind: b.s.Kind(), Builtin: b.s.Kind() == "sqlite", Detail: b.path}
	if err := b.s.Ping(ctx); err != nil {
		st.Err = err.Error()
	}
	return st
}

type dataDirBackend struct{ dir string }

func (dataDirBackend) Name() string { return "data_dir" }

func (b dataDirBackend) Check(context.Context) api.BackendStatus {
	st := api.BackendStatus{Kind: "filesystem", Detail: b.dir}
	if err := writable(b.dir); err != nil {
		st.Err = err.Error()
	}
	return st
}

type mailBackend struct {
	kind, detail string
	builtin      bool
	check        func(context.Context) error
}

func (mailBackend) Name() string { return "email" }

func (b mailBackend) Check(ctx context.Context) api.BackendStatus {
	st := api.BackendStatus{Kind: b.kind, Builtin: b.builtin, Detail: b.detail}
	if err := b.check(ctx); err != nil {
		st.Err = err.Error()
	}
	return st
}

// writable reports whether a file can be created in dir.
func writable(dir string) error {
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

func dialCheck(ctx context.Context, addr string) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return c.Close()
}

// staticBackend reports a part whose state is fixed by configuration.
type staticBackend struct {
	name string
	st   api.BackendStatus
}

func (b staticBackend) Name() string { return b.name }

func (b staticBackend) Check(context.Context) api.BackendStatus { return b.st }

// toolsBackend reports which external extraction tools are installed:
// without them the formats they serve fail with a clear reason (or fall
// back), so /readyz says so.
type toolsBackend struct{}

func (toolsBackend) Name() string { return "extraction-tools" }

func (toolsBackend) Check(context.Context) api.BackendStatus {
	var have, missing []string
	for _, tool := range []string{"pdftotext", "pdftoppm", "tesseract", "antiword", "catdoc", "xls2csv", "catppt"} {
		if _, err := exec.LookPath(tool); err == nil {
			have = append(have, tool)
		} else {
			missing = append(missing, tool)
		}
	}
	st := api.BackendStatus{Kind: "external tools", Detail: "installed: " + strings.Join(have, " ")}
	if len(missing) > 0 {
		st.Detail += "; missing (those formats degrade): " + strings.Join(missing, " ")
	}
	return st
}
