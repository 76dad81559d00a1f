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
	Today    stakhanov.Date
	Subjects []subjectNorms
	// Without lists the people and collectives with no norm yet.
	Without []subjectNorms
	Saved   int64
	// Present is the norm version a form restated: nothing was saved.
	Present int64
	// Units are the units in my scope, each with whether it hides ranks
	// from its people; RanksSaved names the unit just changed.
	Units      []*stakhanov.Unit
	RanksSaved int64
}

func (s *Server) handlePlanner(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := stakhanov.UserFromContext(ctx)
	sc, err := s.scopeOf(ctx, u)
	if err != nil {
		return err
	}
	goods, _, err := s.goods(ctx)
	if err != nil {
		return err
	}
	d := plannerData{Today: s.today()}
	d.Saved, _ = strconv.ParseInt(r.URL.Query().Get("saved"), 10, 64)
	d.Present, _ = strconv.ParseInt(r.URL.Query().Get("present"), 10, 64)
	d.RanksSaved, _ = strconv.ParseInt(r.URL.Query().Get("ranks"), 10, 64)
	if d.Units, _, err = s.store.FindUnits(ctx, stakhanov.UnitFilter{Within: u.UnitID, Page: stakhanov.Page{Limit: stakhanov.MaxLimit}}); err != nil {
		return err
	}
	var subjects []stakhanov.Subject
	for _, c := range sc.Collectives {
		subjects = append(subjects, stakhanov.UnitSubject(c.ID))
	}
	for _, p := range sc.People {
		subjects = append(subjects, stakhanov.PersonSubject(p.ID))
	}
	// One query per subject: a planner's units are a mine or a plant.
	for _, sub := range subjects {
		ns, err := s.allNorms(ctx, sub)
		if err != nil {
			return err
		}
		sn := subjectNorms{Subject: sub, Name: sc.Name(sub), Norms: groupNorms(ns, goods, d.Today)}
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
	Form     *Form
	Subjects []Option
	Goods    []Option
}

func (s *Server) normForm(w http.ResponseWriter, r *http.Request, status int, form *Form) error {
	ctx := r.Context()
	sc, err := s.scopeOf(ctx, stakhanov.UserFromContext(ctx))
	if err != nil {
		return err
	}
	_, goods, err := s.goods(ctx)
	if err != nil {
		return err
	}
	s.render(w, r, status, "planner_norm", "Set a norm", normFormData{Form: form,
		Subjects: sc.subjectOptions("Choose whose norm"), Goods: goodOptions(goods)})
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
	if form.OK() {
		err := s.store.CreateNorm(r.Context(), n)
		if err := form.FromError(err, map[string]string{"good_id": "good"}); err != nil {
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
