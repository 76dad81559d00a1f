package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/sqlstore"
)

// actingUser resolves who runs a command: a token, or, for an operator
// with access to the database, a user name.
func actingUser(ctx context.Context, s *sqlstore.DB, token, name string) (*stakhanov.User, error) {
	switch {
	case token != "":
		return s.Authenticate(ctx, token)
	case name != "":
		return s.FindUserByName(ctx, name)
	}
	return nil, fmt.Errorf("%w: say who acts, with -token (or STAKHANOV_TOKEN) or -user", errUsage)
}

func cmdCandidates(ctx context.Context, args []string, e *env) error {
	c, err := config(e)
	if err != nil {
		return err
	}
	fs := newFlags("candidates", "", "List who qualifies now for an award under its candidacy rule, with the evidence.", e)
	c.dbFlag(fs)
	award := fs.Int64("award", 0, "award id (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *award == 0 || fs.NArg() != 0 {
		return fmt.Errorf("%w: stakhanov candidates -award ID", errUsage)
	}
	s, err := openStore(ctx, c.DB, e.now, c.storeOptions()...)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := s.FindAwardByID(ctx, *award)
	if err != nil {
		return err
	}
	if a.Rules.Candidacy == nil {
		fmt.Fprintf(e.stdout, "%s has no candidacy rule: its candidates are nominated with a dossier\n", a.Name)
		return nil
	}
	cands, err := stakhanov.AllCandidates(ctx, s, a.ID, stakhanov.DateOf(e.now()))
	if err != nil {
		return err
	}
	r := a.Rules.Candidacy
	fmt.Fprintf(e.stdout, "%s: %d candidates (rule %s, %g%%)\n", a.Name, len(cands), r.Kind, r.Percent)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SUBJECT\tNAME\tSHIFTS AT OR ABOVE\tOF\tLAST SHIFT")
	for _, cand := range cands {
		last := ""
		if n := len(cand.Shifts); n > 0 {
			last = cand.Shifts[n-1].Period
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", cand.Subject, cand.Name, cand.Met, cand.Considered, last)
	}
	return tw.Flush()
}

func cmdDecree(ctx context.Context, args []string, e *env) error {
	c, err := config(e)
	if err != nil {
		return err
	}
	fs := newFlags("decree sign", "ID", "Sign a drafted decree: every entry is checked for eligibility; if one fails,\nnothing is signed and each failing entry is named with the reason.", e)
	c.dbFlag(fs)
	token := fs.String("token", e.getenv("STAKHANOV_TOKEN"), "bearer token of the signing authority (env STAKHANOV_TOKEN)")
	userName := fs.String("user", "", "sign as this user, for an operator with access to the database")
	if len(args) == 0 || args[0] != "sign" {
		fs.Usage()
		return fmt.Errorf("%w: stakhanov decree sign [flags] ID", errUsage)
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if fs.NArg() != 1 || err != nil {
		return fmt.Errorf("%w: stakhanov decree sign [flags] ID", errUsage)
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
	d, err := s.SignDecree(stakhanov.NewContext(ctx, who), id)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "decree %s of %s signed: %d conferrals\n", d.Number, d.Date, len(d.Conferrals))
	return nil
}
