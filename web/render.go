package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/stakhanov/stakhanov"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Page is what every template gets: the page's own data in .Data, and
// what the layout needs (the signed-in user, the CSRF token for forms).
type Page struct {
	Title string
	// User is the signed-in user, or nil.
	User *stakhanov.User
	// Path is the request's path, for marking the current navigation link.
	Path string
	// URL is the request's URL, for links that change one query parameter:
	// {{query $.URL "offset" 100}}.
	URL *url.URL
	// Nav are the links of the signed-in user's role.
	Nav []Link
	// Notice is a one-line message at the top (e.g. after a redirect).
	Notice string
	Data   any

	csrf func() string
}

// CSRF is the token every form posts back in the hidden field "csrf"
// ({{template "csrf" $}} writes it). It is worked out only when a page has
// a form, so that a visitor gets a cookie only from pages with forms.
func (p *Page) CSRF() string { return p.csrf() }

// Link is a navigation link.
type Link struct {
	Href, Text string
}

// pages holds one template set per page: the layout, the shared partials
// and the page's own file, which defines "title" and "content".
type pages struct {
	sets map[string]*template.Template
}

var funcs = template.FuncMap{
	"field":   newField,
	"num":     formatNum,
	"pct":     formatPercent,
	"percent": func(v float64) string { return formatPercent(&v) },
	"mul100":  func(v float64) float64 { return v * 100 },
	"list":    func(v ...string) []string { return v },
	"date":    func(d stakhanov.Date) string { return d.String() },
	"time":    func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"subject": func(s stakhanov.Subject) string { return s.String() },
	"query":   queryWith,
	"add":     func(a, b int) int { return a + b },
	"deref":   func(p *float64) float64 { return *p },
	"join":    strings.Join,
}

