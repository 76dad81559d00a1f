package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// The awarding authority's pages: the decrees and their state, a draft
// decree from approved nominations, and a decree's page with its entries,
// the eligibility problems a pre-check finds before signing, and the sign
// button. The store checks eligibility again when the decree is signed and
// signs nothing if any entry fails; its answer names each entry.

func init() {
	navs[stakhanov.RoleAuthority] = []Link{
		{"/authority", "Decrees"},
		{"/authority/decrees/new", "Draft a decree"},
	}
}

type decreeRow struct {
	D       *stakhanov.Decree
	Entries int
}

type authorityData struct {
	Decrees []decreeRow
	Pager   pager
	// Approved counts the approved nominations waiting for a decree.
	Approved int
}

// handleAuthority lists the decrees, newest first, a page at a time.
func (s *Server) handleAuthority(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	offset := offsetOf(r)
	decrees, total, err := newestFirst(func(p stakhanov.Page) ([]*stakhanov.Decree, int, error) {
		return s.store.FindDecrees(ctx, stakhanov.DecreeFilter{Page: p})
	}, offset, honoursPageSize)
	if err != nil {
		return err
	}
	data := authorityData{Pager: newPager(r.URL, offset, honoursPageSize, len(decrees), total)}
	for _, d := range decrees {
		data.Decrees = append(data.Decrees, decreeRow{D: d, Entries: len(d.Entries)})
	}
	_, data.Approved, err = s.store.FindNominations(ctx, stakhanov.NominationFilter{State: stakhanov.NominationApproved, Page: stakhanov.Page{Limit: 1}})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "authority", "Decrees", data)
	return nil
}

// lastDecrees returns up to n of the latest decrees by date, oldest first.
func (s *Server) lastDecrees(ctx context.Context, n int) ([]*stakhanov.Decree, error) {
	_, total, err := s.store.FindDecrees(ctx, stakhanov.DecreeFilter{Page: stakhanov.Page{Limit: 1}})
	if err != nil {
		return nil, err
	}
	out, _, err := s.store.FindDecrees(ctx, stakhanov.DecreeFilter{Page: stakhanov.Page{Offset: max(0, total-n), Limit: n}})
	return out, err
}

// decreeState says whether a decree is signed.
func decreeState(d *stakhanov.Decree) string {
	if d.SignedAt != nil {
		return "signed " + d.SignedAt.UTC().Format("2006-01-02")
	}
	if d.Discarded != nil {
		return "discarded " + d.Discarded.At.UTC().Format("2006-01-02")
	}
	return "draft"
}

// State is the decree's state in words.
func (r decreeRow) State() string { return decreeState(r.D) }

type approvedRow struct {
	honNomination
	Checked bool
}

type draftData struct {
	Form *Form
	// Approved are a page (Pager) of the approved nominations, oldest
	// first; a decree is drafted from one page.
	Approved []approvedRow
	Pager    pager
	Offset   int
}

// draftPageSize is how many approved nominations the draft form offers at
// once.
const draftPageSize = 100

func (s *Server) draftPage(w http.ResponseWriter, r *http.Request, status int, form *Form) error {
	ctx := r.Context()
	offset := offsetOf(r)
	if v := form.Get("offset"); v != "" {
		offset, _ = strconv.Atoi(v)
		offset = max(0, offset)
	}
	noms, total, err := s.store.FindNominations(ctx, stakhanov.NominationFilter{State: stakhanov.NominationApproved, Page: stakhanov.Page{Offset: offset, Limit: draftPageSize}})
	if err != nil {
		return err
	}
	l := s.lookup(ctx)
	data := draftData{Form: form, Offset: offset, Pager: newPager(&url.URL{Path: "/authority/decrees/new"}, offset, draftPageSize, len(noms), total)}
	chosen := form.Values["nomination"]
	authorities := map[string]bool{}
	for _, n := range noms {
		h, err := l.nomination(n)
		if err != nil {
			return err
		}
		authorities[h.Award.Authority] = true
		data.Approved = append(data.Approved, approvedRow{honNomination: h, Checked: slices.Contains(chosen, strconv.FormatInt(n.ID, 10))})
	}
	// Prefill the authority when every approved nomination names the same.
	if _, typed := form.Values["authority"]; !typed && len(authorities) == 1 {
		for a := range authorities {
			form.Set("authority", a)
		}
	}
	s.render(w, r, status, "authority_draft", "Draft a decree", data)
	return nil
}

// handleDecreeForm shows the form to draft a decree from approved
// nominations.
func (s *Server) handleDecreeForm(w http.ResponseWriter, r *http.Request) error {
	form := NewForm(url.Values{"number": {""}, "date": {s.today().String()}})
	return s.draftPage(w, r, http.StatusOK, form)
}

