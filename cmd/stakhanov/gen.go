package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/gen"
)

func cmdGen(ctx context.Context, args []string, e *env) error {
	c, err := config(e)
	if err != nil {
		return err
	}
	fs := newFlags("gen", "", "Fill a fresh database with a generated workload, through the import path: a ministry,\n"+
		"enterprises, collectives of 20-50 people, one good and a norm (5-50) per person, and a shift\n"+
		"report for each person on each of the last SHIFTS working days before today (about 2 % strong\n"+
		"workers above 120 %, rare 30x records); an award whose candidacy rule is 120 % on 50 of the\n"+
		"last 60 shifts, and an admin account named gen, whose token is printed.\n"+
		"With -out DIR, write DIR/base.db (all but the reports) and DIR/reports.csv instead, to time\n"+
		"  stakhanov import reports -db DIR/base.db -user gen DIR/reports.csv\n"+
		"The same flags and seed give the same workload.", e)
	c.dbFlag(fs)
	people := fs.Int("people", 0, "number of people (required)")
	shifts := fs.Int("shifts", 0, "shifts per person, one a working day (required)")
	seed := fs.Int64("seed", 1, "seed of the workload")
	out := fs.String("out", "", "write DIR/base.db and DIR/reports.csv instead of filling -db")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dbGiven := false
	fs.Visit(func(f *flag.Flag) {
		dbGiven = dbGiven || f.Name == "db"
	})
	if fs.NArg() != 0 || *people == 0 || *shifts == 0 {
		return fmt.Errorf("%w: stakhanov gen -people N -shifts D [-seed S] (-db DB | -out DIR)", errUsage)
	}
	if *out != "" && dbGiven {
		return fmt.Errorf("%w: gen takes -db or -out, not both: -out writes DIR/base.db", errUsage)
	}
	start := e.now()
	plan, err := gen.NewPlan(gen.Config{People: *people, Shifts: *shifts, Seed: *seed, Today: stakhanov.DateOf(start), Progress: e.stderr})
	if err != nil {
		return err
	}
	db, csvPath := c.DB, ""
	if *out != "" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return err
		}
		db, csvPath = filepath.Join(*out, "base.db"), filepath.Join(*out, "reports.csv")
		for _, f := range []string{db, csvPath} {
			if _, err := os.Stat(f); err == nil {
				return fmt.Errorf("%s exists: gen -out writes a fresh one; remove it first", f)
			} else if !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	s, err := openStore(ctx, db, e.now)
	if err != nil {
		return err
	}
	defer s.Close()
	base, err := gen.Build(ctx, s, plan)
	if err != nil {
		return err
	}
	lines := len(plan.People) * len(plan.Days)
	if csvPath != "" {
		f, err := os.OpenFile(csvPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		if err := base.WriteReports(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "gen: %d reports from %s to %s written to %s (%d strong workers), in %.1f s\n",
			lines, plan.Days[0], plan.Days[len(plan.Days)-1], csvPath, plan.Strong(), e.now().Sub(start).Seconds())
		fmt.Fprintf(e.stdout, "import the reports with:\n  stakhanov import reports -db %s -user %s %s\n", db, gen.AdminName, csvPath)
	} else {
		res, err := base.ImportReports(ctx, s)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "gen: %d reports from %s to %s imported (%d strong workers), in %.1f s\n",
			res.Created, plan.Days[0], plan.Days[len(plan.Days)-1], plan.Strong(), e.now().Sub(start).Seconds())
	}
	fmt.Fprintf(e.stdout, "award %d: %s (stakhanov candidates -award %d)\n", base.Award.ID, base.Award.Name, base.Award.ID)
	fmt.Fprintf(e.stdout, "admin account %s, token: %s\n", gen.AdminName, base.Token)
	return nil
}
