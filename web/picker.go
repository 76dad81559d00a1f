package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stakhanov/stakhanov"
)

// A picker chooses people (and, for a report's or norm's subject,
// collectives) of the signed-in user's units. A unit of 20,000 people does
// not fit in a <select>: beyond pickListMax the list holds only what is
// chosen and what a search by name found. The search runs on the server
// (the store's name filters), so the form works without JavaScript: the
// field NAME_q is the search text and the button find=NAME sends the form
// back with the matches instead of saving it. Saving with a search text
// still in the box takes it as the choice if it is a person's number
// (1234, person:1234, unit:56 for a collective), the whole name of
// exactly one, or an entry as the list writes it ("Ivan Petrenko
// (hewer)"); otherwise the matches come back to choose from.

// pickListMax is the most people (or collectives) a picker lists in full.
const pickListMax = 200

// pickMatches is the most matches a search shows.
const pickMatches = 50

// maxPickQuery bounds a search text, in characters.
const maxPickQuery = 200

// picker is a choice field and its search box, for the "picker" partial.
type picker struct {
	Field *Field
	// Query is the search just made, Found what it found, in words.
	Query, Found string
}

// pickSpec says what a picker chooses.
type pickSpec struct {
	name, label, hint string
	// subject: values are subjects ("person:12", "unit:5") and
	// collectives may be chosen; otherwise values are person ids.
	subject bool
	many    bool
	// first is the empty choice of a single picker ("Choose who worked").
	first string
	// exclude is a person never offered (a worker does not recommend
	// themself).
	exclude int64
	// within is the unit whose people are offered; 0 for the user's
	// units.
	within int64
}

// unit is the unit whose people (and collectives) the picker offers.
func (p pickSpec) unit(ctx context.Context) int64 {
	if p.within != 0 {
		return p.within
	}
	return stakhanov.UserFromContext(ctx).UnitID
}

func (p pickSpec) value(sub stakhanov.Subject) string {
	if p.subject {
		return sub.String()
	}
	return strconv.FormatInt(sub.ID, 10)
}

// parse reads a chosen value, or a search text naming one by number.
func (p pickSpec) parse(v string) (stakhanov.Subject, bool) {
	v = strings.TrimSpace(v)
	if n, err := strconv.ParseInt(strings.TrimPrefix(v, "#"), 10, 64); err == nil && n > 0 {
		return stakhanov.PersonSubject(n), true
	}
	sub, err := stakhanov.ParseSubject(v)
	if err != nil || sub.ID <= 0 || (!p.subject && sub.Kind != stakhanov.SubjectPerson) {
		return stakhanov.Subject{}, false
	}
	return sub, true
}

func personText(p *stakhanov.Person) string {
	if p.Profession != "" {
		return p.Name + " (" + p.Profession + ")"
	}
	return p.Name
}

// candidates are what a search found: at most pickMatches people and
// collectives, and how many match in all.
type candidates struct {
	people      []*stakhanov.Person
	collectives []*stakhanov.Unit
	total       int
}

func (s *Server) searchPick(ctx context.Context, spec pickSpec, q string, limit int) (candidates, error) {
	var c candidates
	unit := spec.unit(ctx)
	people, n, err := s.store.FindPeople(ctx, stakhanov.PersonFilter{UnitID: unit, Name: q, Page: stakhanov.Page{Limit: limit}})
	if err != nil {
		return c, err
	}
	for _, p := range people {
		if p.ID != spec.exclude {
			c.people = append(c.people, p)
		} else {
			n--
		}
	}
	c.total = n
	if spec.subject {
		units, n, err := s.store.FindUnits(ctx, stakhanov.UnitFilter{Within: unit, Kind: stakhanov.UnitCollective, Name: q, Page: stakhanov.Page{Limit: limit}})
		if err != nil {
			return c, err
		}
		c.collectives, c.total = units, c.total+n
	}
	return c, nil
}

// resolvePicks takes each picker's search text as its choice where it names
// one person or collective exactly (see above). With strict (saving), a
// text that does not is an error beside the field; otherwise (a search) it
// stays to be shown as matches.
func (s *Server) resolvePicks(ctx context.Context, form *Form, strict bool, specs ...pickSpec) error {
	for _, spec := range specs {
		q := strings.TrimSpace(form.Get(spec.name + "_q"))
		if q == "" {
			continue
		}
		if utf8.RuneCountInString(q) > maxPickQuery {
			form.Fail(spec.name, fmt.Sprintf("Type at most %d characters of a name to search.", maxPickQuery))
			form.Values.Del(spec.name + "_q")
			continue
		}
		choose := func(sub stakhanov.Subject) {
			v := spec.value(sub)
			if spec.many {
				for _, x := range form.Values[spec.name] {
					if x == v {
						v = ""
					}
				}
				if v != "" {
					form.Values[spec.name] = append(form.Values[spec.name], v)
				}
			} else {
				form.Set(spec.name, v)
			}
			form.Values.Del(spec.name + "_q")
		}
		if sub, ok := spec.parse(q); ok {
			choose(sub)
			continue
		}
		// An entry as the list writes it, "Name (profession)", is
		// searched by its name.
		search := q
		if i := strings.LastIndex(q, " ("); i > 0 && strings.HasSuffix(q, ")") {
			search = q[:i]
		}
		c, err := s.searchPick(ctx, spec, search, pickMatches)
		if err != nil {
			return err
		}
		var exact []stakhanov.Subject
		for _, p := range c.people {
			if strings.EqualFold(p.Name, q) || strings.EqualFold(personText(p), q) {
				exact = append(exact, stakhanov.PersonSubject(p.ID))
			}
		}
		for _, x := range c.collectives {
			if strings.EqualFold(x.Name, q) || strings.EqualFold(x.Name+" (collective)", q) {
				exact = append(exact, stakhanov.UnitSubject(x.ID))
			}
		}
		switch {
		case len(exact) == 1:
			choose(exact[0])
		case !strict:
		case c.total == 0:
			form.Fail(spec.name, fmt.Sprintf("No one in your units is named “%s”: type part of the name and press Find, or write the person's number.", q))
		case len(exact) > 1:
			form.Fail(spec.name, fmt.Sprintf("%d are named “%s”: choose one from the list.", len(exact), q))
		default:
			form.Fail(spec.name, fmt.Sprintf("“%s” is not the whole name of anyone in your units: choose from the matches in the list.", q))
		}
	}
	return nil
}

