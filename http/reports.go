package http

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/stakhanov/stakhanov"
)

type reportInput struct {
	Subject   string             `json:"subject"`
	GoodID    int64              `json:"good_id"`
	Date      string             `json:"date"`
	Shift     int                `json:"shift"`
	Minutes   int                `json:"minutes"`
	Produced  float64            `json:"produced"`
	Accepted  float64            `json:"accepted"`
	Helpers   []stakhanov.Helper `json:"helpers"`
	Witnesses []int64            `json:"witnesses"`
	Note      string             `json:"note"`
	Key       string             `json:"key"`
	Corrects  int64              `json:"corrects"`
	// Late says the writer knows the report's month is closed: it is a
	// late correction (see PeriodClose).
	Late bool `json:"late"`
}

func (in *reportInput) report() (*stakhanov.Report, error) {
	sub, err := parseSubject("subject", in.Subject)
	if err != nil {
		return nil, err
	}
	d, err := parseDate("date", in.Date)
	if err != nil {
		return nil, err
	}
	return &stakhanov.Report{
		Subject: sub, GoodID: in.GoodID, Date: d, Shift: in.Shift, Minutes: in.Minutes,
		Produced: in.Produced, Accepted: in.Accepted, Helpers: in.Helpers, Witnesses: in.Witnesses,
		Note: in.Note, Key: in.Key, Corrects: in.Corrects, Late: in.Late,
	}, nil
}

// reportView is a report with its measure against the norm.
type reportView struct {
	Report     *stakhanov.Report           `json:"report"`
	Fulfilment *stakhanov.ReportFulfilment `json:"fulfilment"`
}

// reportResult answers POST /reports with one report.
type reportResult struct {
	reportView
	// Created is false when the report replays one already written (under
	// the same key, or, without one, for the same shift).
	Created bool `json:"created"`
}

// batchResult answers POST /reports with {"reports": [...]}.
type batchResult struct {
	Reports []*stakhanov.Report `json:"reports"`
	Created []bool              `json:"created"`
}

// handleCreateReports takes one report, or a batch {"reports": [...]}
// written all or nothing. It answers 201 if anything was written and 200
// if everything was a replay, so that a client retrying after a lost answer
// can tell that nothing new happened.
func (s *Server) handleCreateReports(w http.ResponseWriter, r *http.Request) error {
	raw, err := s.readJSON(w, r)
	if err != nil {
		return err
	}
	// Look, without judging, whether the object has a "reports" member:
	// that makes it a batch. The strict decoding comes next.
	var shape struct {
		Reports json.RawMessage `json:"reports"`
	}
	if err := json.Unmarshal(raw, &shape); err != nil {
		return decode(raw, &shape, "") // names what is wrong
	}
	if shape.Reports == nil {
		return s.createReport(w, r, raw)
	}
	var batch struct {
		Reports []json.RawMessage `json:"reports"`
	}
	if err := decode(raw, &batch, ""); err != nil {
		return err
	}
	rs := make([]*stakhanov.Report, len(batch.Reports))
	for i, el := range batch.Reports {
		var in reportInput
		if err := decode(el, &in, fmt.Sprintf("reports[%d].", i)); err != nil {
			return err
		}
		if rs[i], err = in.report(); err != nil {
			return withPrefix(err, fmt.Sprintf("reports[%d]", i))
		}
	}
	createdFlags, err := s.store.CreateReports(r.Context(), rs)
	if err != nil {
		// The store names the report at fault only in batches of two or
		// more; a batch of one must say reports[0] all the same.
		if len(rs) == 1 {
			err = withPrefix(err, "reports[0]")
		}
		return err
	}
	status := http.StatusOK
	for _, c := range createdFlags {
		if c {
			status = http.StatusCreated
		}
	}
	return writeJSON(w, status, batchResult{Reports: rs, Created: createdFlags})
}

func (s *Server) createReport(w http.ResponseWriter, r *http.Request, raw json.RawMessage) error {
	var in reportInput
	if err := decode(raw, &in, ""); err != nil {
		return err
	}
	rep, err := in.report()
	if err != nil {
		return err
	}
	createdFlags, err := s.store.CreateReports(r.Context(), []*stakhanov.Report{rep})
	if err != nil {
		return err
	}
	// If this read fails the report is written all the same; the client's
	// retry under the same key is then answered as a replay.
	f, err := stakhanov.ComputeReportFulfilment(r.Context(), s.store, rep)
	if err != nil {
		return err
	}
	res := reportResult{reportView: reportView{Report: rep, Fulfilment: f}, Created: createdFlags[0]}
	w.Header().Set("Location", "/api/v1/reports/"+strconv.FormatInt(rep.ID, 10))
	if !res.Created {
		return writeJSON(w, http.StatusOK, res)
	}
	return writeJSON(w, http.StatusCreated, res)
}

