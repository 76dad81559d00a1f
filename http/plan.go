package http

import (
	"net/http"

	"github.com/stakhanov/stakhanov"
)

// Dates and subjects arrive as strings and are parsed here rather than by
// encoding/json, whose errors from UnmarshalText do not say which field was
// wrong.

type normInput struct {
	Subject       string  `json:"subject"`
	GoodID        int64   `json:"good_id"`
	Amount        float64 `json:"amount"`
	EffectiveFrom string  `json:"effective_from"`
	Reason        string  `json:"reason"`
}

func (in *normInput) norm() (*stakhanov.Norm, error) {
	sub, err := parseSubject("subject", in.Subject)
	if err != nil {
		return nil, err
	}
	from, err := parseDate("effective_from", in.EffectiveFrom)
	if err != nil {
		return nil, err
	}
	return &stakhanov.Norm{Subject: sub, GoodID: in.GoodID, Amount: in.Amount, EffectiveFrom: from, Reason: in.Reason}, nil
}

type needInput struct {
	UnitID   int64   `json:"unit_id"`
	GoodID   int64   `json:"good_id"`
	From     string  `json:"from"`
	To       string  `json:"to"`
	Quantity float64 `json:"quantity"`
	Note     string  `json:"note"`
}

func (in *needInput) need() (*stakhanov.Need, error) {
	from, err := parseDate("from", in.From)
	if err != nil {
		return nil, err
	}
	to, err := parseDate("to", in.To)
	if err != nil {
		return nil, err
	}
	return &stakhanov.Need{UnitID: in.UnitID, GoodID: in.GoodID, From: from, To: to, Quantity: in.Quantity, Note: in.Note}, nil
}

// handleNorms lists norm versions, oldest first per subject and good; with
// on=DATE only the version in force that day.
func (s *Server) handleNorms(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := stakhanov.NormFilter{Subject: q.subject("subject"), GoodID: q.id("good"), InForceOn: q.date("on"), Page: q.page()}
	if err := q.check(); err != nil {
		return err
	}
	norms, total, err := s.store.FindNorms(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(norms, total, f.Page))
}

// handleCreateNorm adds a new version of a subject's norm for a good;
// earlier versions are kept as they were. A norm already present answers
// 200 with the version held.
func (s *Server) handleCreateNorm(w http.ResponseWriter, r *http.Request) error {
	var in normInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	n, err := in.norm()
	if err != nil {
		return err
	}
	if err := s.store.CreateNorm(r.Context(), n); err != nil {
		return err
	}
	if n.Present {
		// The same norm again: the version held, nothing new.
		return writeJSON(w, http.StatusOK, n)
	}
	return writeJSON(w, http.StatusCreated, n)
}

func (s *Server) handleNeeds(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := stakhanov.NeedFilter{UnitID: q.id("unit"), GoodID: q.id("good")}
	f.From, f.To = q.dates("from", "to")
	f.Page = q.page()
	if err := q.check(); err != nil {
		return err
	}
	needs, total, err := s.store.FindNeeds(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(needs, total, f.Page))
}

func (s *Server) handleCreateNeed(w http.ResponseWriter, r *http.Request) error {
	var in needInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	n, err := in.need()
	if err != nil {
		return err
	}
	if err := s.store.CreateNeed(r.Context(), n); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, n)
}

type planInput struct {
	UnitID   int64     `json:"unit_id"`
	GoodID   int64     `json:"good_id"`
	Period   string    `json:"period"`
	Start    string    `json:"start"`
	Quantity float64   `json:"quantity"`
	Phases   []float64 `json:"phases"`
	Reason   string    `json:"reason"`
}

func (in *planInput) plan() (*stakhanov.Plan, error) {
	start, err := parseDate("start", in.Start)
	if err != nil {
		return nil, err
	}
	return &stakhanov.Plan{UnitID: in.UnitID, GoodID: in.GoodID, Period: in.Period, Start: start, Quantity: in.Quantity,
		Phases: in.Phases, Reason: in.Reason}, nil
}

