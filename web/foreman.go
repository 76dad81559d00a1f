package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// The foreman's pages: enter a shift report, see the day's reports of my
// units, correct one. A correction is a new report naming the one it
// corrects (reports are never changed).

// scope lists the people and collectives a foreman or planner may act on:
// those under its unit (everyone, for an account without a unit).
type scope struct {
	People      []*stakhanov.Person
	Collectives []*stakhanov.Unit
	names       map[stakhanov.Subject]string
}

func (s *Server) scopeOf(ctx context.Context, u *stakhanov.User) (*scope, error) {
	sc := &scope{names: map[stakhanov.Subject]string{}}
	people, _, err := s.store.FindPeople(ctx, stakhanov.PersonFilter{UnitID: u.UnitID, Page: stakhanov.Page{Limit: stakhanov.MaxLimit}})
	if err != nil {
		return nil, err
	}
	units, _, err := s.store.FindUnits(ctx, stakhanov.UnitFilter{Within: u.UnitID, Kind: stakhanov.UnitCollective, Page: stakhanov.Page{Limit: stakhanov.MaxLimit}})
	if err != nil {
		return nil, err
	}
	sc.People, sc.Collectives = people, units
	for _, p := range people {
		sc.names[stakhanov.PersonSubject(p.ID)] = p.Name
	}
	for _, c := range units {
		sc.names[stakhanov.UnitSubject(c.ID)] = c.Name
	}
	return sc, nil
}

// Name returns a subject's name, or the subject written out.
func (sc *scope) Name(sub stakhanov.Subject) string {
	if n, ok := sc.names[sub]; ok {
		return n
	}
	return sub.String()
}

// subjectOptions lists the people, then the collectives, as choices.
func (sc *scope) subjectOptions(first string) []Option {
	opts := []Option{{"", first}}
	for _, p := range sc.People {
		label := p.Name
		if p.Profession != "" {
			label += " (" + p.Profession + ")"
		}
		opts = append(opts, Option{stakhanov.PersonSubject(p.ID).String(), label})
	}
	for _, c := range sc.Collectives {
		opts = append(opts, Option{stakhanov.UnitSubject(c.ID).String(), c.Name + " (collective)"})
	}
	return opts
}

func (sc *scope) peopleOptions() []Option {
	var opts []Option
	for _, p := range sc.People {
		opts = append(opts, Option{strconv.FormatInt(p.ID, 10), p.Name})
	}
	return opts
}

func goodOptions(goods []*stakhanov.Good) []Option {
	opts := []Option{{"", "Choose a good"}}
	for _, g := range goods {
		opts = append(opts, Option{strconv.FormatInt(g.ID, 10), g.Name + " (" + g.Measure + ")"})
	}
	return opts
}

var shiftOptions = []Option{{"1", "1"}, {"2", "2"}, {"3", "3"}, {"4", "4"}}

// newKey returns a fresh idempotency key for a report form: sending the
// same form twice writes one report.
func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "web/" + base64.RawURLEncoding.EncodeToString(b)
}

type reportRow struct {
	Report *stakhanov.Report
	Name   string
	Good   *stakhanov.Good
}

type foremanData struct {
	Form     *Form
	Subjects []Option
	Goods    []Option
	Shifts   []Option
	People   []Option
	Day      stakhanov.Date
	Reports  []reportRow
	Saved    int64
	Replayed bool
	// Correcting is the report the form corrects, if any.
	Correcting *reportRow
	// Taken is the current report of the shift the form named, when it
	// has one already: the form links to its correction.
	Taken *reportRow
}

// reportForm fills the choices of the report form.
func (s *Server) foremanPage(ctx context.Context, r *http.Request, form *Form, day stakhanov.Date) (*foremanData, error) {
	u := stakhanov.UserFromContext(ctx)
	sc, err := s.scopeOf(ctx, u)
	if err != nil {
		return nil, err
	}
	goods, list, err := s.goods(ctx)
	if err != nil {
		return nil, err
	}
	d := &foremanData{Form: form, Subjects: sc.subjectOptions("Choose who worked"), Goods: goodOptions(list),
		Shifts: shiftOptions, People: sc.peopleOptions(), Day: day}
	rs, _, err := s.store.FindReports(ctx, stakhanov.ReportFilter{UnitID: u.UnitID, From: day, To: day, Page: stakhanov.Page{Limit: stakhanov.MaxLimit}})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].ID > rs[j].ID })
	for _, rep := range rs {
		d.Reports = append(d.Reports, reportRow{Report: rep, Name: sc.Name(rep.Subject), Good: goods[rep.GoodID]})
	}
	if c := form.Get("corrects"); c != "" {
		id, _ := strconv.ParseInt(c, 10, 64)
		if rep, err := s.store.FindReportByID(ctx, id); err == nil {
			d.Correcting = &reportRow{Report: rep, Name: sc.Name(rep.Subject), Good: goods[rep.GoodID]}
		}
	}
	return d, nil
}

