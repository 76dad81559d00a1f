package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// The worker's pages: my norm, my shifts, my fulfilment, my collective,
// recommend a colleague. A worker account is tied to its person
// (User.PersonID); without one there is nothing of its own to show.

// me returns the signed-in worker's person and unit.
func (s *Server) me(ctx context.Context) (*stakhanov.Person, *stakhanov.Unit, error) {
	u := stakhanov.UserFromContext(ctx)
	if u.PersonID == 0 {
		return nil, nil, stakhanov.Errorf(stakhanov.ENOTFOUND, "Your account (%s) belongs to no person, so it has no norm or shifts of its own. Ask an admin to tie it to your personnel record.", u.Name)
	}
	p, err := s.store.FindPersonByID(ctx, u.PersonID)
	if err != nil {
		return nil, nil, err
	}
	unit, err := s.store.FindUnitByID(ctx, p.UnitID)
	if err != nil {
		return nil, nil, err
	}
	return p, unit, nil
}

// goodNames returns the name and measure of every good, by id.
func (s *Server) goods(ctx context.Context) (map[int64]*stakhanov.Good, []*stakhanov.Good, error) {
	gs, err := stakhanov.All(func(p stakhanov.Page) ([]*stakhanov.Good, int, error) {
		return s.store.FindGoods(ctx, stakhanov.GoodFilter{Page: p})
	})
	if err != nil {
		return nil, nil, err
	}
	m := make(map[int64]*stakhanov.Good, len(gs))
	for _, g := range gs {
		m[g.ID] = g
	}
	return m, gs, nil
}

// allNorms returns every norm version of a subject, oldest first.
func (s *Server) allNorms(ctx context.Context, sub stakhanov.Subject) ([]*stakhanov.Norm, error) {
	return stakhanov.All(func(p stakhanov.Page) ([]*stakhanov.Norm, int, error) {
		return s.store.FindNorms(ctx, stakhanov.NormFilter{Subject: sub, Page: p})
	})
}

type normGroup struct {
	Good    *stakhanov.Good
	InForce *stakhanov.Norm
	// Versions, newest first.
	Versions []*stakhanov.Norm
}

// groupNorms groups norm versions by good, with the one in force on day.
func groupNorms(ns []*stakhanov.Norm, goods map[int64]*stakhanov.Good, day stakhanov.Date) []normGroup {
	idx := stakhanov.NewNormIndex(ns)
	by := map[int64]*normGroup{}
	var order []int64
	for _, n := range ns {
		g := by[n.GoodID]
		if g == nil {
			g = &normGroup{Good: goods[n.GoodID]}
			if g.Good == nil {
				g.Good = &stakhanov.Good{ID: n.GoodID, Name: fmt.Sprintf("good %d", n.GoodID)}
			}
			g.InForce = idx.InForce(n.Subject, n.GoodID, day)
			by[n.GoodID] = g
			order = append(order, n.GoodID)
		}
		g.Versions = append(g.Versions, n)
	}
	out := make([]normGroup, 0, len(order))
	for _, id := range order {
		g := by[id]
		sort.Slice(g.Versions, func(i, j int) bool {
			a, b := g.Versions[i], g.Versions[j]
			if c := a.EffectiveFrom.Compare(b.EffectiveFrom); c != 0 {
				return c > 0
			}
			return a.Version > b.Version
		})
		out = append(out, *g)
	}
	return out
}

type workerData struct {
	Person *stakhanov.Person
	Unit   *stakhanov.Unit
	Today  stakhanov.Date
	Norms  []normGroup
	Shifts []shiftRow
}

func (s *Server) handleWorker(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, unit, err := s.me(ctx)
	if err != nil {
		return err
	}
	goods, _, err := s.goods(ctx)
	if err != nil {
		return err
	}
	ns, err := s.allNorms(ctx, stakhanov.PersonSubject(p.ID))
	if err != nil {
		return err
	}
	rows, _, err := s.shiftRows(ctx, p.ID, goods, ns, stakhanov.Page{Limit: 5})
	if err != nil {
		return err
	}
	today := s.today()
	s.render(w, r, http.StatusOK, "worker", "My norm", workerData{Person: p, Unit: unit, Today: today,
		Norms: groupNorms(ns, goods, today), Shifts: rows})
	return nil
}

