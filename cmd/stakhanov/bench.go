package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/stakhanov/stakhanov"
)

// The reads the rolling state answers, measured over HTTP on a database
// (one made by gen), beside the engine answering the candidacy rule alone
// in one SQL query over the raw reports.

func cmdBench(ctx context.Context, args []string, e *env) error {
	c, err := config(e)
	if err != nil {
		return err
	}
	fs := newFlags("bench", "", `Measure the reads the rolling fulfilment state answers, over HTTP on a running
server of the database: GET /api/v1/candidates of an award (first page),
one person's fulfilment by month, and the leaderboard of the largest
enterprise for a month; each -n times, with p50 and p99. Beside it, the same
candidacy rule (k_of_n) as one SQL query over the raw reports, run by the
engine alone on the same database, and the ratio. Use a database made by
stakhanov gen (its award and its admin account gen).`, e)
	c.dbFlag(fs)
	award := fs.Int64("award", 1, "the award whose candidates to read (gen makes award 1)")
	n := fs.Int("n", 200, "requests of each kind")
	baseline := fs.Int("baseline", 3, "runs of the baseline query")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the candidates requests to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%w: stakhanov bench [-db DB] [-award ID] [-n N]", errUsage)
	}
	m := NewMain()
	m.Config = c
	m.Config.Addr = "127.0.0.1:0"
	m.Now = e.now
	m.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if m.Config.LedgerKey == "" {
		// The bench signs nothing: a key of its own keeps the database's
		// directory as it was.
		dir, err := os.MkdirTemp("", "stakhanov-bench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		m.Config.LedgerKey = filepath.Join(dir, "ledger-key")
		m.Config.CredentialKey = filepath.Join(dir, "credential-key.pem")
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()
	s := m.Store
	a, err := s.FindAwardByID(ctx, *award)
	if err != nil {
		return err
	}
	rule := a.Rules.Candidacy
	if rule == nil {
		return fmt.Errorf("%s has no candidacy rule", a.Name)
	}
	admin, err := s.FindUserByName(ctx, "gen")
	if err != nil {
		return fmt.Errorf("the account gen (made by stakhanov gen): %w", err)
	}
	token, err := s.CreateToken(stakhanov.NewContext(ctx, stakhanov.System), admin.ID)
	if err != nil {
		return err
	}
	var reports, people int
	if err := s.WriteDB().QueryRowContext(ctx, `SELECT COUNT(*) FROM reports`).Scan(&reports); err != nil {
		return err
	}
	if err := s.WriteDB().QueryRowContext(ctx, `SELECT COUNT(*) FROM people`).Scan(&people); err != nil {
		return err
	}
	// The largest enterprise and a month of its figures.
	var enterprise int64
	var size int
	if err := s.WriteDB().QueryRowContext(ctx, `SELECT e.id, COUNT(*) FROM units e JOIN units u ON u.path LIKE e.path || '%'
		JOIN people p ON p.unit_id = u.id WHERE e.kind = 'enterprise' GROUP BY e.id ORDER BY 2 DESC, 1 LIMIT 1`).Scan(&enterprise, &size); err != nil {
		return fmt.Errorf("no enterprise with people: %w", err)
	}
	var lastDay string
	if err := s.WriteDB().QueryRowContext(ctx, `SELECT CAST(MAX(date) AS TEXT) FROM reports`).Scan(&lastDay); err != nil {
		return err
	}
	last, err := stakhanov.ParseDate(strings.TrimSpace(lastDay)[:10])
	if err != nil {
		return err
	}
	// The last month with all its shifts.
	month := last.AddDays(-last.Time().Day()).String()[:7]
	fmt.Fprintf(e.stdout, "database: %d reports, %d people; award %d, %s; enterprise %d has %d people\n", reports, people, a.ID, a.Name, enterprise, size)

	client := &http.Client{Timeout: time.Minute}
	get := func(path string) error {
		req, err := http.NewRequestWithContext(ctx, "GET", m.URL()+path, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		if _, err := io.Copy(io.Discard, res.Body); err != nil {
			return err
		}
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", path, res.Status)
		}
		return nil
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		// Stopped once the candidates are read, or here on an early return.
		defer pprof.StopCPUProfile()
	}
	r := rand.New(rand.NewPCG(1, 2))
	measure := func(path func() string) ([]time.Duration, error) {
		var ds []time.Duration
		for range *n {
			p := path()
			start := time.Now()
			if err := get(p); err != nil {
				return nil, err
			}
			ds = append(ds, time.Since(start))
		}
		slices.Sort(ds)
		return ds, nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "read\tp50\tp99\tbaseline\tratio\t")
	candidates, err := measure(func() string { return fmt.Sprintf("/api/v1/candidates?award=%d", a.ID) })
	if err != nil {
		return err
	}
	pprof.StopCPUProfile()
	base, baseErr := baselineCandidates(ctx, s.WriteDB(), rule, *baseline)
	baseText, ratio := "(rule not k_of_n)", ""
	if baseErr == nil && base > 0 {
		baseText = fmtDuration(base)
		ratio = fmt.Sprintf("%.0fx faster", float64(base)/float64(pct(candidates, 50)))
	} else if baseErr != nil && rule.Kind == stakhanov.RuleKOfN {
		return baseErr
	}
	fmt.Fprintf(tw, "GET /api/v1/candidates (first page)\t%s\t%s\t%s\t%s\t\n", fmtDuration(pct(candidates, 50)), fmtDuration(pct(candidates, 99)), baseText, ratio)
	fulfilment, err := measure(func() string {
		return fmt.Sprintf("/api/v1/fulfilment?subject=person:%d&period=month", 1+r.IntN(people))
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(tw, "GET /api/v1/fulfilment, one person by month\t%s\t%s\t\t\t\n", fmtDuration(pct(fulfilment, 50)), fmtDuration(pct(fulfilment, 99)))
	var good int64
	if err := s.WriteDB().QueryRowContext(ctx, `SELECT r.good_id FROM reports r JOIN units u ON u.id = r.unit_id
		WHERE u.path LIKE (SELECT path FROM units WHERE id = `+fmt.Sprint(enterprise)+`) || '%' LIMIT 1`).Scan(&good); err != nil {
		return err
	}
	board, err := measure(func() string {
		from, _ := stakhanov.ParseDate(month + "-01")
		_, _, to, _ := stakhanov.PeriodOf(stakhanov.PeriodMonth, from, 1)
		return fmt.Sprintf("/api/v1/leaderboard?unit=%d&good=%d&from=%s&to=%s", enterprise, good, from, to)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(tw, "GET /api/v1/leaderboard, %d people, %s\t%s\t%s\t\t\t\n", size, month, fmtDuration(pct(board, 50)), fmtDuration(pct(board, 99)))
	// The whole tree: the leaderboard of the root unit, every person of
	// the good.
	var root int64
	if err := s.WriteDB().QueryRowContext(ctx, `SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1`).Scan(&root); err != nil {
		return err
	}
	whole, err := measure(func() string {
		from, _ := stakhanov.ParseDate(month + "-01")
		_, _, to, _ := stakhanov.PeriodOf(stakhanov.PeriodMonth, from, 1)
		return fmt.Sprintf("/api/v1/leaderboard?unit=%d&good=%d&from=%s&to=%s&limit=100", root, good, from, to)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(tw, "GET /api/v1/leaderboard, the whole tree, %s\t%s\t%s\t\t\t\n", month, fmtDuration(pct(whole, 50)), fmtDuration(pct(whole, 99)))
	return tw.Flush()
}

func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	i := (len(ds)*p + 99) / 100
	return ds[min(max(i-1, 0), len(ds)-1)]
}

func fmtDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
}

// baselineCandidates runs a k_of_n rule as one SQL query over the raw
// reports — each person's last n shifts of the good, each against the norm
// in force that day — and returns the best of runs.
func baselineCandidates(ctx context.Context, db *sql.DB, rule *stakhanov.CandidacyRule, runs int) (time.Duration, error) {
	if rule.Kind != stakhanov.RuleKOfN {
		return 0, fmt.Errorf("the baseline is for a k_of_n rule")
	}
	goodCond := ""
	if rule.GoodID != 0 {
		goodCond = fmt.Sprintf(" AND r.good_id = %d", rule.GoodID)
	}
	query := fmt.Sprintf(`WITH s AS (
		SELECT r.subject_id, r.accepted * r.subject_share AS credited,
			(SELECT n.amount FROM norms n WHERE n.subject_kind = 'person' AND n.subject_id = r.subject_id AND n.good_id = r.good_id
				AND n.effective_from <= r.date ORDER BY n.effective_from DESC, n.version DESC LIMIT 1) AS norm,
			ROW_NUMBER() OVER (PARTITION BY r.subject_id ORDER BY r.date DESC, r.shift DESC) AS rn
		FROM reports r WHERE r.subject_kind = 'person'%s)
		SELECT COUNT(*) FROM (SELECT subject_id FROM s WHERE rn <= %d AND norm IS NOT NULL GROUP BY subject_id
			HAVING SUM(CASE WHEN credited * 100 >= %g * norm THEN 1 ELSE 0 END) >= %d) q`, goodCond, rule.N, rule.Percent, rule.K)
	best := time.Duration(0)
	for range max(runs, 1) {
		start := time.Now()
		var count int
		if err := db.QueryRowContext(ctx, query).Scan(&count); err != nil {
			return 0, fmt.Errorf("baseline query: %w", err)
		}
		if d := time.Since(start); best == 0 || d < best {
			best = d
		}
	}
	return best, nil
}
