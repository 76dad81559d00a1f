package storetest

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
)

// testPeriodClose: closing a month keeps every subject's figures as they
// stand, whoever signs in; after it a report for the month is refused
// unless sent as a late correction with its reason, and then it is marked
// late in the report and in every figure that includes it, while the
// final figures stay as they were.
func testPeriodClose(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner, turner := stakhanov.PersonSubject(w.miner.ID), stakhanov.PersonSubject(w.turner.ID)
	w.norm(t, s, miner, w.coal, 10, "1935-09-01")
	var rs []*stakhanov.Report
	for _, d := range []string{"1935-09-01", "1935-09-02", "1935-09-03"} {
		rs = append(rs, report(miner, w.coal, date(t, d), 1, 12, 12, "m"+d))
	}
	rs = append(rs, report(turner, w.parts, date(t, "1935-09-01"), 1, 5, 5, "t1"))
	_, err := s.CreateReports(system, rs)
	must(t, err)
	first := rs[0]

	planner := user(t, s, "mine planner", stakhanov.RolePlanner, w.mine)
	foreman := user(t, s, "mine foreman", stakhanov.RoleForeman, w.mine)
	sept := date(t, "1935-09-01")
	closeOf := func(unit *stakhanov.Unit, month stakhanov.Date) *stakhanov.PeriodClose {
		return &stakhanov.PeriodClose{UnitID: unit.ID, Month: month, Reason: "the September accounts are done"}
	}
	wantCode(t, s.ClosePeriod(as(foreman), closeOf(w.mine, sept)), stakhanov.EFORBIDDEN, "")
	wantCode(t, s.ClosePeriod(as(planner), closeOf(w.factory, sept)), stakhanov.EFORBIDDEN, "")
	wantCode(t, s.ClosePeriod(as(planner), closeOf(w.mine, date(t, "1935-09-02"))), stakhanov.EINVALID, "month")
	wantCode(t, s.ClosePeriod(as(planner), &stakhanov.PeriodClose{UnitID: w.mine.ID, Month: sept}), stakhanov.EINVALID, "reason")
	thisMonth := stakhanov.DateOf(time.Now().UTC()).FirstOfMonth()
	wantCode(t, s.ClosePeriod(as(planner), closeOf(w.mine, thisMonth)), stakhanov.EINVALID, "month")

	c := closeOf(w.mine, sept)
	must(t, s.ClosePeriod(as(planner), c))
	// The miner, the brigade's tree and the mine's: three final figures.
	if c.ID == 0 || c.Results != 3 || c.Unit != w.mine.Name || c.ClosedBy != planner.ID {
		t.Fatalf("close: got %+v, want 3 results for %s by %s", c, w.mine.Name, planner.Name)
	}
	wantCode(t, s.ClosePeriod(as(planner), closeOf(w.mine, sept)), stakhanov.ECONFLICT, "month")
	wantCode(t, s.ClosePeriod(as(planner), closeOf(w.brigade, sept)), stakhanov.ECONFLICT, "month")

	finalOf := func() stakhanov.FulfilmentRow {
		t.Helper()
		res, total, err := s.FindPeriodResults(bg, c.ID, stakhanov.Page{})
		must(t, err)
		if total != 3 || len(res) != 3 || res[0].Subject.Kind != stakhanov.SubjectUnit {
			t.Fatalf("final figures: got %d (total %d), want 3, units first", len(res), total)
		}
		for _, r := range res {
			if r.Subject == miner {
				if r.Name != w.miner.Name {
					t.Fatalf("final figure of %s: name %q", miner, r.Name)
				}
				return r.Fulfilment
			}
		}
		t.Fatalf("final figures: none for %s", w.miner.Name)
		return stakhanov.FulfilmentRow{}
	}
	final := finalOf()
	if final.Shifts != 3 || final.Accepted != 36 || final.Percent == nil || math.Abs(*final.Percent-120) > 1e-9 || final.Late != 0 {
		t.Fatalf("the miner's final September: got %+v, want 3 shifts, 36 t, 120 %%, none late", final)
	}

	// After the close: refused unless late, with a note.
	fourth := report(miner, w.coal, date(t, "1935-09-04"), 1, 11, 11, "m4")
	_, err = s.CreateReports(system, []*stakhanov.Report{fourth})
	wantCode(t, err, stakhanov.ECONFLICT, "date")
	if !strings.Contains(err.Error(), "September 1935") || !strings.Contains(err.Error(), w.mine.Name) {
		t.Fatalf("refusal: got %q, want it to name the month and %s", err, w.mine.Name)
	}
	fourth = report(miner, w.coal, date(t, "1935-09-04"), 1, 11, 11, "m4")
	fourth.Late = true
	_, err = s.CreateReports(system, []*stakhanov.Report{fourth})
	wantCode(t, err, stakhanov.EINVALID, "note")
	fourth = report(miner, w.coal, date(t, "1935-09-04"), 1, 11, 11, "m4")
	fourth.Late, fourth.Note = true, "the shift's sheet was found after the close"
	_, err = s.CreateReports(as(foreman), []*stakhanov.Report{fourth})
	must(t, err)
	got, err := s.FindReportByID(bg, fourth.ID)
	must(t, err)
	if !got.Late {
		t.Fatalf("report %d: not marked late", fourth.ID)
	}
	// A correction of a report of the closed month is late too.
	fix := report(miner, w.coal, first.Date, 1, 13, 13, "m1-fix")
	fix.Corrects = first.ID
	_, err = s.CreateReports(system, []*stakhanov.Report{fix})
	wantCode(t, err, stakhanov.ECONFLICT, "date")
	fix = report(miner, w.coal, first.Date, 1, 13, 13, "m1-fix")
	fix.Corrects, fix.Late, fix.Note = first.ID, true, "the weighbridge was wrong"
	_, err = s.CreateReports(system, []*stakhanov.Report{fix})
	must(t, err)

	// Every figure that includes them says so; the final ones stay.
	for _, period := range []string{stakhanov.PeriodMonth, stakhanov.PeriodShift, stakhanov.PeriodWeek} {
		q := stakhanov.FulfilmentQuery{Subject: miner, GoodID: w.coal.ID, Period: period, From: sept, To: date(t, "1935-09-30")}
		f, err := s.Fulfilment(bg, q)
		must(t, err)
		late := 0
		for _, r := range f.Rows {
			late += r.Late
		}
		if late != 2 {
			t.Fatalf("%s fulfilment: got %d late credits in %+v, want 2", period, late, f.Rows)
		}
		re, err := stakhanov.RecomputeFulfilment(bg, s, q)
		must(t, err)
		for i := range re.Rows {
			if re.Rows[i].Late != f.Rows[i].Late {
				t.Fatalf("%s row %d: the state says %d late, the reports %d", period, i+1, f.Rows[i].Late, re.Rows[i].Late)
			}
		}
	}
	tree, err := s.Fulfilment(bg, stakhanov.FulfilmentQuery{Subject: stakhanov.UnitSubject(w.mine.ID), Period: stakhanov.PeriodMonth, From: sept, To: date(t, "1935-09-30")})
	must(t, err)
	if len(tree.Rows) != 1 || tree.Rows[0].Late != 2 || tree.Rows[0].Shifts != 4 {
		t.Fatalf("the mine's September: got %+v, want 4 shifts, 2 late", tree.Rows)
	}
	board, err := s.Leaderboard(system, stakhanov.LeaderboardQuery{UnitID: w.mine.ID, GoodID: w.coal.ID, From: sept, To: date(t, "1935-09-30")})
	must(t, err)
	if len(board.Entries) != 1 || board.Entries[0].Late != 2 {
		t.Fatalf("the mine's leaderboard: got %+v, want the miner with 2 late", board.Entries)
	}
	must(t, s.CreatePlan(system, &stakhanov.Plan{UnitID: w.mine.ID, GoodID: w.coal.ID, Period: stakhanov.PlanMonth, Start: sept, Quantity: 40, Reason: "September"}))
	plans, _, err := s.FindPlans(bg, stakhanov.PlanFilter{UnitID: w.mine.ID, GoodID: w.coal.ID})
	must(t, err)
	if len(plans) != 1 || plans[0].Late != 2 || plans[0].ByMonth[0].Late != 2 {
		t.Fatalf("the mine's plan: got %+v, want its September with 2 late", plans)
	}
	short, err := s.Shortages(bg, stakhanov.ShortageQuery{UnitID: w.ministry.ID, GoodID: w.coal.ID, From: sept, To: date(t, "1935-09-30")})
	must(t, err)
	if len(short) != 1 || short[0].Late != 2 {
		t.Fatalf("the ministry's coal: got %+v, want 2 late", short)
	}
	storms, err := s.Storming(bg, stakhanov.StormQuery{UnitID: w.mine.ID, GoodID: w.coal.ID, From: sept, To: date(t, "1935-09-30")})
	must(t, err)
	if len(storms) != 1 || storms[0].Late != 2 {
		t.Fatalf("the mine's September storming: got %+v, want 2 late", storms)
	}
	if after := finalOf(); after != final && (after.Shifts != final.Shifts || after.Accepted != final.Accepted || after.Late != 0) {
		t.Fatalf("the final figures changed: got %+v, want %+v", after, final)
	}

	// Another enterprise's month is open: its reports are not late, even
	// when sent as late.
	open := report(turner, w.parts, date(t, "1935-09-02"), 1, 5, 5, "t2")
	open.Late = true
	_, err = s.CreateReports(system, []*stakhanov.Report{open})
	must(t, err)
	if got, _ := s.FindReportByID(bg, open.ID); got.Late {
		t.Fatalf("a report of an open month is marked late")
	}

	// A file is the month's ordinary work: no late line in it.
	_, err = s.ImportReports(system, rowsOf(report(turner, w.parts, date(t, "1935-09-03"), 1, 5, 5, ""),
		report(miner, w.coal, date(t, "1935-09-05"), 1, 10, 10, "")))
	ie, ok := isImportError(err)
	if !ok || len(ie.Lines) != 1 || ie.Lines[0].Line != 3 || ie.Lines[0].Field != "date" {
		t.Fatalf("import into a closed month: got %v, want line 3's date refused (line 1 is the header)", err)
	}

	closes, total, err := s.FindPeriodCloses(bg, stakhanov.PeriodCloseFilter{UnitID: w.brigade.ID})
	must(t, err)
	if total != 1 || closes[0].ID != c.ID {
		t.Fatalf("closes reaching the brigade: got %d, want the mine's", total)
	}
	if _, total, err = s.FindPeriodCloses(bg, stakhanov.PeriodCloseFilter{UnitID: w.factory.ID}); err != nil || total != 0 {
		t.Fatalf("closes reaching the factory: got %d (%v), want none", total, err)
	}
	_, _, err = s.FindPeriodResults(bg, c.ID+100, stakhanov.Page{})
	wantCode(t, err, stakhanov.ENOTFOUND, "")
}