// shiftRow is one of my reports with what it credits me.
type shiftRow struct {
	Report    *stakhanov.Report
	Good      *stakhanov.Good
	Norm      float64
	Credited  float64
	Percent   *float64
	Corrected bool
}

// shiftRows returns a page of a person's own reports, newest first,
// measured against the norm in force on each day.
func (s *Server) shiftRows(ctx context.Context, person int64, goods map[int64]*stakhanov.Good, ns []*stakhanov.Norm, page stakhanov.Page) ([]shiftRow, int, error) {
	sub := stakhanov.PersonSubject(person)
	_, total, err := s.store.FindReports(ctx, stakhanov.ReportFilter{Subject: sub, Page: stakhanov.Page{Limit: 1}})
	if err != nil {
		return nil, 0, err
	}
	// The store lists oldest first; the newest page is at the end.
	page = page.Normalize()
	offset := max(0, total-page.Offset-page.Limit)
	limit := min(page.Limit, total-page.Offset)
	if limit <= 0 {
		return nil, total, nil
	}
	rs, _, err := s.store.FindReports(ctx, stakhanov.ReportFilter{Subject: sub, Page: stakhanov.Page{Offset: offset, Limit: limit}})
	if err != nil {
		return nil, 0, err
	}
	idx := stakhanov.NewNormIndex(ns)
	out := make([]shiftRow, 0, len(rs))
	for i := len(rs) - 1; i >= 0; i-- {
		rep := rs[i]
		row := shiftRow{Report: rep, Good: goods[rep.GoodID], Credited: rep.Accepted * rep.SubjectShare, Corrected: rep.SupersededBy != 0}
		if n := idx.InForce(sub, rep.GoodID, rep.Date); n != nil {
			row.Norm = n.Amount
			p := row.Credited / n.Amount * 100
			row.Percent = &p
		}
		out = append(out, row)
	}
	return out, total, nil
}

const shiftsPageSize = 50

type shiftsData struct {
	Person *stakhanov.Person
	Shifts []shiftRow
	Pager  pager
}

func (s *Server) handleWorkerShifts(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, _, err := s.me(ctx)
	if err != nil {
		return err
	}
	goods, _, err := s.goods(ctx)
	if err != nil {
		return err
	}
	ns, err := s.allNorms(ctx, stakhanov.PersonSubject(p.ID))
	if err != nil {
		return err
	}
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = max(0, offset)
	rows, total, err := s.shiftRows(ctx, p.ID, goods, ns, stakhanov.Page{Offset: offset, Limit: shiftsPageSize})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "worker_shifts", "My shifts", shiftsData{Person: p, Shifts: rows,
		Pager: newPager(r.URL, offset, shiftsPageSize, len(rows), total)})
	return nil
}

type fulfilmentData struct {
	Person  *stakhanov.Person
	Good    *stakhanov.Good
	Goods   []*stakhanov.Good
	Period  string
	Periods []string
	Rows    []stakhanov.FulfilmentRow
	Chart   Chart
	CSV     string
}

var chartPeriods = []string{stakhanov.PeriodShift, stakhanov.PeriodWeek, stakhanov.PeriodMonth, stakhanov.PeriodYear}

