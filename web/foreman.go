package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// The foreman's pages: enter a shift report, see the day's reports of my
// units, correct one. A correction is a new report naming the one it
// corrects (reports are never changed).

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
	Form *Form
	// Subject, Helpers and Witnesses choose people (and collectives) of
	// my units: see picker.go.
	Subject, Helpers, Witnesses *picker
	Goods                       []Option
	Shifts                      []Option
	Day                         stakhanov.Date
	// Reports are a page of the day's reports, newest first.
	Reports  []reportRow
	Pager    pager
	Saved    int64
	Replayed bool
	// Correcting is the report the form corrects, if any.
	Correcting *reportRow
	// Taken is the current report of the shift the form named, when it
	// has one already: the form links to its correction.
	Taken *reportRow
}

// reportPicks are the report form's choices of people.
var reportPicks = []pickSpec{
	{name: "subject", label: "Who worked", subject: true, first: "Choose who worked"},
	{name: "helpers", label: "Helpers", many: true, hint: "People who helped: the team shares the output equally. Ctrl- or Cmd-click to choose several."},
	{name: "witnesses", label: "Witnesses", many: true, hint: "People who saw the shift but did not work it."},
}

// dayReportsPageSize is how many of a day's reports a page lists.
const dayReportsPageSize = 100

// foremanPage fills the report form's choices and a page (offset) of the
// day's reports.
func (s *Server) foremanPage(ctx context.Context, r *http.Request, form *Form, day stakhanov.Date) (*foremanData, error) {
	u := stakhanov.UserFromContext(ctx)
	goods, list, err := s.goods(ctx)
	if err != nil {
		return nil, err
	}
	d := &foremanData{Form: form, Goods: goodOptions(list), Shifts: shiftOptions, Day: day}
	for i, dst := range []**picker{&d.Subject, &d.Helpers, &d.Witnesses} {
		if *dst, err = s.picker(ctx, form, reportPicks[i]); err != nil {
			return nil, err
		}
	}
	offset := 0
	if r.Method == http.MethodGet {
		offset, _ = strconv.Atoi(r.URL.Query().Get("offset"))
	}
	f := stakhanov.ReportFilter{UnitID: u.UnitID, From: day, To: day}
	rs, total, err := newestFirst(func(p stakhanov.Page) ([]*stakhanov.Report, int, error) {
		f.Page = p
		return s.store.FindReports(ctx, f)
	}, offset, dayReportsPageSize)
	if err != nil {
		return nil, err
	}
	l := s.lookup(ctx)
	row := func(rep *stakhanov.Report) (reportRow, error) {
		name, err := l.name(rep.Subject)
		return reportRow{Report: rep, Name: name, Good: goods[rep.GoodID]}, err
	}
	for _, rep := range rs {
		rr, err := row(rep)
		if err != nil {
			return nil, err
		}
		d.Reports = append(d.Reports, rr)
	}
	d.Pager = newPager(&url.URL{Path: "/foreman", RawQuery: url.Values{"date": {day.String()}}.Encode()}, max(0, offset), dayReportsPageSize, len(rs), total)
	if c := form.Get("corrects"); c != "" {
		id, _ := strconv.ParseInt(c, 10, 64)
		if rep, err := s.store.FindReportByID(ctx, id); err == nil {
			rr, err := row(rep)
			if err != nil {
				return nil, err
			}
			d.Correcting = &rr
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

// reportFormAgain shows the report form as sent, after a search.
func (s *Server) reportFormAgain(w http.ResponseWriter, r *http.Request, form *Form) error {
	day, err := stakhanov.ParseDate(form.Get("date"))
	if err != nil {
		day = s.today()
	}
	d, err := s.foremanPage(r.Context(), r, form, day)
	if err != nil {
		return err
	}
	title := "Shift reports"
	if d.Correcting != nil {
		title = fmt.Sprintf("Correct report %d", d.Correcting.Report.ID)
	}
	s.render(w, r, http.StatusOK, "foreman", title, d)
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
	rep := &stakhanov.Report{Key: form.Get("key"), Note: strings.TrimSpace(form.Get("note")), Late: form.Get("late") != ""}
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
		f, err := stakhanov.ParseDecimal(v)
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
	// Find: show the matches of the search boxes instead of saving.
	find := form.Get("find") != ""
	form.Values.Del("find")
	if err := s.resolvePicks(ctx, form, !find, reportPicks...); err != nil {
		return err
	}
	if find {
		return s.reportFormAgain(w, r, form)
	}
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
		} else if err := s.fromError(r, form, err, map[string]string{"good_id": "good", "key": ""}); err != nil {
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