// handleForeman shows the report form and the reports of a day
// (?date=YYYY-MM-DD, today by default).
func (s *Server) handleForeman(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	day := s.today()
	if v := q.Get("date"); v != "" {
		d, err := stakhanov.ParseDate(v)
		if err != nil {
			return stakhanov.Errorf(stakhanov.EINVALID, "Write the date as YYYY-MM-DD.")
		}
		day = d
	}
	form := NewForm(nil)
	form.Set("date", day.String())
	form.Set("shift", "1")
	form.Set("key", newKey())
	d, err := s.foremanPage(ctx, r, form, day)
	if err != nil {
		return err
	}
	d.Saved, _ = strconv.ParseInt(q.Get("saved"), 10, 64)
	d.Replayed = q.Get("replayed") != ""
	s.render(w, r, http.StatusOK, "foreman", "Shift reports", d)
	return nil
}

// handleCorrectForm shows the report form filled in from a report, to
// write its correction.
func (s *Server) handleCorrectForm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return stakhanov.Errorf(stakhanov.ENOTFOUND, "There is no report at this address.")
	}
	rep, err := s.store.FindReportByID(ctx, id)
	if err != nil {
		return err
	}
	switch {
	case rep.CorrectedBy != 0:
		return stakhanov.Errorf(stakhanov.ECONFLICT, "Report %d is already corrected by report %d: correct that one instead.", rep.ID, rep.CorrectedBy)
	case rep.SupersededBy != 0:
		return stakhanov.Errorf(stakhanov.ECONFLICT, "Report %d was set aside as a duplicate of report %d, the shift's current report: correct that one instead.", rep.ID, rep.SupersededBy)
	}
	form := NewForm(reportValues(rep))
	form.Set("key", newKey())
	form.Set("corrects", strconv.FormatInt(rep.ID, 10))
	d, err := s.foremanPage(ctx, r, form, rep.Date)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "foreman", fmt.Sprintf("Correct report %d", rep.ID), d)
	return nil
}

// reportValues writes a report as form values.
func reportValues(rep *stakhanov.Report) url.Values {
	v := url.Values{}
	v.Set("subject", rep.Subject.String())
	v.Set("good", strconv.FormatInt(rep.GoodID, 10))
	v.Set("date", rep.Date.String())
	v.Set("shift", strconv.Itoa(rep.Shift))
	v.Set("produced", formatNum(rep.Produced))
	v.Set("accepted", formatNum(rep.Accepted))
	if rep.Minutes > 0 {
		v.Set("minutes", strconv.Itoa(rep.Minutes))
	}
	v.Set("note", rep.Note)
	for _, h := range rep.Helpers {
		v.Add("helpers", strconv.FormatInt(h.PersonID, 10))
	}
	for _, id := range rep.Witnesses {
		v.Add("witnesses", strconv.FormatInt(id, 10))
	}
	return v
}