// fulfilment works out the signed-in worker's fulfilment for the request's
// good (default: the first with a norm) and period (default: month).
func (s *Server) fulfilment(r *http.Request) (*fulfilmentData, error) {
	ctx := r.Context()
	p, _, err := s.me(ctx)
	if err != nil {
		return nil, err
	}
	goods, _, err := s.goods(ctx)
	if err != nil {
		return nil, err
	}
	ns, err := s.allNorms(ctx, stakhanov.PersonSubject(p.ID))
	if err != nil {
		return nil, err
	}
	d := &fulfilmentData{Person: p, Period: stakhanov.PeriodMonth, Periods: chartPeriods}
	q := r.URL.Query()
	if v := q.Get("period"); v != "" {
		if _, _, _, err := stakhanov.PeriodOf(v, s.today(), 1); err != nil {
			return nil, stakhanov.Errorf(stakhanov.EINVALID, "The period must be shift, week, month or year.")
		}
		d.Period = v
	}
	seen := map[int64]bool{}
	for _, n := range ns {
		if !seen[n.GoodID] && goods[n.GoodID] != nil {
			seen[n.GoodID] = true
			d.Goods = append(d.Goods, goods[n.GoodID])
		}
	}
	if v := q.Get("good"); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		if d.Good = goods[id]; d.Good == nil {
			return nil, stakhanov.Errorf(stakhanov.ENOTFOUND, "There is no good %q.", v)
		}
	} else if len(d.Goods) > 0 {
		d.Good = d.Goods[0]
	}
	if d.Good == nil {
		return d, nil
	}
	f, err := s.store.Fulfilment(ctx, stakhanov.FulfilmentQuery{
		Subject: stakhanov.PersonSubject(p.ID), GoodID: d.Good.ID, Period: d.Period})
	if err != nil {
		return nil, err
	}
	d.Rows = f.Rows
	d.CSV = fmt.Sprintf("/worker/fulfilment.csv?good=%d&period=%s", d.Good.ID, d.Period)
	return d, nil
}

func (s *Server) handleWorkerFulfilment(w http.ResponseWriter, r *http.Request) error {
	d, err := s.fulfilment(r)
	if err != nil {
		return err
	}
	if d.Good != nil && len(d.Rows) > 0 {
		labels := make([]string, len(d.Rows))
		accepted := make([]float64, len(d.Rows))
		norm := make([]float64, len(d.Rows))
		for i, row := range d.Rows {
			labels[i] = row.Period
			accepted[i] = row.Accepted
			norm[i] = row.Norm
			if row.Norm == 0 {
				norm[i] = math.NaN()
			}
		}
		title := fmt.Sprintf("%s: accepted %s per %s against the norm", d.Person.Name, d.Good.Name, d.Period)
		d.Chart = Chart{
			SVG: LineChart("fulfilment-chart", title, d.Good.Measure, labels, []Series{
				{Name: "accepted (credited to me)", Values: accepted, Class: "actual"},
				{Name: "norm", Values: norm, Class: "norm"},
			}),
			Caption: fmt.Sprintf("Accepted %s (%s) credited to %s per %s, and the norm for the same shifts.", d.Good.Name, d.Good.Measure, d.Person.Name, d.Period),
		}
	}
	s.render(w, r, http.StatusOK, "worker_fulfilment", "My fulfilment", d)
	return nil
}