func (s *Server) handleReports(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := stakhanov.ReportFilter{Subject: q.subject("subject"), GoodID: q.id("good"), UnitID: q.id("unit")}
	f.From, f.To = q.dates("from", "to")
	f.Status = q.oneOf("status", stakhanov.ReportCurrent, stakhanov.ReportCorrected,
		stakhanov.ReviewFlagged, stakhanov.ReviewVerified, stakhanov.ReviewRejected)
	f.Page = q.page()
	if err := q.check(); err != nil {
		return err
	}
	reports, total, err := s.store.FindReports(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(reports, total, f.Page))
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rep, err := s.store.FindReportByID(r.Context(), id)
	if err != nil {
		return err
	}
	f, err := stakhanov.ComputeReportFulfilment(r.Context(), s.store, rep)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, reportView{Report: rep, Fulfilment: f})
}

var periods = []string{stakhanov.PeriodShift, stakhanov.PeriodWeek, stakhanov.PeriodMonth, stakhanov.PeriodYear}

func (s *Server) handleFulfilment(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	fq := stakhanov.FulfilmentQuery{Subject: q.subject("subject"), GoodID: q.id("good"), Period: q.oneOf("period", periods...)}
	fq.From, fq.To = q.dates("from", "to")
	csv := q.format()
	if err := q.check(); err != nil {
		return err
	}
	// Fulfilment says so if the subject is missing.
	f, err := s.store.Fulfilment(r.Context(), fq)
	if err != nil {
		return err
	}
	if !csv {
		return writeJSON(w, http.StatusOK, f)
	}
	name, err := stakhanov.SubjectName(r.Context(), s.store, f.Subject)
	if err != nil {
		return err
	}
	names := stakhanov.NewNamer(r.Context(), s.store)
	out := startCSV(w, "fulfilment.csv", stakhanov.FulfilmentHeader)
	for _, row := range f.Rows {
		out.Write(stakhanov.FulfilmentRecord(f, name, row, names))
	}
	return out.Close()
}

// leaderboardEntry is one person's place on a leaderboard; Rank is left
// out where ranks are hidden (see handleLeaderboard).
type leaderboardEntry = stakhanov.LeaderboardEntry

type leaderboard struct {
	UnitID int64          `json:"unit_id"`
	GoodID int64          `json:"good_id"`
	From   stakhanov.Date `json:"from"`
	To     stakhanov.Date `json:"to"`
	// RanksHidden is true when the unit, or the unit of someone on the
	// board, hides ranks.
	RanksHidden bool `json:"ranks_hidden"`
	list[leaderboardEntry]
}

// handleLeaderboard ranks the people of a unit's subtree by fulfilment of
// one good over a window: from and to, or else the current period (month
// unless period says otherwise) by the server's clock. Only people with a
// norm on at least one shift in the window are ranked; equal percentages
// share a rank.
//
// Ranks are hidden when the unit asked for, or the unit of anyone ranked
// on it, hides ranks (stakhanov.Unit.HidesRanks): ordering a mine would
// otherwise place the people of a brigade that hides them. Then admins,
// planners and auditors still get the whole board (ranks_hidden tells
// them); any other caller tied to a person gets only that person's own
// row, without a rank (or no row, if they are not on the board); a caller
// with no person gets 403.
//
// The figures and ranks come from the rolling state (Store.Leaderboard).
func (s *Server) handleLeaderboard(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	unitID, goodID := q.id("unit"), q.id("good")
	period := q.oneOf("period", periods...)
	from, to := q.dates("from", "to")
	page := q.page()
	if err := q.check(); err != nil {
		return err
	}
	switch {
	case unitID == 0:
		return stakhanov.FieldErrorf("unit", "unit is required")
	case goodID == 0:
		// Percentages of different goods could be averaged, but the
		// accepted quantities, in different measures, could not.
		return stakhanov.FieldErrorf("good", "good is required")
	case from.IsZero() != to.IsZero():
		if from.IsZero() {
			return stakhanov.FieldErrorf("from", "give from and to together")
		}
		return stakhanov.FieldErrorf("to", "give from and to together")
	case !from.IsZero() && period != "":
		return stakhanov.FieldErrorf("period", "give period or from and to, not both")
	}
	if from.IsZero() {
		if period == "" {
			period = stakhanov.PeriodMonth
		}
		var err error
		if _, from, to, err = stakhanov.PeriodOf(period, s.today(), 1); err != nil {
			return err
		}
	}
	ctx := r.Context()
	board, err := s.store.Leaderboard(ctx, stakhanov.LeaderboardQuery{UnitID: unitID, GoodID: goodID, From: from, To: to})
	if err != nil {
		return err
	}
	entries, hidden := board.Entries, board.RanksHidden
	total := len(entries)
	lo, hi := min(page.Offset, total), min(page.Offset+page.Limit, total)
	return writeJSON(w, http.StatusOK, leaderboard{UnitID: unitID, GoodID: goodID, From: from, To: to, RanksHidden: hidden,
		list: newList(entries[lo:hi], total, page)})
}
