// Command stakhanov runs the Stakhanov labour-quota and honours system.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/stakhanov/stakhanov"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft limit on the Go heap, so that the collector runs before
		// garbage takes the process past a gigabyte (an import of 25M
		// reports peaked at 1.4 GB with half of it garbage). GOMEMLIMIT
		// sets another.
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	// STAKHANOV_CPUPROFILE=FILE writes a CPU profile of the command, for
	// measuring before optimising (go tool pprof FILE).
	if path := os.Getenv("STAKHANOV_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "stakhanov:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "stakhanov:", err)
			os.Exit(1)
		}
		code := run(ctx, os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, now: time.Now})
		pprof.StopCPUProfile()
		f.Close()
		os.Exit(code)
	}
	os.Exit(run(ctx, os.Args[1:], &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, now: time.Now}))
}

// defaultMemoryLimit is the Go heap's soft limit when GOMEMLIMIT is not
// set: 640 MiB, leaving room under a gigabyte for SQLite's page caches.
const defaultMemoryLimit = 640 << 20

// env is what a command may touch of the outside world, so that tests can
// run commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
}

// errUsage marks an error in how a command was called (exit code 2).
var errUsage = errors.New("usage")

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, e *env) error
}

func commands() []command {
	return []command{
		{"serve", "serve the API on a database", cmdServe},
		{"demo", "create a fresh demo database with the world of 1935 and 2013, and serve it", cmdDemo},
		{"import", "import reports, norms or people from a CSV file", cmdImport},
		{"gen", "fill a fresh database with a generated workload (or write it as files to import)", cmdGen},
		{"reports", "list shifts that held duplicate reports (reports duplicates)", cmdReports},
		{"candidates", "list who qualifies now for an award", cmdCandidates},
		{"bench", "measure the reads the rolling state answers beside the engine alone, on a database made by gen", cmdBench},
		{"state", "check the rolling fulfilment state against the reports (verify), or build it again (rebuild)", cmdState},
		{"decree", "sign a drafted decree", cmdDecree},
		{"credential", "verify a conferral's credential (a VC-JWT or a baked SVG)", cmdCredential},
		{"ledger", "verify the honours ledger (verify), check its proofs offline (check), export it (export)", cmdLedger},
		{"migrate", "bring a database's schema up to date", cmdMigrate},
		{"user", "accounts: add, list, disable, enable, set-role, set-unit, passwd", cmdUser},
		{"token", "bearer tokens: create, list, revoke", cmdToken},
		{"keys", "the signing keys the database knows (keys list), and a new credential key (keys rotate-credential)", cmdKeys},
		{"version", "print the version", cmdVersion},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Stakhanov: norms, shift output and fulfilment, and the honours that reward it.")
	fmt.Fprintln(w, "\nUsage: stakhanov COMMAND [flags] [args]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'stakhanov COMMAND -h' for a command's flags.")
}

// run runs one command line and returns the exit code.
func run(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], e)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintln(e.stderr, err)
			return 2
		default:
			fmt.Fprintln(e.stderr, "stakhanov "+c.name+":", describe(err))
			return 1
		}
	}
	fmt.Fprintf(e.stderr, "stakhanov: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return 2
}

// newFlags returns a flag set for a command whose -h prints its usage line
// and flags.
func newFlags(name, argsUsage, about string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: stakhanov %s [flags] %s\n\n%s\n\nFlags:\n", name, argsUsage, about)
		fs.PrintDefaults()
	}
	return fs
}

// config returns the defaults overlaid with the environment.
func config(e *env) (Config, error) {
	return DefaultConfig().FromEnv(e.getenv)
}

// describe says what went wrong in the user's terms: an application error's
// message (and field), any other error as it is.
func describe(err error) string {
	var e *stakhanov.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}