// handleDraftDecree drafts a decree conferring the chosen nominations.
func (s *Server) handleDraftDecree(w http.ResponseWriter, r *http.Request) error {
	form := NewForm(r.PostForm)
	form.Values.Del(csrfField)
	d := &stakhanov.Decree{Kind: stakhanov.DecreeConfer,
		Number: strings.TrimSpace(form.Get("number")), Authority: strings.TrimSpace(form.Get("authority"))}
	if d.Number == "" {
		form.Fail("number", "Write the decree's number.")
	}
	if v := strings.TrimSpace(form.Get("date")); v == "" {
		form.Fail("date", "Write the decree's date.")
	} else if date, err := stakhanov.ParseDate(v); err != nil {
		form.Fail("date", "Write the date as YYYY-MM-DD, e.g. 2013-05-01.")
	} else {
		d.Date = date
	}
	if d.Authority == "" {
		form.Fail("authority", "Write the awarding authority that issues the decree.")
	}
	for _, v := range form.Values["nomination"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			form.Fail("nomination", "Choose nominations from the list.")
			break
		}
		d.Entries = append(d.Entries, stakhanov.DecreeEntry{NominationID: id})
	}
	if len(d.Entries) == 0 {
		form.Fail("nomination", "Choose at least one approved nomination.")
	}
	status := http.StatusBadRequest
	if form.OK() {
		err := s.store.CreateDecree(r.Context(), d)
		if err == nil {
			return redirect(w, r, fmt.Sprintf("/authority/decrees/%d?drafted=1", d.ID))
		}
		if err := s.fromError(r, form, err, map[string]string{"entries": "nomination"}); err != nil {
			return err
		}
		status = honStatus(err)
	}
	return s.draftPage(w, r, status, form)
}

// decreeEntry is one line of a decree as its page shows it.
type decreeEntry struct {
	Index     int
	Nom       *honNomination
	Recipient string
	Award     *stakhanov.Award
	// Conferral and Grounds are the entry of a revocation.
	Conferral int64
	Grounds   string
	// Problems are what the pre-check finds; Refused is what the store
	// said about this entry when signing failed.
	Problems []string
	Refused  string
}

type decreeData struct {
	D       *stakhanov.Decree
	State   string
	Entries []decreeEntry
	// Checked: the pre-check ran (a draft); Problems counts the entries
	// with problems.
	Checked    bool
	Problems   int
	Conferrals []honConferral
	// SignError is the store's answer to a failed signing.
	SignError string
	Drafted   bool
	Signed    bool
}

// honConferral is a conferral with its award and recipient's names.
type honConferral struct {
	C         *stakhanov.Conferral
	Award     *stakhanov.Award
	Recipient string
	Decree    *stakhanov.Decree
}

func (l *honLookup) conferral(c *stakhanov.Conferral) (honConferral, error) {
	a, err := l.award(c.AwardID)
	if err != nil {
		return honConferral{}, err
	}
	name, err := l.name(c.Recipient)
	if err != nil {
		return honConferral{}, err
	}
	return honConferral{C: c, Award: a, Recipient: name}, nil
}

func (s *Server) handleDecree(w http.ResponseWriter, r *http.Request) error {
	return s.decreePage(w, r, http.StatusOK, nil)
}

// entryProblem matches one entry's part of the store's refusal to sign:
// "entry 3: why, why".
var entryProblem = regexp.MustCompile(`entry (\d+): ([^;]*)`)

// decreePage writes a decree's page; signErr is the store's refusal to
// sign it, if it just refused.
func (s *Server) decreePage(w http.ResponseWriter, r *http.Request, status int, signErr error) error {
	ctx := r.Context()
	id, err := honID(r, "id", "decree")
	if err != nil {
		return err
	}
	d, err := s.store.FindDecreeByID(ctx, id)
	if err != nil {
		return err
	}
	l := s.lookup(ctx)
	q := r.URL.Query()
	data := decreeData{D: d, State: decreeState(d), Drafted: q.Get("drafted") != "", Signed: q.Get("signed") != ""}
	if data.Entries, err = s.decreeEntries(l, d); err != nil {
		return err
	}
	if d.SignedAt == nil && d.Discarded == nil {
		data.Checked = true
		// The store's own check, as signing will make it.
		problems, err := s.store.DecreeProblems(ctx, d.ID)
		if err != nil {
			return err
		}
		for i := range data.Entries {
			if i < len(problems) {
				data.Entries[i].Problems = append(data.Entries[i].Problems, problems[i]...)
			}
		}
	}
	if signErr != nil {
		data.SignError = stakhanov.ErrorMessage(signErr)
		for _, m := range entryProblem.FindAllStringSubmatch(data.SignError, -1) {
			if i, err := strconv.Atoi(m[1]); err == nil && i >= 1 && i <= len(data.Entries) {
				data.Entries[i-1].Refused = strings.TrimSpace(m[2])
			}
		}
	}
	for _, e := range data.Entries {
		if len(e.Problems) > 0 {
			data.Problems++
		}
	}
	for _, cid := range d.Conferrals {
		c, err := s.store.FindConferralByID(ctx, cid)
		if err != nil {
			return err
		}
		hc, err := l.conferral(c)
		if err != nil {
			return err
		}
		data.Conferrals = append(data.Conferrals, hc)
	}
	s.render(w, r, status, "authority_decree", "Decree No. "+d.Number, data)
	return nil
}

