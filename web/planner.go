package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// The planner's pages: the norms of my units with their versions, and a
// form to set a new norm (a new version; history is never overwritten).

type subjectNorms struct {
	Subject stakhanov.Subject
	Name    string
	Norms   []normGroup
}

type plannerData struct {
	Today stakhanov.Date
	// Subjects are a page of the collectives, then the people, of my
	// units (Pager) that have a norm, Without those of the page with no
	// norm yet.
	Subjects []subjectNorms
	Without  []subjectNorms
	Pager    pager
	Saved    int64
	// Present is the norm version a form restated: nothing was saved.
	Present int64
	// Units are a page (UnitsPager) of the units in my scope, each with
	// whether it hides ranks from its people; RanksSaved names the unit
	// just changed.
	Units      []*stakhanov.Unit
	UnitsPager pager
	RanksSaved int64
	// Unit is the unit the planner's other pages open on: nil, my own.
	Unit *stakhanov.Unit
}

// plannerPageSize is how many people and collectives, and how many units,
// a page of the planner's lists shows.
const plannerPageSize = 50

func (s *Server) handlePlanner(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := stakhanov.UserFromContext(ctx)
	goods, _, err := s.goods(ctx)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d := plannerData{Today: s.today()}
	d.Saved, _ = strconv.ParseInt(q.Get("saved"), 10, 64)
	d.Present, _ = strconv.ParseInt(q.Get("present"), 10, 64)
	d.RanksSaved, _ = strconv.ParseInt(q.Get("ranks"), 10, 64)
	unitsOffset, _ := strconv.Atoi(q.Get("units_offset"))
	unitsOffset = max(0, unitsOffset)
	var units int
	if d.Units, units, err = s.store.FindUnits(ctx, stakhanov.UnitFilter{Within: u.UnitID, Page: stakhanov.Page{Offset: unitsOffset, Limit: plannerPageSize}}); err != nil {
		return err
	}
	d.UnitsPager = newPagerAt(r.URL, "units_offset", unitsOffset, plannerPageSize, len(d.Units), units)
	// The page's subjects: the collectives first, then the people.
	offset, _ := strconv.Atoi(q.Get("offset"))
	offset = max(0, offset)
	_, collectives, err := s.store.FindUnits(ctx, stakhanov.UnitFilter{Within: u.UnitID, Kind: stakhanov.UnitCollective, Page: stakhanov.Page{Limit: 1}})
	if err != nil {
		return err
	}
	type named struct {
		sub  stakhanov.Subject
		name string
	}
	var subjects []named
	if offset < collectives {
		cs, _, err := s.store.FindUnits(ctx, stakhanov.UnitFilter{Within: u.UnitID, Kind: stakhanov.UnitCollective, Page: stakhanov.Page{Offset: offset, Limit: plannerPageSize}})
		if err != nil {
			return err
		}
		for _, c := range cs {
			subjects = append(subjects, named{stakhanov.UnitSubject(c.ID), c.Name})
		}
	}
	people := 0
	if n := plannerPageSize - len(subjects); n > 0 {
		ps, total, err := s.store.FindPeople(ctx, stakhanov.PersonFilter{UnitID: u.UnitID, Page: stakhanov.Page{Offset: max(0, offset-collectives), Limit: n}})
		if err != nil {
			return err
		}
		people = total
		for _, p := range ps {
			subjects = append(subjects, named{stakhanov.PersonSubject(p.ID), p.Name})
		}
	} else if _, people, err = s.store.FindPeople(ctx, stakhanov.PersonFilter{UnitID: u.UnitID, Page: stakhanov.Page{Limit: 1}}); err != nil {
		return err
	}
	d.Pager = newPager(r.URL, offset, plannerPageSize, len(subjects), collectives+people)
	// One query per subject of the page.
	for _, x := range subjects {
		sub := x.sub
		ns, err := s.allNorms(ctx, sub)
		if err != nil {
			return err
		}
		sn := subjectNorms{Subject: sub, Name: x.name, Norms: groupNorms(ns, goods, d.Today)}
		if len(ns) == 0 {
			d.Without = append(d.Without, sn)
		} else {
			d.Subjects = append(d.Subjects, sn)
		}
	}
	s.render(w, r, http.StatusOK, "planner", "Norms", d)
	return nil
}

type normFormData struct {
	Form    *Form
	Subject *picker
	Goods   []Option
	// Preview is what the norm as typed would do (the Preview button).
	Preview *stakhanov.NormPreview
	Measure string
}

// normPick is the norm form's choice of whose norm it is.
var normPick = pickSpec{name: "subject", label: "Whose norm", subject: true, first: "Choose whose norm"}