// handleWorkerFulfilmentCSV gives the numbers of the fulfilment chart.
func (s *Server) handleWorkerFulfilmentCSV(w http.ResponseWriter, r *http.Request) error {
	d, err := s.fulfilment(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8; header=present")
	w.Header().Set("Content-Disposition", `attachment; filename="fulfilment.csv"`)
	// The API's layout (stakhanov.FulfilmentRecord).
	f := &stakhanov.Fulfilment{Subject: stakhanov.PersonSubject(d.Person.ID), Period: d.Period}
	names := stakhanov.NewNamer(r.Context(), s.store)
	out := stakhanov.NewCSVWriter(w, stakhanov.FulfilmentHeader)
	for _, row := range d.Rows {
		out.Write(stakhanov.FulfilmentRecord(f, d.Person.Name, row, names))
	}
	return out.Close()
}

// rankRow is one person on the collective's leaderboard.
type rankRow struct {
	Rank     int
	Person   *stakhanov.Person
	Shifts   int
	Accepted float64
	Norm     float64
	Percent  float64
	Me       bool
}

type collectiveData struct {
	Person   *stakhanov.Person
	Unit     *stakhanov.Unit
	Good     *stakhanov.Good
	From, To stakhanov.Date
	Month    string
	Rows     []rankRow
	MyRank   int
	Chart    Chart
	// Hidden is true when the collective (or a unit of someone in it)
	// hides ranks: then Rows and Chart are empty and Mine holds my own
	// figures, without a rank.
	Hidden bool
	Mine   *rankRow
}

// handleWorkerCollective ranks the people of my collective by fulfilment
// over a month: ?month=YYYY-MM, by default the month of my latest shift.
// Where the collective hides ranks (stakhanov.Unit.HidesRanks, or the unit
// of anyone ranked in it does, as the API's leaderboard decides), it shows
// only my own figures: no place, no list or chart of colleagues.
func (s *Server) handleWorkerCollective(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, unit, err := s.me(ctx)
	if err != nil {
		return err
	}
	goods, _, err := s.goods(ctx)
	if err != nil {
		return err
	}
	d := collectiveData{Person: p, Unit: unit, Hidden: unit.HidesRanks}
	ns, err := s.allNorms(ctx, stakhanov.PersonSubject(p.ID))
	if err != nil {
		return err
	}
	if len(ns) > 0 {
		d.Good = goods[ns[0].GoodID]
	}
	if v := r.URL.Query().Get("good"); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		if d.Good = goods[id]; d.Good == nil {
			return stakhanov.Errorf(stakhanov.ENOTFOUND, "There is no good %q.", v)
		}
	}
	day := s.today()
	if v := r.URL.Query().Get("month"); v != "" {
		m, err := stakhanov.ParseDate(v + "-01")
		if err != nil {
			return stakhanov.Errorf(stakhanov.EINVALID, "Write the month as YYYY-MM.")
		}
		day = m
	} else if latest, _, err := s.shiftRows(ctx, p.ID, goods, ns, stakhanov.Page{Limit: 1}); err != nil {
		return err
	} else if len(latest) > 0 {
		day = latest[0].Report.Date
	}
	d.Month, d.From, d.To, _ = stakhanov.PeriodOf(stakhanov.PeriodMonth, day, 1)
	if d.Good == nil {
		s.render(w, r, http.StatusOK, "worker_collective", "My collective", d)
		return nil
	}
	// The store decides who sees what (a unit hiding ranks): for a worker,
	// then, only its own row.
	board, err := s.store.Leaderboard(ctx, stakhanov.LeaderboardQuery{UnitID: unit.ID, GoodID: d.Good.ID, From: d.From, To: d.To})
	if err != nil {
		return err
	}
	d.Hidden = board.RanksHidden
	for _, e := range board.Entries {
		d.Rows = append(d.Rows, rankRow{Person: e.Person, Rank: e.Rank, Shifts: e.Shifts, Accepted: e.Accepted, Norm: e.Norm,
			Percent: e.Percent, Me: e.Person.ID == p.ID})
	}
	if d.Hidden {
		for i := range d.Rows {
			if d.Rows[i].Me {
				d.Mine = &d.Rows[i]
			}
		}
		d.Rows = nil
		s.render(w, r, http.StatusOK, "worker_collective", "My collective", d)
		return nil
	}
	var bars []Bar
	for i := range d.Rows {
		if d.Rows[i].Me {
			d.MyRank = d.Rows[i].Rank
		}
		bars = append(bars, Bar{Label: d.Rows[i].Person.Name, Value: math.Round(d.Rows[i].Percent)})
	}
	d.Chart = Chart{SVG: BarChart("collective-chart", "Fulfilment in "+unit.Name+", "+d.Month+", percent of the norm", bars),
		Caption: fmt.Sprintf("Fulfilment of the %s norm in %s, %s, in percent", d.Good.Name, unit.Name, d.Month)}
	s.render(w, r, http.StatusOK, "worker_collective", "My collective", d)
	return nil
}

