// Command 0711 runs the 0711 platform: the private AI brain of a business.
// Subcommands: serve, migrate, admin, version. Run "0711 help" for usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], env{getenv: os.Getenv, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}))
}

// env is what a subcommand may touch of the outside world, so that tests
// run subcommands in-process with their own.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// ready, when set, is called with the address serve listens on.
	ready func(addr string)
}

type command struct {
	name, usage string
	run         func(ctx context.Context, args []string, e env) error
}

func commands() []command {
	return []command{
		{"serve", "run the platform (HTTP API, console, workers) on one port", cmdServe},
		{"migrate", "bring the metadata database to the newest schema", cmdMigrate},
		{"admin", "operator tasks: create-admin, customers, audit verify", cmdAdmin},
		{"search", "hybrid search over a customer's lakehouse", cmdSearch},
		{"sql", "read-only SQL over a customer's lakehouse tables", cmdSQL},
		{"eval", "search quality on SQuAD: recall and MRR of BM25, vector and hybrid", cmdEval},
		{"ingest", "ingest files and folders into a customer's lakehouse", cmdIngest},
		{"ask", "ask a customer's brain a question; the answer streams, then its sources", cmdAsk},
		{"bench", "benchmarks: 0711 bench lakehouse, 0711 bench ingest", cmdBench},
		{"version", "print the version", cmdVersion},
	}
}

func run(ctx context.Context, args []string, e env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, args[1:], e)
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			if err != nil {
				fmt.Fprintf(e.stderr, "0711 %s: %v\n", c.name, err)
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(e.stderr, "0711: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "0711 — the private AI brain of a business\n\nUsage: 0711 <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "\nRun \"0711 <command> -h\" for the flags of a command. Settings: see .env.example.")
}
