package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// The planner's reports: plans against output, storming, the ratchet and
// the closes of months. Each reads the store's one answer (the API's) and
// lays it out: a chart, its numbers as a table, and a CSV of them.

// plannerUnit reads the unit a report is for: ?unit=, by default my own,
// and in my scope.
func (s *Server) plannerUnit(r *http.Request) (*stakhanov.Unit, error) {
	u := stakhanov.UserFromContext(r.Context())
	unitID := u.UnitID
	if v := r.URL.Query().Get("unit"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return nil, stakhanov.FieldErrorf("unit", "unit %s is not a unit id", stakhanov.ShortQuote(v))
		}
		unitID = id
	}
	if unitID == 0 {
		return nil, stakhanov.FieldErrorf("unit", "choose a unit")
	}
	unit, err := s.store.FindUnitByID(r.Context(), unitID)
	if err != nil {
		return nil, err
	}
	if !u.Covers(unit.Path) {
		return nil, stakhanov.Errorf(stakhanov.EFORBIDDEN, "%s is outside your units", unit.Name)
	}
	return unit, nil
}

// queryDates reads the from and to dates of a report's form.
func queryDates(q url.Values) (from, to stakhanov.Date, err error) {
	for _, f := range []struct {
		name string
		to   *stakhanov.Date
	}{{"from", &from}, {"to", &to}} {
		if v := q.Get(f.name); v != "" {
			d, err := stakhanov.ParseDate(v)
			if err != nil {
				return from, to, stakhanov.FieldErrorf(f.name, "%v", err)
			}
			*f.to = d
		}
	}
	return from, to, nil
}

// reportQuery is the unit and dates of a report, as its links keep them.
func reportQuery(unit *stakhanov.Unit, from, to stakhanov.Date) url.Values {
	v := url.Values{"unit": {strconv.FormatInt(unit.ID, 10)}}
	if !from.IsZero() {
		v.Set("from", from.String())
	}
	if !to.IsZero() {
		v.Set("to", to.String())
	}
	return v
}

func csvAnswer(w http.ResponseWriter, file string, header []string) *stakhanov.CSVWriter {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8; header=present")
	w.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
	return stakhanov.NewCSVWriter(w, header)
}

// Plans against output.

type planView struct {
	*stakhanov.PlanStanding
	Unit, Good, Measure string
	Chart               Chart
}

type plansData struct {
	Unit     *stakhanov.Unit
	From, To stakhanov.Date
	Plans    []planView
	Pager    pager
	CSV      string
}

const plansPageSize = 20

func (s *Server) plans(r *http.Request, page stakhanov.Page) (*plansData, int, error) {
	unit, err := s.plannerUnit(r)
	if err != nil {
		return nil, 0, err
	}
	from, to, err := queryDates(r.URL.Query())
	if err != nil {
		return nil, 0, err
	}
	plans, total, err := s.store.FindPlans(r.Context(), stakhanov.PlanFilter{Within: unit.ID, From: from, To: to, Page: page})
	if err != nil {
		return nil, 0, err
	}
	d := &plansData{Unit: unit, From: from, To: to, CSV: "/planner/plans.csv?" + reportQuery(unit, from, to).Encode()}
	names := stakhanov.NewNamer(r.Context(), s.store)
	goods, _, err := s.goods(r.Context())
	if err != nil {
		return nil, 0, err
	}
	for i, p := range plans {
		v := planView{PlanStanding: p, Unit: names.Unit(p.UnitID), Good: names.Good(p.GoodID)}
		if g := goods[p.GoodID]; g != nil {
			v.Measure = g.Measure
		}
		labels := make([]string, len(p.ByMonth))
		accepted, planned := make([]float64, len(p.ByMonth)), make([]float64, len(p.ByMonth))
		for j, m := range p.ByMonth {
			labels[j] = m.Start.String()[:7]
			accepted[j] = m.Accepted
			planned[j] = math.NaN()
			if m.Planned != nil {
				planned[j] = *m.Planned
			}
		}
		series := []Series{{Name: "accepted", Values: accepted, Class: "actual"}}
		if len(p.Phases) > 0 {
			series = append(series, Series{Name: "planned", Values: planned, Class: "norm"})
		}
		v.Chart = Chart{
			SVG: LineChart(fmt.Sprintf("plan-chart-%d", i+1), fmt.Sprintf("%s, %s: accepted by month against the plan", v.Unit, v.Good), v.Measure, labels, series),
			Caption: fmt.Sprintf("%s accepted in %s's units each month of the %s plan of %s %s from %s.",
				v.Good, v.Unit, p.Period, formatNum(p.Quantity), v.Measure, p.Start),
		}
		d.Plans = append(d.Plans, v)
	}
	return d, total, nil
}