// decreeEntries describes a decree's entries.
func (s *Server) decreeEntries(l *honLookup, d *stakhanov.Decree) ([]decreeEntry, error) {
	out := make([]decreeEntry, len(d.Entries))
	for i, e := range d.Entries {
		de := decreeEntry{Index: i, Conferral: e.ConferralID, Grounds: e.Grounds}
		switch d.Kind {
		case stakhanov.DecreeConfer:
			n, err := l.s.FindNominationByID(l.ctx, e.NominationID)
			if stakhanov.ErrorCode(err) == stakhanov.ENOTFOUND {
				break // the store's check says so
			} else if err != nil {
				return nil, err
			}
			h, err := l.nomination(n)
			if err != nil {
				return nil, err
			}
			de.Nom, de.Recipient, de.Award = &h, h.Candidate, h.Award
		case stakhanov.DecreeRecord:
			a, err := l.award(e.AwardID)
			if err != nil {
				return nil, err
			}
			name, err := l.name(e.Recipient)
			if err != nil {
				return nil, err
			}
			de.Recipient, de.Award = name, a
		case stakhanov.DecreeRevoke:
			c, err := l.s.FindConferralByID(l.ctx, e.ConferralID)
			if err != nil && stakhanov.ErrorCode(err) != stakhanov.ENOTFOUND {
				return nil, err
			}
			if c != nil {
				hc, err := l.conferral(c)
				if err != nil {
					return nil, err
				}
				de.Recipient, de.Award = hc.Recipient, hc.Award
			}
		}
		out[i] = de
	}
	return out, nil
}

// handleSignDecree signs a decree. If the store refuses, the decree's page
// comes back with its reasons beside each entry.
func (s *Server) handleSignDecree(w http.ResponseWriter, r *http.Request) error {
	id, err := honID(r, "id", "decree")
	if err != nil {
		return err
	}
	_, err = s.store.SignDecree(r.Context(), id)
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/authority/decrees/%d?signed=1", id))
	}
	if ferr := s.fromError(r, NewForm(nil), err, nil); ferr != nil {
		return ferr
	}
	return s.decreePage(w, r, honStatus(err), err)
}

// handleRemoveDecreeEntry takes an entry out of a draft, with its reason
// (the pre-check's first problem, as the button sends it).
func (s *Server) handleRemoveDecreeEntry(w http.ResponseWriter, r *http.Request) error {
	id, err := honID(r, "id", "decree")
	if err != nil {
		return err
	}
	entry, err := strconv.Atoi(r.PathValue("entry"))
	if err != nil {
		return stakhanov.Errorf(stakhanov.ENOTFOUND, "There is no entry %q.", r.PathValue("entry"))
	}
	if _, err := s.store.RemoveDecreeEntry(r.Context(), id, entry, r.PostFormValue("reason")); err != nil {
		if ferr := s.fromError(r, NewForm(nil), err, nil); ferr != nil {
			return ferr
		}
		return s.decreePage(w, r, honStatus(err), err)
	}
	return redirect(w, r, fmt.Sprintf("/authority/decrees/%d", id))
}

// handleDiscardDecree gives a draft up, on record with its reason.
func (s *Server) handleDiscardDecree(w http.ResponseWriter, r *http.Request) error {
	id, err := honID(r, "id", "decree")
	if err != nil {
		return err
	}
	if _, err := s.store.DiscardDecree(r.Context(), id, r.PostFormValue("reason")); err != nil {
		if ferr := s.fromError(r, NewForm(nil), err, nil); ferr != nil {
			return ferr
		}
		return s.decreePage(w, r, honStatus(err), err)
	}
	return redirect(w, r, fmt.Sprintf("/authority/decrees/%d", id))
}
