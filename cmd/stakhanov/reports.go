package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/stakhanov/stakhanov"
)

const reportsUsage = `Usage: stakhanov reports duplicates -db DB

  duplicates  list the shifts that held several reports before a shift had
              one current report: the report left current and those set aside`

func cmdReports(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, reportsUsage)
	}
	switch args[0] {
	case "duplicates":
		return cmdReportsDuplicates(ctx, args[1:], e)
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(e.stderr, reportsUsage)
		return nil
	}
	return fmt.Errorf("%w: unknown subcommand %q\n\n%s", errUsage, args[0], reportsUsage)
}

func cmdReportsDuplicates(ctx context.Context, args []string, e *env) error {
	c, err := config(e)
	if err != nil {
		return err
	}
	fs := newFlags("reports duplicates", "", `List the shifts that held several current reports before a shift had one
(a database written by an older version): for each, the report left current
(the latest) and the reports set aside, which count nowhere. Correct the
current report if one set aside was right.`, e)
	c.dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%w: stakhanov reports duplicates -db DB", errUsage)
	}
	s, err := openStore(ctx, c.DB, e.now)
	if err != nil {
		return err
	}
	defer s.Close()
	dups, err := s.FindDuplicateShifts(ctx)
	if err != nil {
		return err
	}
	if len(dups) == 0 {
		fmt.Fprintln(e.stdout, "no duplicate shift reports")
		return nil
	}
	aside := 0
	for _, d := range dups {
		aside += len(d.SetAside)
	}
	fmt.Fprintf(e.stdout, "%d shifts with duplicate reports, %d reports set aside\n", len(dups), aside)
	for _, d := range dups {
		cur := d.Current
		fmt.Fprintf(e.stdout, "\n%s (%s), %s, %s, shift %d\n", d.Subject, cur.Subject, d.Good, cur.Date, cur.Shift)
		replaced := ""
		if cur.SupersededBy != 0 {
			replaced = fmt.Sprintf(", since replaced by report %d", cur.SupersededBy)
		}
		fmt.Fprintf(e.stdout, "  current    %s%s\n", describeReport(cur, d.Reporters), replaced)
		for _, r := range d.SetAside {
			fmt.Fprintf(e.stdout, "  set aside  %s\n", describeReport(r, d.Reporters))
		}
	}
	return nil
}

// describeReport writes a report's figures and who wrote it, and when.
func describeReport(r *stakhanov.Report, reporters map[int64]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "report %d: %g produced, %g accepted", r.ID, r.Produced, r.Accepted)
	switch len(r.Helpers) {
	case 0:
	case 1:
		b.WriteString(", with 1 helper")
	default:
		fmt.Fprintf(&b, ", with %d helpers", len(r.Helpers))
	}
	switch name := reporters[r.ReporterID]; {
	case name != "":
		fmt.Fprintf(&b, ", reported by %s", name)
	case r.ReporterID != 0:
		fmt.Fprintf(&b, ", reported by account %d", r.ReporterID)
	}
	fmt.Fprintf(&b, " at %s", r.CreatedAt.UTC().Format("2006-01-02 15:04"))
	if r.Note != "" {
		fmt.Fprintf(&b, " (%q)", r.Note)
	}
	return b.String()
}