// parseReport reads a report from the form, failing each field that does
// not parse.
func parseReport(form *Form) *stakhanov.Report {
	rep := &stakhanov.Report{Key: form.Get("key"), Note: strings.TrimSpace(form.Get("note"))}
	if v := form.Get("subject"); v == "" {
		form.Fail("subject", "Choose who worked the shift.")
	} else if sub, err := stakhanov.ParseSubject(v); err != nil {
		form.Fail("subject", "Choose who worked the shift from the list.")
	} else {
		rep.Subject = sub
	}
	if id, err := strconv.ParseInt(form.Get("good"), 10, 64); err != nil || id <= 0 {
		form.Fail("good", "Choose the good produced.")
	} else {
		rep.GoodID = id
	}
	if d, err := stakhanov.ParseDate(form.Get("date")); err != nil {
		form.Fail("date", "Write the date as YYYY-MM-DD.")
	} else {
		rep.Date = d
	}
	if n, err := strconv.Atoi(form.Get("shift")); err != nil {
		form.Fail("shift", "Choose the shift, 1 to 4.")
	} else {
		rep.Shift = n
	}
	number := func(name string, dst *float64) {
		v := strings.TrimSpace(strings.ReplaceAll(form.Get(name), ",", "."))
		if v == "" {
			form.Fail(name, "Write the quantity, e.g. 7.5.")
			return
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			form.Fail(name, "Write a number, e.g. 7.5.")
			return
		}
		*dst = f
	}
	number("produced", &rep.Produced)
	number("accepted", &rep.Accepted)
	if v := strings.TrimSpace(form.Get("minutes")); v != "" {
		if n, err := strconv.Atoi(v); err != nil {
			form.Fail("minutes", "Write the minutes worked as a whole number, e.g. 360.")
		} else {
			rep.Minutes = n
		}
	}
	ids := func(name string) []int64 {
		var out []int64
		for _, v := range form.Values[name] {
			if v == "" {
				continue
			}
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				form.Fail(name, "Choose people from the list.")
				return nil
			}
			out = append(out, id)
		}
		return out
	}
	for _, id := range ids("helpers") {
		rep.Helpers = append(rep.Helpers, stakhanov.Helper{PersonID: id})
	}
	rep.Witnesses = ids("witnesses")
	if v := form.Get("corrects"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			form.Message = "The report to correct is not a report id."
		}
		rep.Corrects = id
	}
	return rep
}

// handleCreateReport writes a report (or a correction, with corrects). A
// second send of the same form (same key, same figures) writes nothing
// and lands on the same page.
func (s *Server) handleCreateReport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	form := NewForm(r.PostForm)
	form.Values.Del(csrfField)
	rep := parseReport(form)
	replayed := false
	var taken int64
	if form.OK() {
		created, err := s.store.CreateReports(ctx, []*stakhanov.Report{rep})
		if id := stakhanov.ErrorReportID(err); id != 0 && stakhanov.ErrorCode(err) == stakhanov.ECONFLICT && stakhanov.ErrorField(err) == "shift" {
			// The shift has a report: say which, and link to its
			// correction, rather than the store's words for the API.
			taken = id
			form.Message = fmt.Sprintf("This shift already has report %d.", id)
		} else if err := form.FromError(err, map[string]string{"good_id": "good", "key": ""}); err != nil {
			return err
		}
		replayed = err == nil && !created[0]
	}
	if !form.OK() {
		day := rep.Date
		if day.IsZero() {
			day = s.today()
		}
		d, err := s.foremanPage(ctx, r, form, day)
		if err != nil {
			return err
		}
		if taken != 0 {
			if d.Taken, err = s.takenRow(ctx, taken); err != nil {
				return err
			}
		}
		title := "Shift reports"
		if d.Correcting != nil {
			title = fmt.Sprintf("Correct report %d", d.Correcting.Report.ID)
		}
		s.render(w, r, http.StatusUnprocessableEntity, "foreman", title, d)
		return nil
	}
	target := fmt.Sprintf("/foreman?date=%s&saved=%d", rep.Date, rep.ID)
	if replayed {
		target += "&replayed=1"
	}
	return redirect(w, r, target)
}

// takenRow describes the current report of a shift the form named.
func (s *Server) takenRow(ctx context.Context, id int64) (*reportRow, error) {
	rep, err := s.store.FindReportByID(ctx, id)
	if err != nil {
		return nil, err
	}
	row := &reportRow{Report: rep, Name: rep.Subject.String()}
	if rep.Subject.Kind == stakhanov.SubjectPerson {
		if p, err := s.store.FindPersonByID(ctx, rep.Subject.ID); err == nil {
			row.Name = p.Name
		}
	} else if u, err := s.store.FindUnitByID(ctx, rep.Subject.ID); err == nil {
		row.Name = u.Name
	}
	if g, err := s.store.FindGoodByID(ctx, rep.GoodID); err == nil {
		row.Good = g
	}
	return row, nil
}
