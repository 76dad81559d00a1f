package main

import (
	"context"
	"fmt"

	"github.com/stakhanov/stakhanov"
)

func cmdState(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: stakhanov state verify|rebuild [-db DB]", errUsage)
	}
	switch args[0] {
	case "verify":
		return cmdStateVerify(ctx, args[1:], e)
	case "rebuild":
		return cmdStateRebuild(ctx, args[1:], e)
	}
	return fmt.Errorf("%w: stakhanov state verify|rebuild, not %q", errUsage, args[0])
}

func cmdStateVerify(ctx context.Context, args []string, e *env) error {
	c, err := config(e)
	if err != nil {
		return err
	}
	fs := newFlags("state verify", "", `Recompute from the reports every figure the rolling fulfilment state answers —
each subject's fulfilment by shift (also verified only, as candidacy reads it),
week, month and year, and every award's candidates — and name each difference.
The exit code is 1 if there is any.`, e)
	c.dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%w: stakhanov state verify [-db DB]", errUsage)
	}
	s, err := openStore(ctx, c.DB, e.now)
	if err != nil {
		return err
	}
	defer s.Close()
	n := 0
	err = stakhanov.VerifyState(ctx, s, stakhanov.DateOf(e.now()), func(p stakhanov.StateProblem) {
		n++
		fmt.Fprintln(e.stdout, "PROBLEM:", p.Message)
	}, func(checked int) {
		fmt.Fprintf(e.stderr, "\rchecked %d subjects and goods", checked)
	})
	fmt.Fprintln(e.stderr)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(e.stdout, "OK: the fulfilment state agrees with the reports")
		return nil
	}
	return fmt.Errorf("%d difference%s between the fulfilment state and the reports: run stakhanov state rebuild", n, map[bool]string{true: "", false: "s"}[n == 1])
}

func cmdStateRebuild(ctx context.Context, args []string, e *env) error {
	c, err := config(e)
	if err != nil {
		return err
	}
	fs := newFlags("state rebuild", "", `Throw the rolling fulfilment state away and compute it again from the reports,
in batches, each its own transaction; with -award, build only that award's
candidacy state (as after a new award or a changed rule).`, e)
	c.dbFlag(fs)
	award := fs.Int64("award", 0, "build only this award's candidacy state")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%w: stakhanov state rebuild [-db DB] [-award ID]", errUsage)
	}
	s, err := openStore(ctx, c.DB, e.now)
	if err != nil {
		return err
	}
	defer s.Close()
	if *award != 0 {
		a, err := s.FindAwardByID(ctx, *award)
		if err != nil {
			return err
		}
		err = s.BuildCandidacy(ctx, a.ID, func(done, total int) {
			fmt.Fprintf(e.stderr, "\r%s: %d of %d subjects", a.Name, done, total)
		})
		fmt.Fprintln(e.stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "built the candidacy state of %s\n", a.Name)
		return nil
	}
	last := ""
	err = s.RebuildState(ctx, func(stage string, done, total int) {
		if stage != last && last != "" {
			fmt.Fprintln(e.stderr)
		}
		last = stage
		fmt.Fprintf(e.stderr, "\r%s: %d of %d", stage, done, total)
	})
	fmt.Fprintln(e.stderr)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "rebuilt the fulfilment state from the reports")
	return nil
}
