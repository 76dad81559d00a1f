package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/stakhanov/stakhanov"
)

// The planner's page of needs against output: for a unit of my scope (my
// own by default), each good's needs, plans, production and acceptance
// by period, a chart of each, the numbers as a table, and a CSV link.

type shortageGood struct {
	Good    string
	Measure string
	Rows    []*stakhanov.Shortage
	Chart   Chart
}

type shortagesData struct {
	Unit    *stakhanov.Unit
	Query   stakhanov.ShortageQuery
	Periods []string
	Goods   []shortageGood
	CSV     string
}

func (s *Server) shortages(r *http.Request) (*shortagesData, error) {
	ctx := r.Context()
	unit, err := s.plannerUnit(r)
	if err != nil {
		return nil, err
	}
	sq := stakhanov.ShortageQuery{UnitID: unit.ID, Period: r.URL.Query().Get("period")}
	if sq.From, sq.To, err = queryDates(r.URL.Query()); err != nil {
		return nil, err
	}
	if err := sq.Validate(s.today()); err != nil {
		return nil, err
	}
	rows, err := s.store.Shortages(ctx, sq)
	if err != nil {
		return nil, err
	}
	d := &shortagesData{Unit: unit, Query: sq, Periods: []string{stakhanov.PlanMonth, stakhanov.PlanQuarter, stakhanov.PlanYear}}
	v := url.Values{"unit": {strconv.FormatInt(unit.ID, 10)}, "period": {sq.Period}, "from": {sq.From.String()}, "to": {sq.To.String()}}
	d.CSV = "/planner/shortages.csv?" + v.Encode()
	for _, row := range rows {
		if n := len(d.Goods); n == 0 || d.Goods[n-1].Good != row.Good {
			d.Goods = append(d.Goods, shortageGood{Good: row.Good, Measure: row.Measure})
		}
		g := &d.Goods[len(d.Goods)-1]
		g.Rows = append(g.Rows, row)
	}
	for i := range d.Goods {
		g := &d.Goods[i]
		labels := make([]string, len(g.Rows))
		needed, planned, accepted := make([]float64, len(g.Rows)), make([]float64, len(g.Rows)), make([]float64, len(g.Rows))
		for j, row := range g.Rows {
			labels[j] = periodLabel(row)
			needed[j], planned[j], accepted[j] = row.Needed, row.Planned, row.Accepted
		}
		title := fmt.Sprintf("%s, %s: needed, planned and accepted per %s", unit.Name, g.Good, sq.Period)
		g.Chart = Chart{
			SVG: LineChart(fmt.Sprintf("shortage-chart-%d", i+1), title, g.Measure, labels, []Series{
				{Name: "accepted", Values: accepted, Class: "actual"},
				{Name: "needed", Values: needed, Class: "norm"},
				{Name: "planned", Values: planned, Class: "norm"},
			}),
			Caption: fmt.Sprintf("%s (%s) accepted per %s in %s's units, against what they need and what is planned.", g.Good, g.Measure, sq.Period, unit.Name),
		}
	}
	return d, nil
}

// periodLabel names a row's period: 1935-09, 1935-Q3, 1935.
func periodLabel(r *stakhanov.Shortage) string {
	switch r.Period {
	case stakhanov.PlanQuarter:
		return fmt.Sprintf("%d-Q%d", r.From.Year(), (int(r.From.Month())+2)/3)
	case stakhanov.PlanYear:
		return strconv.Itoa(r.From.Year())
	}
	return r.From.String()[:7]
}

func (s *Server) handleShortages(w http.ResponseWriter, r *http.Request) error {
	d, err := s.shortages(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "planner_shortages", "Needs and output", d)
	return nil
}

// handleShortagesCSV gives the page's numbers, RFC 4180 (CRLF).
func (s *Server) handleShortagesCSV(w http.ResponseWriter, r *http.Request) error {
	d, err := s.shortages(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8; header=present")
	w.Header().Set("Content-Disposition", `attachment; filename="shortages.csv"`)
	// The API's layout (GET /api/v1/shortages?format=csv).
	out := stakhanov.NewCSVWriter(w, stakhanov.ShortageHeader)
	for _, g := range d.Goods {
		for _, row := range g.Rows {
			out.Write(stakhanov.ShortageRecord(row))
		}
	}
	return out.Close()
}
