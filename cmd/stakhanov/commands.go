package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/csvimport"
	"github.com/stakhanov/stakhanov/demo"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

func newLogger(c Config, w io.Writer) (*slog.Logger, error) {
	level, err := c.slogLevel()
	if err != nil {
		return nil, err
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})), nil
}

func cmdServe(ctx context.Context, args []string, e *env) error {
	c, err := config(e)
	if err != nil {
		return err
	}
	fs := newFlags("serve", "", "Serve the JSON API (under /api/v1) on the database.", e)
	c.serverFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	return serve(ctx, c, e, "", nil)
}

// serve opens a Main and serves until ctx ends. signInNote is shown under
// the web sign-in form. ready, if set, runs once the server listens.
func serve(ctx context.Context, c Config, e *env, signInNote string, ready func(*Main) error) error {
	logger, err := newLogger(c, e.stderr)
	if err != nil {
		return err
	}
	m := NewMain()
	m.Config, m.Logger, m.Now, m.SignInNote = c, logger, e.now, signInNote
	// With something to get ready first, nothing is answered before it is
	// (the demo's registry is not shown empty while it is seeded).
	m.Hold = ready != nil
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()
	if ready != nil {
		if err := ready(m); err != nil {
			return err
		}
		m.StartServing()
	}
	logger.Info("serving", "url", m.URL(), "db", redactDB(c.DB))
	return m.Wait(ctx)
}

// redactDB hides a password in a database URL before it is logged.
func redactDB(db string) string {
	if !isPostgres(db) {
		return db
	}
	if u, err := url.Parse(db); err == nil {
		return u.Redacted()
	}
	return "postgres://..."
}

// demoDB is where `stakhanov demo` keeps its database.
const demoDB = "stakhanov-demo.db"

func cmdDemo(ctx context.Context, args []string, e *env) error {
	c, err := config(e)
	if err != nil {
		return err
	}
	c.DB = demoDB
	fs := newFlags("demo", "", "Create a fresh SQLite database holding the world of the seed articles\n"+
		"(the Tsentralnaya-Irmino mine in 1935, the Heroes of Labour of 2013),\n"+
		"print a token for each role's demo account, and serve it.", e)
	c.serverFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if isPostgres(c.DB) {
		return fmt.Errorf("%w: demo creates a fresh embedded database; give a file path, not a postgres:// URL", errUsage)
	}
	// A fresh demo is a fresh history: its ledger and credentials get new
	// keys too, unless keys were given.
	stale := []string{c.DB, c.DB + "-wal", c.DB + "-shm"}
	if c.LedgerKey == "" {
		stale = append(stale, c.LedgerKeyPath())
	}
	if c.CredentialKey == "" {
		stale = append(stale, c.credentialKeyPath())
	}
	for _, f := range stale {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	note := "Demo: each account's password is its name followed by -demo, e.g. worker / worker-demo."
	return serve(ctx, c, e, note, func(m *Main) error {
		w, err := demo.Seed(ctx, m.Store, m.Now())
		if err != nil {
			return fmt.Errorf("seed the demo: %w", err)
		}
		printDemo(e.stdout, m.URL(), c.DB, w)
		return nil
	})
}

func printDemo(out io.Writer, base, db string, w *demo.World) {
	fmt.Fprintf(out, "Stakhanov demo: %s (database %s)\n\nDemo accounts: sign in at %s/signin with USER and PASSWORD (every password is the\nuser's name followed by -demo), or call the API with Authorization: Bearer TOKEN:\n", base, db, base)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROLE\tUSER\tPASSWORD\tTOKEN")
	var worker string
	for _, a := range w.Accounts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Role, a.Name, a.Password, a.Token)
		if a.Role == stakhanov.RoleWorker {
			worker = a.Token
		}
	}
	tw.Flush()
	var committee []string
	for i, stage := range w.Committee {
		names := make([]string, len(stage))
		for j, a := range stage {
			names[j] = a.Name
		}
		committee = append(committee, fmt.Sprintf("stage %d: %s", i+1, strings.Join(names, ", ")))
	}
	fmt.Fprintf(out, "\nHero of Labour committee (sign in the same way; %s may not vote on Melnik):\n  %s\n", w.Conflicted, strings.Join(committee, "\n  "))
	fmt.Fprintf(out, "A verifier who witnessed the record shift, and so may not verify it: %s (password %s, token %s)\n",
		w.WitnessVerifier.Name, w.WitnessVerifier.Password, w.WitnessVerifier.Token)
	fmt.Fprintf(out, "\nThe public registry: %s/registry   (API: %s/api/v1/registry?q=Gergiev)\n", base, base)
	fmt.Fprintf(out, "\nAlexei Stakhanov's shift of 31 August 1935, against his norm:\n  curl -H 'Authorization: Bearer %s' %s/api/v1/reports/%d\n",
		worker, base, w.RecordReport)
	fmt.Fprintf(out, "His fulfilment by month:\n  curl -H 'Authorization: Bearer %s' '%s/api/v1/fulfilment?subject=person:%d&period=month'\n\n",
		worker, base, w.Stakhanov)
}

