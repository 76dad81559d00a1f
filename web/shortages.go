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
	d.Goods = shortageGoods(unit, sq, rows, "shortage-chart")
	return d, nil
}

// shortageGoods groups a unit's shortage rows by good, each with its
// chart (ids prefix-1, prefix-2, ...).
func shortageGoods(unit *stakhanov.Unit, sq stakhanov.ShortageQuery, rows []*stakhanov.Shortage, prefix string) []shortageGood {
	var goods []shortageGood
	for _, row := range rows {
		if n := len(goods); n == 0 || goods[n-1].Good != row.Good {
			goods = append(goods, shortageGood{Good: row.Good, Measure: row.Measure})
		}
		g := &goods[len(goods)-1]
		g.Rows = append(g.Rows, row)
	}
	for i := range goods {
		g := &goods[i]
		labels := make([]string, len(g.Rows))
		needed, planned, accepted := make([]float64, len(g.Rows)), make([]float64, len(g.Rows)), make([]float64, len(g.Rows))
		for j, row := range g.Rows {
			labels[j] = periodLabel(row)
			needed[j], planned[j], accepted[j] = row.Needed, row.Planned, row.Accepted
		}
		title := fmt.Sprintf("%s, %s: needed, planned and accepted per %s", unit.Name, g.Good, sq.Period)
		if len(g.Rows) == 1 {
			// One period: bars side by side, not lines of one point.
			row := g.Rows[0]
			g.Chart = Chart{
				SVG: BarChart(fmt.Sprintf("%s-%d", prefix, i+1), title, []Bar{
					{Label: fmt.Sprintf("needed: %s %s", formatNum(row.Needed), g.Measure), Value: row.Needed},
					{Label: fmt.Sprintf("planned: %s %s", formatNum(row.Planned), g.Measure), Value: row.Planned},
					{Label: fmt.Sprintf("accepted: %s %s", formatNum(row.Accepted), g.Measure), Value: row.Accepted},
				}),
				Caption: fmt.Sprintf("%s (%s) accepted in %s's units from %s to %s, against what they need and what is planned.",
					g.Good, g.Measure, unit.Name, row.From, row.To),
			}
			continue
		}
		g.Chart = Chart{
			SVG: LineChart(fmt.Sprintf("%s-%d", prefix, i+1), title, g.Measure, labels, []Series{
				{Name: "accepted", Values: accepted, Class: "actual"},
				{Name: "needed", Values: needed, Class: "norm"},
				{Name: "planned", Values: planned, Class: "norm"},
			}),
			Caption: fmt.Sprintf("%s (%s) accepted per %s in %s's units, against what they need and what is planned.", g.Good, g.Measure, sq.Period, unit.Name),
		}
	}
	return goods
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

// The public page of shortages: each ministry that chose to publish its
// shortages (Unit.PublishesShortages), a page of ministries at a time.

type publicShortages struct {
	Unit  *stakhanov.Unit
	Goods []shortageGood
	CSV   string
}

type publicShortagesData struct {
	Query      stakhanov.ShortageQuery
	Periods    []string
	Ministries []publicShortages
	Pager      pager
}

const publicShortagesPageSize = 10

func (s *Server) handlePublicShortages(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	sq := stakhanov.ShortageQuery{Period: q.Get("period")}
	var err error
	if sq.From, sq.To, err = queryDates(q); err != nil {
		return err
	}
	if err := sq.ValidateWindow(s.today()); err != nil {
		return err
	}
	offset, _ := strconv.Atoi(q.Get("offset"))
	offset = max(0, offset)
	units, total, err := s.store.FindUnits(ctx, stakhanov.UnitFilter{PublishingShortages: true, Page: stakhanov.Page{Offset: offset, Limit: publicShortagesPageSize}})
	if err != nil {
		return err
	}
	d := publicShortagesData{Query: sq, Periods: []string{stakhanov.PlanMonth, stakhanov.PlanQuarter, stakhanov.PlanYear},
		Pager: newPager(r.URL, offset, publicShortagesPageSize, len(units), total)}
	for i, u := range units {
		uq := sq
		uq.UnitID = u.ID
		unit, rows, err := stakhanov.PublicShortages(ctx, s.store, uq)
		if err != nil {
			return err
		}
		v := url.Values{"unit": {strconv.FormatInt(u.ID, 10)}, "period": {sq.Period}, "from": {sq.From.String()}, "to": {sq.To.String()}, "format": {"csv"}}
		d.Ministries = append(d.Ministries, publicShortages{Unit: unit, Goods: shortageGoods(unit, uq, rows, fmt.Sprintf("public-shortage-%d", i+1)),
			CSV: "/api/v1/shortages?" + v.Encode()})
	}
	s.render(w, r, http.StatusOK, "shortages", "Shortages", d)
	return nil
}

// handleSetPublishShortages records a ministry's choice to publish its
// shortages (publish=1) or not (publish=0).
func (s *Server) handleSetPublishShortages(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return stakhanov.Errorf(stakhanov.ENOTFOUND, "There is no unit %q.", r.PathValue("id"))
	}
	var publish bool
	switch r.PostForm.Get("publish") {
	case "1":
		publish = true
	case "0":
	default:
		return stakhanov.Errorf(stakhanov.EINVALID, "Choose whether to publish the shortages (publish 1) or not (0).")
	}
	if err := s.store.SetUnitPublishesShortages(r.Context(), id, publish); err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/planner/shortages?unit=%d&published=%d", id, boolDigit(publish)))
}

func boolDigit(b bool) int {
	if b {
		return 1
	}
	return 0
}