func (s *Server) normForm(w http.ResponseWriter, r *http.Request, status int, form *Form) error {
	return s.normFormWith(w, r, status, form, nil)
}

func (s *Server) normFormWith(w http.ResponseWriter, r *http.Request, status int, form *Form, preview *stakhanov.NormPreview) error {
	ctx := r.Context()
	p, err := s.picker(ctx, form, normPick)
	if err != nil {
		return err
	}
	byID, goods, err := s.goods(ctx)
	if err != nil {
		return err
	}
	d := normFormData{Form: form, Subject: p, Goods: goodOptions(goods), Preview: preview}
	if preview != nil && byID[preview.Norm.GoodID] != nil {
		d.Measure = byID[preview.Norm.GoodID].Measure
	}
	s.render(w, r, status, "planner_norm", "Set a norm", d)
	return nil
}

// handleNormForm shows the form for a new norm; ?subject= and ?good=
// prefill it (from the norms list).
func (s *Server) handleNormForm(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	form := NewForm(nil)
	form.Set("subject", q.Get("subject"))
	form.Set("good", q.Get("good"))
	form.Set("effective_from", s.today().String())
	return s.normForm(w, r, http.StatusOK, form)
}

func (s *Server) handleCreateNorm(w http.ResponseWriter, r *http.Request) error {
	form := NewForm(r.PostForm)
	form.Values.Del(csrfField)
	// Find: show the matches of the search box instead of saving.
	find := form.Get("find") != ""
	form.Values.Del("find")
	// Preview: show what the norm would do instead of saving.
	preview := form.Get("preview") != ""
	form.Values.Del("preview")
	if err := s.resolvePicks(r.Context(), form, !find, normPick); err != nil {
		return err
	}
	if find {
		return s.normForm(w, r, http.StatusOK, form)
	}
	n := &stakhanov.Norm{Reason: strings.TrimSpace(form.Get("reason"))}
	if sub, err := stakhanov.ParseSubject(form.Get("subject")); err != nil {
		form.Fail("subject", "Choose whose norm it is.")
	} else {
		n.Subject = sub
	}
	if id, err := strconv.ParseInt(form.Get("good"), 10, 64); err != nil || id <= 0 {
		form.Fail("good", "Choose the good.")
	} else {
		n.GoodID = id
	}
	if v := strings.TrimSpace(strings.ReplaceAll(form.Get("amount"), ",", ".")); v == "" {
		form.Fail("amount", "Write the amount per shift, e.g. 7.")
	} else if a, err := stakhanov.ParseDecimal(v); err != nil {
		form.Fail("amount", "Write a number, e.g. 7 or 7.5.")
	} else {
		n.Amount = a
	}
	if d, err := stakhanov.ParseDate(form.Get("effective_from")); err != nil {
		form.Fail("effective_from", "Write the date as YYYY-MM-DD.")
	} else {
		n.EffectiveFrom = d
	}
	if n.Reason == "" {
		form.Fail("reason", "Say why the norm is set: it is kept with the norm.")
	}
	if form.OK() && preview {
		p, err := stakhanov.PreviewNorm(r.Context(), s.store, n, s.today())
		if err := s.fromError(r, form, err, map[string]string{"good_id": "good"}); err != nil {
			return err
		}
		if form.OK() {
			return s.normFormWith(w, r, http.StatusOK, form, p)
		}
	}
	if form.OK() {
		err := s.store.CreateNorm(r.Context(), n)
		if err := s.fromError(r, form, err, map[string]string{"good_id": "good"}); err != nil {
			return err
		}
	}
	if !form.OK() {
		return s.normForm(w, r, http.StatusUnprocessableEntity, form)
	}
	if n.Present {
		return redirect(w, r, "/planner?present="+strconv.FormatInt(n.ID, 10))
	}
	return redirect(w, r, "/planner?saved="+strconv.FormatInt(n.ID, 10))
}

// handleSetUnitRanks records a unit's choice to hide ranks from its people
// (hide_ranks=1) or show them (hide_ranks=0): a new setting, the latest in
// force; the store checks that the unit is in my scope.
func (s *Server) handleSetUnitRanks(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return stakhanov.Errorf(stakhanov.ENOTFOUND, "There is no unit %q.", r.PathValue("id"))
	}
	var hide bool
	switch r.PostForm.Get("hide_ranks") {
	case "1":
		hide = true
	case "0":
	default:
		return stakhanov.Errorf(stakhanov.EINVALID, "Choose whether to hide ranks (hide_ranks 1) or show them (0).")
	}
	if err := s.store.SetUnitHidesRanks(r.Context(), id, hide); err != nil {
		return err
	}
	return redirect(w, r, "/planner?ranks="+strconv.FormatInt(id, 10)+"#unit-ranks")
}