func cmdImport(ctx context.Context, args []string, e *env) error {
	c, err := config(e)
	if err != nil {
		return err
	}
	about := "Import a CSV file (or - for standard input). Every line is checked first;\n" +
		"if any is bad, all bad lines are listed and nothing is imported.\n" +
		"Lines imported before (same key) are not imported again.\n\nColumns:\n" +
		"  reports: " + fmt.Sprint(csvimport.ReportsHeader) + "\n" +
		"  norms:   " + fmt.Sprint(csvimport.NormsHeader) + "\n" +
		"  people:  " + fmt.Sprint(csvimport.PeopleHeader)
	fs := newFlags("import", "reports|norms|people FILE", about, e)
	c.dbFlag(fs)
	token := fs.String("token", e.getenv("STAKHANOV_TOKEN"), "bearer token of the user importing (env STAKHANOV_TOKEN)")
	userName := fs.String("user", "", "import as this user, for an operator with access to the database")
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fs.Usage()
		if len(args) == 0 {
			return fmt.Errorf("%w: stakhanov import reports|norms|people [flags] FILE", errUsage)
		}
		return flag.ErrHelp
	}
	kind := args[0]
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: stakhanov import %s [flags] FILE", errUsage, kind)
	}
	s, err := openStore(ctx, c.DB, e.now, c.storeOptions()...)
	if err != nil {
		return err
	}
	defer s.Close()
	who, err := actingUser(ctx, s, *token, *userName)
	if err != nil {
		return err
	}
	ctx = stakhanov.NewContext(ctx, who)

	var in io.Reader = e.stdin
	var size int64
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
		in = f
	}
	progress := csvimport.NewProgress(in, size, e.stderr)
	var res stakhanov.ImportResult
	switch kind {
	case "reports":
		res, err = s.ImportReports(ctx, csvimport.Reports(progress))
	case "norms":
		res, err = s.ImportNorms(ctx, csvimport.Norms(progress))
	case "people":
		res, err = s.ImportPeople(ctx, csvimport.People(progress))
	default:
		return fmt.Errorf("%w: import reports, norms or people, not %q", errUsage, kind)
	}
	progress.Finish()
	var bad *stakhanov.ImportError
	if errors.As(err, &bad) {
		for _, l := range bad.Lines {
			fmt.Fprintln(e.stderr, l.String())
		}
		if bad.Truncated > 0 {
			fmt.Fprintf(e.stderr, "... and %d more bad lines\n", bad.Truncated)
		}
		return err
	} else if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d lines read: %d %s imported, %d already present\n", res.Lines, res.Created, kind, res.Existing)
	return nil
}

func cmdMigrate(ctx context.Context, args []string, e *env) error {
	c, err := config(e)
	if err != nil {
		return err
	}
	fs := newFlags("migrate", "", "Apply the schema migrations the database lacks. serve and import do this too.", e)
	c.dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := openStore(ctx, c.DB, e.now, c.storeOptions()...)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintf(e.stdout, "%s database %s: schema up to date\n", s.Dialect().Name(), redactDB(c.DB))
	return nil
}

func cmdUser(ctx context.Context, args []string, e *env) error {
	c, err := config(e)
	if err != nil {
		return err
	}
	fs := newFlags("user add", "NAME", "Add an account with a role, scoped to a unit (all units if -unit is 0),\nand print a bearer token for it.", e)
	c.dbFlag(fs)
	role := fs.String("role", "", "role: "+fmt.Sprint(stakhanov.Roles))
	unit := fs.Int64("unit", 0, "id of the unit the account is limited to (0: the whole organisation)")
	person := fs.Int64("person", 0, "id of the person the account belongs to, if any")
	passwordStdin := fs.Bool("password-stdin", false, "read the account's web sign-in password from the first line of standard input")
	if len(args) > 0 {
		if sub, ok := userCommands[args[0]]; ok {
			return sub(ctx, args[1:], e)
		}
	}
	if len(args) == 0 || args[0] != "add" {
		fs.Usage()
		return fmt.Errorf("%w: stakhanov user add|list|disable|enable|set-role|set-unit|passwd [flags] ...", errUsage)
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: stakhanov user add [flags] NAME", errUsage)
	}
	var password string
	if *passwordStdin {
		if password, err = readPassword(e.stdin); err != nil {
			return err
		}
	}
	s, err := openStore(ctx, c.DB, e.now, c.storeOptions()...)
	if err != nil {
		return err
	}
	defer s.Close()
	u := &stakhanov.User{Name: fs.Arg(0), Role: *role, UnitID: *unit, PersonID: *person}
	if err := s.CreateUser(systemContext(ctx), u); err != nil {
		return err
	}
	if *passwordStdin {
		if err := s.SetPassword(systemContext(ctx), u.ID, password); err != nil {
			return err
		}
	}
	token, err := s.CreateToken(systemContext(ctx), u.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "user %s (id %d, %s) added; its token, shown once:\n", u.Name, u.ID, u.Role)
	fmt.Fprintln(e.stdout, token)
	return nil
}

func cmdVersion(ctx context.Context, args []string, e *env) error {
	fs := newFlags("version", "", "Print the version of this build.", e)
	if err := fs.Parse(args); err != nil {
		return err
	}
	v := version
	if info, ok := debug.ReadBuildInfo(); ok && v == "" {
		v = info.Main.Version
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				v += " " + s.Value
			}
		}
	}
	fmt.Fprintln(e.stdout, "stakhanov", v)
	return nil
}