func mustParsePages() *pages {
	p := &pages{sets: map[string]*template.Template{}}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, name := range names {
		base := strings.TrimSuffix(path.Base(name), ".html")
		if base == "layout" || base == "partials" {
			continue
		}
		t := template.Must(template.New(base).Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/partials.html", name))
		p.sets[base] = t
	}
	return p
}

// render writes the named page (templates/NAME.html) in the layout with
// the given status. data is the page's own data, .Data in the template.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	t, ok := s.pages.sets[name]
	if !ok {
		panic("web: no template " + name)
	}
	u := stakhanov.UserFromContext(r.Context())
	var token string
	p := &Page{Title: title, User: u, Path: r.URL.Path, URL: r.URL, Data: data, csrf: func() string {
		// The page is rendered into a buffer before anything is written,
		// so the visitor cookie can still be set here.
		if token == "" {
			token = s.csrfToken(w, r)
		}
		return token
	}}
	if u != nil {
		p.Nav = navFor(u.Role)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.logger.ErrorContext(r.Context(), "render failed", "page", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// redirect answers a successful POST: the browser loads target with GET,
// so that reloading it does not send the form again.
func redirect(w http.ResponseWriter, r *http.Request, target string) error {
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.FileServerFS(staticFS).ServeHTTP(w, r)
	return nil
}

// Form holds what a user typed into a form and what is wrong with it, so
// that a form sent back shows the values as typed and each error beside
// its field.
type Form struct {
	Values url.Values
	// Errors maps a field's name to its message.
	Errors map[string]string
	// Message is an error that belongs to no one field, shown above the
	// form.
	Message string
}

// NewForm returns a form holding a copy of values (nil for an empty form).
func NewForm(values url.Values) *Form {
	v := url.Values{}
	for k, vs := range values {
		v[k] = append([]string(nil), vs...)
	}
	return &Form{Values: v, Errors: map[string]string{}}
}

// Get returns a field's value as typed.
func (f *Form) Get(name string) string { return f.Values.Get(name) }

// Set sets a field's value (to prefill a form).
func (f *Form) Set(name, value string) { f.Values.Set(name, value) }

// Fail records an error for a field; the first error of a field wins.
func (f *Form) Fail(name, message string) {
	if _, ok := f.Errors[name]; !ok {
		f.Errors[name] = message
	}
}

// OK reports whether the form has no errors.
func (f *Form) OK() bool { return len(f.Errors) == 0 && f.Message == "" }

// FromError places a store error: beside the field it names
// (stakhanov.ErrorField), renamed through rename where the form's field
// names differ from the store's ("good_id" -> "good"), or above the form
// when it names no field of this form. It returns err unchanged if err is
// not a user's mistake (an internal error), so that the caller can return
// it; nil otherwise.
func (f *Form) FromError(err error, rename map[string]string) error {
	code := stakhanov.ErrorCode(err)
	switch code {
	case "":
		return nil
	case stakhanov.EINVALID, stakhanov.ECONFLICT, stakhanov.EFORBIDDEN, stakhanov.ENOTFOUND, stakhanov.ETOOLARGE:
	default:
		return err
	}
	msg := stakhanov.ErrorMessage(err)
	field := stakhanov.ErrorField(err)
	if to, ok := rename[field]; ok {
		field = to
	} else if i := strings.IndexAny(field, "[."); i > 0 {
		// helpers[0].person_id -> helpers
		if to, ok := rename[field[:i]]; ok {
			field = to
		} else {
			field = field[:i]
		}
	}
	if _, typed := f.Values[field]; field != "" && typed {
		f.Fail(field, msg)
	} else {
		f.Message = msg
	}
	return nil
}

// Field describes one labelled form control for the "field" partial:
//
//	{{template "field" (field .Data.Form "produced" "Produced").Number "any"}}
//
// writes a <label for>, the control with the value as typed,
// aria-describedby pointing at its hint and error, and the error in a
// p.field-error beside it.
type Field struct {
	Form         *Form
	Name, Label  string
	Type         string // text, number, date, password, select, textarea, hidden
	Step         string
	Min          string
	Hint         string
	Autocomplete string
	Required     bool
	Multiple     bool
	Options      []Option
}

// Option is one choice of a select field.
type Option struct {
	Value, Text string
}

func newField(f *Form, name, label string) *Field {
	if f == nil {
		f = NewForm(nil)
	}
	return &Field{Form: f, Name: name, Label: label, Type: "text"}
}

func (f *Field) Number(step string) *Field { f.Type, f.Step = "number", step; return f }
func (f *Field) Date() *Field              { f.Type = "date"; return f }
func (f *Field) Password() *Field          { f.Type = "password"; return f }
func (f *Field) Textarea() *Field          { f.Type = "textarea"; return f }
func (f *Field) Req() *Field               { f.Required = true; return f }
func (f *Field) WithHint(h string) *Field  { f.Hint = h; return f }
func (f *Field) WithMin(m string) *Field   { f.Min = m; return f }
func (f *Field) Auto(a string) *Field      { f.Autocomplete = a; return f }
func (f *Field) Select(opts []Option) *Field {
	f.Type, f.Options = "select", opts
	return f
}

// Many makes a select field a multiple choice.
func (f *Field) Many() *Field { f.Multiple = true; return f }

// Selected reports whether v is among the field's values as sent.
func (f *Field) Selected(v string) bool {
	for _, x := range f.Form.Values[f.Name] {
		if x == v {
			return true
		}
	}
	return false
}

// ID is the control's id: "f-" and the name.
func (f *Field) ID() string { return "f-" + f.Name }

// Value is the value as typed.
func (f *Field) Value() string { return f.Form.Get(f.Name) }

// Error is the field's error message, if any.
func (f *Field) Error() string { return f.Form.Errors[f.Name] }

// DescribedBy lists the ids of the hint and the error, for
// aria-describedby.
func (f *Field) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID()+"-hint")
	}
	if f.Error() != "" {
		ids = append(ids, f.ID()+"-error")
	}
	return strings.Join(ids, " ")
}

// formatNum writes a figure as the domain does (stakhanov.FormatQuantity):
// a figure stored before the bounds, however large, prints short.
func formatNum(v float64) string {
	if math.Abs(v) < 1e15 && v != math.Trunc(v) {
		return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	}
	return stakhanov.FormatQuantity(v)
}

func formatPercent(p *float64) string {
	if p == nil {
		return "–"
	}
	return stakhanov.FormatQuantity(math.Round(*p)) + " %"
}

// queryWith returns the query string of u with key set to value ("" drops
// it), for links that change one parameter (pagination, filters).
func queryWith(u *url.URL, kv ...any) string {
	q := u.Query()
	for i := 0; i+1 < len(kv); i += 2 {
		k := fmt.Sprint(kv[i])
		v := fmt.Sprint(kv[i+1])
		if v == "" || v == "0" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	if len(q) == 0 {
		return u.Path
	}
	return u.Path + "?" + q.Encode()
}