func (s *Server) handlePlans(w http.ResponseWriter, r *http.Request) error {
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = max(0, offset)
	d, total, err := s.plans(r, stakhanov.Page{Offset: offset, Limit: plansPageSize})
	if err != nil {
		return err
	}
	d.Pager = newPager(r.URL, offset, plansPageSize, len(d.Plans), total)
	s.render(w, r, http.StatusOK, "planner_plans", "Plans and output", d)
	return nil
}

func (s *Server) handlePlansCSV(w http.ResponseWriter, r *http.Request) error {
	unit, err := s.plannerUnit(r)
	if err != nil {
		return err
	}
	from, to, err := queryDates(r.URL.Query())
	if err != nil {
		return err
	}
	plans, err := stakhanov.All(func(p stakhanov.Page) ([]*stakhanov.PlanStanding, int, error) {
		return s.store.FindPlans(r.Context(), stakhanov.PlanFilter{Within: unit.ID, From: from, To: to, Page: p})
	})
	if err != nil {
		return err
	}
	names := stakhanov.NewNamer(r.Context(), s.store)
	out := csvAnswer(w, "plans.csv", stakhanov.PlanHeader)
	for _, p := range plans {
		out.Write(stakhanov.PlanRecord(p, names))
	}
	return out.Close()
}

// Storming.

type stormingData struct {
	Unit   *stakhanov.Unit
	Query  stakhanov.StormQuery
	Months []*stakhanov.StormingMonth
	Storms []stormView
	CSV    string
}

type stormView struct {
	*stakhanov.StormingMonth
	Chart Chart
}

func (s *Server) storming(r *http.Request) (*stormingData, error) {
	unit, err := s.plannerUnit(r)
	if err != nil {
		return nil, err
	}
	sq := stakhanov.StormQuery{UnitID: unit.ID}
	if sq.From, sq.To, err = queryDates(r.URL.Query()); err != nil {
		return nil, err
	}
	if err := sq.Validate(s.today()); err != nil {
		return nil, err
	}
	months, err := s.store.Storming(r.Context(), sq)
	if err != nil {
		return nil, err
	}
	d := &stormingData{Unit: unit, Query: sq, Months: months, CSV: "/planner/storming.csv?" + reportQuery(unit, sq.From, sq.To).Encode()}
	for i, m := range months {
		if !m.Storming {
			continue
		}
		labels := make([]string, len(m.Days))
		values := make([]float64, len(m.Days))
		for j, day := range m.Days {
			labels[j], values[j] = day.Date.String(), day.Accepted
		}
		d.Storms = append(d.Storms, stormView{StormingMonth: m, Chart: Chart{
			SVG: LineChart(fmt.Sprintf("storm-chart-%d", i+1), fmt.Sprintf("%s, %s, %s: accepted each day", m.Enterprise, m.Good, m.Month.String()[:7]),
				m.Good, labels, []Series{{Name: "accepted", Values: values, Class: "actual"}}),
			Caption: fmt.Sprintf("%s accepted by %s each day of %s: %s of the month's output came from %s on.",
				m.Good, m.Enterprise, stakhanov.MonthName(m.Month), formatPercent(ptr(m.Share*100)), m.LastThird),
		}})
	}
	return d, nil
}

func ptr(v float64) *float64 { return &v }

func (s *Server) handleStorming(w http.ResponseWriter, r *http.Request) error {
	d, err := s.storming(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "planner_storming", "Storming", d)
	return nil
}

func (s *Server) handleStormingCSV(w http.ResponseWriter, r *http.Request) error {
	d, err := s.storming(r)
	if err != nil {
		return err
	}
	out := csvAnswer(w, "storming.csv", stakhanov.StormingHeader)
	for _, m := range d.Months {
		out.Write(stakhanov.StormingRecord(m))
	}
	return out.Close()
}

// The ratchet.

type ratchetData struct {
	Unit   *stakhanov.Unit
	Report *stakhanov.RatchetReport
	Chart  Chart
	CSV    string
}