type recommendData struct {
	Form       *Form
	Candidate  *picker
	Awards     []Option
	Done       bool
	Candidates []*stakhanov.Person
}

// recommendPick chooses a colleague of my enterprise (but me).
func (s *Server) recommendPick(ctx context.Context, p *stakhanov.Person, unit *stakhanov.Unit) (pickSpec, error) {
	scope := unit.ID
	// The enterprise is the colleagues' circle: the unit itself, or its
	// nearest enterprise above.
	for u := unit; u != nil && u.Kind == stakhanov.UnitCollective && u.ParentID != 0; {
		parent, err := s.store.FindUnitByID(ctx, u.ParentID)
		if err != nil {
			return pickSpec{}, err
		}
		scope, u = parent.ID, parent
	}
	return pickSpec{name: "candidate", label: "Colleague", first: "Choose a colleague", exclude: p.ID, within: scope}, nil
}

// recommendPage shows the recommendation form: the colleague picker and
// the awards.
func (s *Server) recommendPage(w http.ResponseWriter, r *http.Request, status int, form *Form, spec pickSpec, done bool) error {
	ctx := r.Context()
	pick, err := s.picker(ctx, form, spec)
	if err != nil {
		return err
	}
	awards, err := s.allAwards(ctx)
	if err != nil {
		return err
	}
	as := []Option{{"", "Choose an award"}}
	for _, a := range awards {
		as = append(as, Option{strconv.FormatInt(a.ID, 10), a.Name})
	}
	s.render(w, r, status, "worker_recommend", "Recommend a colleague",
		recommendData{Form: form, Candidate: pick, Awards: as, Done: done})
	return nil
}

func (s *Server) handleRecommendForm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, unit, err := s.me(ctx)
	if err != nil {
		return err
	}
	spec, err := s.recommendPick(ctx, p, unit)
	if err != nil {
		return err
	}
	form := NewForm(nil)
	if v := r.URL.Query().Get("candidate"); v != "" {
		form.Set("candidate", v)
	}
	return s.recommendPage(w, r, http.StatusOK, form, spec, r.URL.Query().Get("done") != "")
}

// handleRecommend records a letter of support in the worker's own name.
func (s *Server) handleRecommend(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, unit, err := s.me(ctx)
	if err != nil {
		return err
	}
	form := NewForm(r.PostForm)
	form.Values.Del(csrfField)
	spec, err := s.recommendPick(ctx, p, unit)
	if err != nil {
		return err
	}
	// Find: show the matches of the search box instead of sending.
	find := form.Get("find") != ""
	form.Values.Del("find")
	if err := s.resolvePicks(ctx, form, !find, spec); err != nil {
		return err
	}
	if find {
		return s.recommendPage(w, r, http.StatusOK, form, spec, false)
	}
	rec := &stakhanov.Recommendation{Text: strings.TrimSpace(form.Get("text"))}
	if id, err := strconv.ParseInt(form.Get("candidate"), 10, 64); err != nil || id <= 0 {
		form.Fail("candidate", "Choose the colleague you recommend.")
	} else {
		rec.Candidate = stakhanov.PersonSubject(id)
	}
	if id, err := strconv.ParseInt(form.Get("award"), 10, 64); err != nil || id <= 0 {
		form.Fail("award", "Choose the award you recommend them for.")
	} else {
		rec.AwardID = id
	}
	if rec.Text == "" {
		form.Fail("text", "Say in a few words why you recommend them.")
	}
	if form.OK() {
		err := s.store.CreateRecommendation(ctx, rec)
		if err := s.fromError(r, form, err, map[string]string{"award_id": "award"}); err != nil {
			return err
		}
	}
	if !form.OK() {
		return s.recommendPage(w, r, http.StatusUnprocessableEntity, form, spec, false)
	}
	return redirect(w, r, "/worker/recommend?done=1")
}