// picker builds a picker's field: the empty choice, the values chosen (with
// their names), then everyone in a small scope, or the matches of the
// search text.
func (s *Server) picker(ctx context.Context, form *Form, spec pickSpec) (*picker, error) {
	l := s.lookup(ctx)
	var opts []Option
	if !spec.many {
		opts = append(opts, Option{"", spec.first})
	}
	seen := map[string]bool{"": true}
	add := func(v, text string) {
		if !seen[v] {
			seen[v] = true
			opts = append(opts, Option{v, text})
		}
	}
	addPerson := func(p *stakhanov.Person) { add(spec.value(stakhanov.PersonSubject(p.ID)), personText(p)) }
	addUnit := func(x *stakhanov.Unit) { add(spec.value(stakhanov.UnitSubject(x.ID)), x.Name+" (collective)") }
	for _, v := range form.Values[spec.name] {
		sub, ok := spec.parse(v)
		if !ok {
			add(v, v)
			continue
		}
		if sub.Kind == stakhanov.SubjectPerson {
			if p, err := s.store.FindPersonByID(ctx, sub.ID); err == nil {
				addPerson(p)
				continue
			}
		}
		name, err := l.name(sub)
		if code := stakhanov.ErrorCode(err); code == stakhanov.EFORBIDDEN || code == stakhanov.ENOTFOUND {
			name = v
		} else if err != nil {
			return nil, err
		}
		if sub.Kind == stakhanov.SubjectUnit {
			name += " (collective)"
		}
		add(v, name)
	}
	p := &picker{Query: strings.TrimSpace(form.Get(spec.name + "_q"))}
	hint := spec.hint
	limit := pickListMax
	if p.Query != "" {
		limit = pickMatches
	}
	c, err := s.searchPick(ctx, spec, p.Query, limit)
	if err != nil {
		return nil, err
	}
	switch {
	case p.Query != "":
		shown := len(c.people) + len(c.collectives)
		switch {
		case c.total == 0:
			p.Found = fmt.Sprintf("No one in your units matches “%s”.", p.Query)
		case shown < c.total:
			p.Found = fmt.Sprintf("%d of %d matches for “%s” are in the list: type more of the name.", shown, c.total, p.Query)
		default:
			p.Found = fmt.Sprintf("%d found for “%s”: choose in the list.", c.total, p.Query)
		}
	case c.total > len(c.people)+len(c.collectives):
		// Too many to list: only what is chosen, and the search.
		hint = strings.TrimSpace(fmt.Sprintf("%d to choose from: type part of a name and press Find, or write the person's number. %s", c.total, hint))
		c = candidates{}
	}
	for _, x := range c.people {
		addPerson(x)
	}
	for _, x := range c.collectives {
		addUnit(x)
	}
	f := newField(form, spec.name, spec.label).Select(opts).WithHint(hint)
	if spec.many {
		f.Many()
	} else {
		f.Req()
	}
	p.Field = f
	return p, nil
}

// honoursPageSize is how many rows a page of an honours list (ceremonies,
// decrees, nominations) shows.
const honoursPageSize = 50

// offsetOf reads the offset parameter of a paged page.
func offsetOf(r *http.Request) int {
	n, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	return max(0, n)
}

// newestFirst returns page (offset, limit) of a list shown newest first,
// from a store that lists oldest first, and the list's total.
func newestFirst[T any](find func(stakhanov.Page) ([]T, int, error), offset, limit int) ([]T, int, error) {
	offset = max(0, offset)
	_, total, err := find(stakhanov.Page{Limit: 1})
	if err != nil {
		return nil, 0, err
	}
	from, n := max(0, total-offset-limit), min(limit, total-offset)
	if n <= 0 {
		return nil, total, nil
	}
	items, _, err := find(stakhanov.Page{Offset: from, Limit: n})
	if err != nil {
		return nil, 0, err
	}
	slices.Reverse(items)
	return items, total, nil
}
