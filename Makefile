# The Makefile is the contract: make run, make test, make lint, make bench.
GO        ?= go
BIN       ?= bin/0711
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
BENCHTIME ?= 3s
FUZZTIME  ?= 30s

.PHONY: run build test lint bench fuzz clean

## run: start the whole platform on :4080 with embedded defaults (data in ./data)
run:
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/0711 serve --deployment-type development

## build: build the 0711 binary into bin/
build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/0711

## test: every test, with the race detector; PostgreSQL tests use 127.0.0.1:5432
test:
	$(GO) test -race -count=1 -timeout 30m ./...

## lint: formatting, vet and staticcheck
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@command -v staticcheck >/dev/null 2>&1 || $(GO) install honnef.co/go/tools/cmd/staticcheck@v0.8.2
	$$( $(GO) env GOPATH )/bin/staticcheck ./...

## bench: the benchmarks (never timed tests): API throughput and latency on SQLite and PostgreSQL
bench:
	$(GO) test -run '^$$' -bench . -benchtime $(BENCHTIME) ./...

## fuzz: run each fuzz target for FUZZTIME
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

clean:
	rm -rf bin