// handlePlans lists the plans in force with what was accepted against
// them and whether their cascades add up.
func (s *Server) handlePlans(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := stakhanov.PlanFilter{UnitID: q.id("unit"), Within: q.id("within"), GoodID: q.id("good"), Period: q.oneOf("period", stakhanov.PlanMonth, stakhanov.PlanQuarter, stakhanov.PlanYear)}
	f.From, f.To = q.dates("from", "to")
	csv := q.format()
	f.Page = q.listPage(csv)
	if err := q.check(); err != nil {
		return err
	}
	if !csv {
		plans, total, err := s.store.FindPlans(r.Context(), f)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, newList(plans, total, f.Page))
	}
	plans, err := stakhanov.All(func(p stakhanov.Page) ([]*stakhanov.PlanStanding, int, error) {
		f.Page = p
		return s.store.FindPlans(r.Context(), f)
	})
	if err != nil {
		return err
	}
	names := stakhanov.NewNamer(r.Context(), s.store)
	out := startCSV(w, "plans.csv", stakhanov.PlanHeader)
	for _, p := range plans {
		out.Write(stakhanov.PlanRecord(p, names))
	}
	return out.Close()
}

// handlePlanVersions lists every version of one plan, oldest first.
func (s *Server) handlePlanVersions(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	unit, good, start := q.id("unit"), q.id("good"), q.date("start")
	period := q.oneOf("period", stakhanov.PlanMonth, stakhanov.PlanQuarter, stakhanov.PlanYear)
	if err := q.check(); err != nil {
		return err
	}
	switch {
	case unit == 0:
		return stakhanov.FieldErrorf("unit", "unit is required")
	case good == 0:
		return stakhanov.FieldErrorf("good", "good is required")
	case period == "":
		return stakhanov.FieldErrorf("period", "period is required (month, quarter or year)")
	case start.IsZero():
		return stakhanov.FieldErrorf("start", "start is required (YYYY-MM-DD)")
	}
	versions, err := s.store.FindPlanVersions(r.Context(), unit, good, period, start)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": versions})
}

// handleCreatePlan adds a version of a plan; the plan in force again
// answers 200 with the version held.
func (s *Server) handleCreatePlan(w http.ResponseWriter, r *http.Request) error {
	var in planInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	p, err := in.plan()
	if err != nil {
		return err
	}
	if err := s.store.CreatePlan(r.Context(), p); err != nil {
		return err
	}
	if p.Present {
		return writeJSON(w, http.StatusOK, p)
	}
	return writeJSON(w, http.StatusCreated, p)
}

// handleShortages sets a unit's tree's needs against its plans and
// output, by good and period.
func (s *Server) handleShortages(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	sq := stakhanov.ShortageQuery{UnitID: q.id("unit"), GoodID: q.id("good"),
		Period: q.oneOf("period", stakhanov.PlanMonth, stakhanov.PlanQuarter, stakhanov.PlanYear)}
	sq.From, sq.To = q.dates("from", "to")
	csv := q.format()
	if err := q.check(); err != nil {
		return err
	}
	var rows []*stakhanov.Shortage
	var err error
	if stakhanov.UserFromContext(r.Context()) == nil {
		// Without a token: only a ministry that publishes them.
		_, rows, err = stakhanov.PublicShortages(r.Context(), s.store, sq)
	} else {
		rows, err = s.store.Shortages(r.Context(), sq)
	}
	if err != nil {
		return err
	}
	if !csv {
		return writeJSON(w, http.StatusOK, map[string]any{"items": rows})
	}
	out := startCSV(w, "shortages.csv", stakhanov.ShortageHeader)
	for _, row := range rows {
		out.Write(stakhanov.ShortageRecord(row))
	}
	return out.Close()
}

// handleStorming judges the months of the enterprises under a unit: the
// share of their accepted output in each month's last third.
func (s *Server) handleStorming(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	sq := stakhanov.StormQuery{UnitID: q.id("unit"), GoodID: q.id("good")}
	sq.From, sq.To = q.dates("from", "to")
	if err := q.check(); err != nil {
		return err
	}
	months, err := s.store.Storming(r.Context(), sq)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": months})
}

// handlePreviewNorm answers what a norm would do to its subject's figures
// and candidacy, from the real history; nothing is written.
func (s *Server) handlePreviewNorm(w http.ResponseWriter, r *http.Request) error {
	var in normInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	n, err := in.norm()
	if err != nil {
		return err
	}
	p, err := stakhanov.PreviewNorm(r.Context(), s.store, n, s.today())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// handleRatchets lists the raises of norms under a unit, each beside the
// months before and after it.
func (s *Server) handleRatchets(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	rq := stakhanov.RatchetQuery{UnitID: q.id("unit"), GoodID: q.id("good")}
	rq.From, rq.To = q.dates("from", "to")
	if err := q.check(); err != nil {
		return err
	}
	report, err := s.store.Ratchets(r.Context(), rq)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, report)
}