func (s *Server) ratchets(r *http.Request) (*ratchetData, error) {
	unit, err := s.plannerUnit(r)
	if err != nil {
		return nil, err
	}
	rq := stakhanov.RatchetQuery{UnitID: unit.ID}
	if rq.From, rq.To, err = queryDates(r.URL.Query()); err != nil {
		return nil, err
	}
	rep, err := s.store.Ratchets(r.Context(), rq)
	if err != nil {
		return nil, err
	}
	d := &ratchetData{Unit: unit, Report: rep, CSV: "/planner/ratchets.csv?" + reportQuery(unit, rep.From, rep.To).Encode()}
	if len(rep.Units) > 0 {
		bars := make([]Bar, len(rep.Units))
		for i, u := range rep.Units {
			bars[i] = Bar{Label: fmt.Sprintf("%s: %d of %d raises", u.Unit, u.AfterOverfulfilment, u.Raises), Value: float64(u.AfterOverfulfilment)}
		}
		d.Chart = Chart{SVG: BarChart("ratchet-chart", "Raises of norms that followed an overfulfilment, by unit", bars),
			Caption: fmt.Sprintf("Of the norms raised in %s's units from %s to %s, those raised after three months above the old norm.", unit.Name, rep.From, rep.To)}
	}
	return d, nil
}

func (s *Server) handleRatchets(w http.ResponseWriter, r *http.Request) error {
	d, err := s.ratchets(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "planner_ratchets", "The ratchet", d)
	return nil
}

func (s *Server) handleRatchetsCSV(w http.ResponseWriter, r *http.Request) error {
	d, err := s.ratchets(r)
	if err != nil {
		return err
	}
	out := csvAnswer(w, "ratchets.csv", stakhanov.RatchetHeader)
	for _, x := range d.Report.Raises {
		out.Write(stakhanov.RatchetRecord(x))
	}
	return out.Close()
}

// Closes of months.

type closesData struct {
	Unit   *stakhanov.Unit
	Closes []*stakhanov.PeriodClose
	Pager  pager
	Form   *Form
	Saved  int64
}

const closesPageSize = 24

func (s *Server) closesPage(w http.ResponseWriter, r *http.Request, status int, form *Form) error {
	unit, err := s.plannerUnit(r)
	if err != nil {
		return err
	}
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = max(0, offset)
	closes, total, err := s.store.FindPeriodCloses(r.Context(), stakhanov.PeriodCloseFilter{UnitID: unit.ID, Page: stakhanov.Page{Offset: offset, Limit: closesPageSize}})
	if err != nil {
		return err
	}
	d := closesData{Unit: unit, Closes: closes, Pager: newPager(r.URL, offset, closesPageSize, len(closes), total), Form: form}
	d.Saved, _ = strconv.ParseInt(r.URL.Query().Get("saved"), 10, 64)
	s.render(w, r, status, "planner_closes", "Closes of months", d)
	return nil
}

func (s *Server) handleCloses(w http.ResponseWriter, r *http.Request) error {
	form := NewForm(nil)
	last := s.today().FirstOfMonth().AddDays(-1)
	form.Set("month", last.String()[:7])
	return s.closesPage(w, r, http.StatusOK, form)
}

func (s *Server) handleClosePeriod(w http.ResponseWriter, r *http.Request) error {
	form := NewForm(r.PostForm)
	form.Values.Del(csrfField)
	unit, err := s.plannerUnit(r)
	if err != nil {
		return err
	}
	c := &stakhanov.PeriodClose{UnitID: unit.ID, Reason: strings.TrimSpace(form.Get("reason"))}
	if m, err := stakhanov.ParseMonth(strings.TrimSpace(form.Get("month"))); err != nil {
		form.Fail("month", "Write the month as YYYY-MM, e.g. 1935-09.")
	} else {
		c.Month = m
	}
	if c.Reason == "" {
		form.Fail("reason", "Say why the month is closed: it is kept with the close.")
	}
	if form.OK() {
		if err := s.fromError(r, form, s.store.ClosePeriod(r.Context(), c), map[string]string{"unit_id": "month"}); err != nil {
			return err
		}
	}
	if !form.OK() {
		return s.closesPage(w, r, http.StatusUnprocessableEntity, form)
	}
	return redirect(w, r, fmt.Sprintf("/planner/closes?unit=%d&saved=%d", unit.ID, c.ID))
}

type closeResultsData struct {
	Close   *stakhanov.PeriodClose
	Results []*stakhanov.PeriodResult
	Goods   map[int64]*stakhanov.Good
	Pager   pager
}

const resultsPageSize = 100

func (s *Server) handleCloseResults(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return stakhanov.Errorf(stakhanov.ENOTFOUND, "There is no close %q.", r.PathValue("id"))
	}
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = max(0, offset)
	c, results, total, err := stakhanov.PeriodResults(r.Context(), s.store, id, stakhanov.Page{Offset: offset, Limit: resultsPageSize})
	if err != nil {
		return err
	}
	goods, _, err := s.goods(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "planner_close", "Final figures", closeResultsData{Close: c, Results: results, Goods: goods,
		Pager: newPager(r.URL, offset, resultsPageSize, len(results), total)})
	return nil
}
