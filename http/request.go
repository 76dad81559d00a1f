package http

import (
	"bytes"
	"context"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// readJSON reads a request body that must hold exactly one JSON object and
// be no larger than the configured limit. It checks the syntax only; decode
// maps the object onto a type.
func (s *Server) readJSON(w http.ResponseWriter, r *http.Request) (json.RawMessage, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		return nil, s.bodyError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		syntaxErr := err
		err = s.bodyError(err)
		// A value that is not JSON, NaN or Infinity say, is named by
		// where it stands.
		if e, ok := err.(*stakhanov.Error); ok {
			if path := errorPath(body, syntaxErr); path != "" {
				e.Field, e.Message = path, path+": "+e.Message
			}
		}
		return nil, err
	}
	// Whatever follows the object must be white space only: a second value
	// or stray text means the client sent something other than it thinks.
	if _, err := dec.Token(); err != io.EOF {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, s.bodyError(err)
		}
		return nil, stakhanov.Errorf(stakhanov.EINVALID, "the request body holds more than one JSON value")
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, stakhanov.Errorf(stakhanov.EINVALID, "the request body must be a JSON object")
	}
	return raw, nil
}

// errorPath returns the path of the member at which a JSON text stops
// being valid ("produced", "reports[1].produced"), or "" if it is not
// inside an object or array.
func errorPath(body []byte, err error) string {
	// "1_000" in an array reads as 1, then a stray "_": the element read
	// is at fault, not the next.
	if strings.Contains(err.Error(), "after array element") {
		return jsonPath(body, -2)
	}
	return jsonPath(body, -1)
}

// jsonPath walks a JSON text and returns the path of the value that ends
// at byte offset (as encoding/json's UnmarshalTypeError.Offset says), or,
// with offset -1 or past the end, of where the text stops being valid (-2:
// of the last value read before that).
// encoding/json names a field without its array indexes (helpers.share);
// this names helpers[0].share.
func jsonPath(body []byte, offset int64) string {
	type frame struct {
		object  bool
		key     string
		wantKey bool
		index   int
	}
	var stack []frame
	path := func(next bool) string {
		var b strings.Builder
		for i, f := range stack {
			switch {
			case f.object && f.key != "":
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			case !f.object:
				// Where the text breaks, the innermost array's next
				// element is at fault.
				n := f.index
				if next && i == len(stack)-1 {
					n++
				}
				if n >= 0 {
					fmt.Fprintf(&b, "[%d]", n)
				}
			}
		}
		return b.String()
	}
	value := func() {
		if n := len(stack); n > 0 && !stack[n-1].object {
			stack[n-1].index++
		}
	}
	done := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return path(offset != -2)
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				value()
				stack = append(stack, frame{object: true, wantKey: true})
			case '[':
				value()
				stack = append(stack, frame{index: -1})
			default:
				if offset >= 0 && dec.InputOffset() >= offset {
					// A whole object or array of the wrong type.
					stack = stack[:len(stack)-1]
					value()
					return path(false)
				}
				stack = stack[:len(stack)-1]
				done()
			}
		default:
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
				stack[n-1].key, _ = v.(string)
				stack[n-1].wantKey = false
				continue
			}
			value()
			if offset >= 0 && dec.InputOffset() >= offset {
				return path(false)
			}
			done()
		}
	}
}

func (s *Server) bodyError(err error) error {
	var tooLarge *http.MaxBytesError
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &tooLarge):
		return stakhanov.Errorf(stakhanov.ETOOLARGE, "the request body is larger than %d bytes", tooLarge.Limit)
	case errors.Is(err, io.EOF):
		return stakhanov.Errorf(stakhanov.EINVALID, "the request body is empty: send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return stakhanov.Errorf(stakhanov.EINVALID, "the request body is not valid JSON: it ends too early")
	case errors.As(err, &syntax):
		return stakhanov.Errorf(stakhanov.EINVALID, "the request body is not valid JSON at byte %d: %s",
			syntax.Offset, strings.TrimPrefix(syntax.Error(), "json: "))
	}
	return stakhanov.Errorf(stakhanov.EINVALID, "cannot read the request body")
}

// decode maps a JSON object onto v, refusing fields v does not have and
// values of the wrong type, and naming the field at fault. prefix is put
// before field names, "reports[2]." for the third report of a batch.
func decode(raw json.RawMessage, v any, prefix string) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := prefix + typeErr.Field
		if typeErr.Field != "" {
			// encoding/json leaves out array indexes: find them.
			if path := jsonPath(raw, typeErr.Offset); path != "" {
				field = prefix + path
			}
		}
		if typeErr.Field == "" {
			// The value as a whole has the wrong type: a batch element
			// that is not an object.
			field = strings.TrimSuffix(prefix, ".")
			if field == "" {
				return stakhanov.Errorf(stakhanov.EINVALID, "got %s, want %s", typeErr.Value, jsonKind(typeErr.Type))
			}
		}
		want := jsonKind(typeErr.Type)
		got := shortValue(typeErr.Value)
		if want == "a number" && strings.HasPrefix(typeErr.Value, "number") {
			// A number too large for a float64, 1e400.
			return stakhanov.FieldErrorf(field, "%s: %s is out of range", field, got)
		}
		return stakhanov.FieldErrorf(field, "%s: got %s, want %s", field, got, want)
	}
	// encoding/json has no type for this error; its text is stable.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if n, err := strconv.Unquote(name); err == nil {
			name = n
		}
		// encoding/json names the field but not where it is: find its
		// path, insignia.colour rather than colour.
		if path, ok := unknownFieldPath(raw, reflect.TypeOf(v), name); ok {
			name = path
		}
		return stakhanov.FieldErrorf(prefix+name, "unknown field %q", prefix+name)
	}
	return stakhanov.Errorf(stakhanov.EINVALID, "%s", strings.TrimPrefix(err.Error(), "json: "))
}

// shortValue shortens what encoding/json quotes of a value ("number
// 1000...") so that a 400-digit number does not fill the message.
func shortValue(v string) string {
	const most = 40
	if len(v) <= most {
		return v
	}
	return fmt.Sprintf("%s... (%d characters)", v[:most-10], len(v))
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// unknownFieldPath finds the first member called name that t has no field
// for, walking the JSON in raw against the type it was decoded into, and
// returns its path: rules.stages[0].colour.
func unknownFieldPath(raw json.RawMessage, t reflect.Type, name string) (string, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if pt := reflect.PointerTo(t); pt.Implements(jsonUnmarshaler) || pt.Implements(textUnmarshaler) {
		return "", false
	}
	join := func(parent, child string) string {
		if strings.HasPrefix(child, "[") {
			return parent + child
		}
		return parent + "." + child
	}
	switch t.Kind() {
	case reflect.Struct:
		members, ok := objectMembers(raw)
		if !ok {
			return "", false
		}
		fields := jsonFields(t, nil)
		for _, m := range members {
			ft, ok := fields[m.key]
			if !ok {
				// encoding/json also matches names without regard to case.
				for k, v := range fields {
					if strings.EqualFold(k, m.key) {
						ft, ok = v, true
						break
					}
				}
			}
			if !ok {
				if m.key == name {
					return m.key, true
				}
				continue
			}
			if sub, found := unknownFieldPath(m.value, ft, name); found {
				return join(m.key, sub), true
			}
		}
	case reflect.Slice, reflect.Array:
		var elems []json.RawMessage
		if json.Unmarshal(raw, &elems) != nil {
			return "", false
		}
		for i, el := range elems {
			if sub, found := unknownFieldPath(el, t.Elem(), name); found {
				return join(fmt.Sprintf("[%d]", i), sub), true
			}
		}
	}
	return "", false
}

type member struct {
	key   string
	value json.RawMessage
}

// objectMembers returns a JSON object's members in the order written.
func objectMembers(raw json.RawMessage) ([]member, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	var out []member
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			return nil, false
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, false
		}
		out = append(out, member{key, v})
	}
	return out, true
}

// jsonFields maps the JSON names of a struct's fields to their types,
// with the fields of embedded structs promoted as encoding/json does.
func jsonFields(t reflect.Type, into map[string]reflect.Type) map[string]reflect.Type {
	if into == nil {
		into = map[string]reflect.Type{}
	}
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				embedded = append(embedded, ft)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, taken := into[name]; !taken {
			into[name] = f.Type
		}
	}
	// The outer struct's own fields hide those of the structs it embeds.
	for _, ft := range embedded {
		jsonFields(ft, into)
	}
	return into
}

// jsonKind names, for people writing JSON, what a Go type accepts.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	}
	return "an object"
}

// withPrefix puts prefix before the field an application error names, so
// that errors found in one report of a batch say which report.
func withPrefix(err error, prefix string) error {
	var e *stakhanov.Error
	if prefix == "" || !errors.As(err, &e) {
		return err
	}
	c := *e
	if c.Field != "" {
		c.Field = prefix + "." + c.Field
	} else {
		c.Field = prefix
	}
	return &c
}

// parseDate reads a date field of a request body. An empty string is no
// date: the domain's Validate says whether one is required.
func parseDate(field, v string) (stakhanov.Date, error) {
	if v == "" {
		return stakhanov.Date{}, nil
	}
	d, err := stakhanov.ParseDate(v)
	if err != nil {
		return stakhanov.Date{}, stakhanov.FieldErrorf(field, "%s: %v", field, err)
	}
	return d, nil
}

// parseMonth reads a month field: YYYY-MM, or its first day.
func parseMonth(field, v string) (stakhanov.Date, error) {
	if v == "" {
		return stakhanov.Date{}, nil
	}
	m, err := stakhanov.ParseMonth(v)
	if err != nil {
		return stakhanov.Date{}, stakhanov.FieldErrorf(field, "%s: %v", field, err)
	}
	return m, nil
}

// parseSubject reads a subject field of a request body, "person:12".
func parseSubject(field, v string) (stakhanov.Subject, error) {
	if v == "" {
		return stakhanov.Subject{}, nil
	}
	sub, err := stakhanov.ParseSubject(v)
	if err != nil {
		return stakhanov.Subject{}, stakhanov.FieldErrorf(field, "%s: %v", field, err)
	}
	return sub, nil
}

// requiredSubject parses a subject that must be given.
func requiredSubject(field, v string) (stakhanov.Subject, error) {
	if v == "" {
		return stakhanov.Subject{}, stakhanov.FieldErrorf(field, "%s is required (person:ID or unit:ID)", field)
	}
	return parseSubject(field, v)
}

// pathID reads the {id} of a route's path.
func pathID(r *http.Request) (int64, error) {
	v := r.PathValue("id")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, stakhanov.FieldErrorf("id", "id %q is not a positive integer", v)
	}
	return id, nil
}

// query reads URL query parameters. It keeps the first problem so that a
// handler reads every parameter and checks once, and it refuses parameters
// the handler never asked for, so that a misspelt filter is an error rather
// than silently ignored.
type query struct {
	values url.Values
	asked  []string
	err    error
}

func newQuery(r *http.Request) *query {
	return &query{values: r.URL.Query()}
}

func (q *query) fail(name, format string, args ...any) {
	if q.err == nil {
		q.err = stakhanov.FieldErrorf(name, format, args...)
	}
}

// get returns a parameter's value; an empty value counts as absent, so
// that a form's blank filter selects nothing.
func (q *query) get(name string) string {
	q.asked = append(q.asked, name)
	vs := q.values[name]
	if len(vs) > 1 {
		q.fail(name, "give %s once", name)
	}
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// id reads a positive id.
func (q *query) id(name string) int64 {
	v := q.get(name)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		q.fail(name, "%s %q is not a positive integer", name, v)
		return 0
	}
	return n
}

func (q *query) date(name string) stakhanov.Date {
	v := q.get(name)
	if v == "" {
		return stakhanov.Date{}
	}
	d, err := stakhanov.ParseDate(v)
	if err != nil {
		q.fail(name, "%s: %v", name, err)
	}
	return d
}

// dates reads a window from and to, either of which may be absent.
func (q *query) dates(fromName, toName string) (from, to stakhanov.Date) {
	from, to = q.date(fromName), q.date(toName)
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		q.fail(toName, "%s %s is before %s %s", toName, to, fromName, from)
	}
	return from, to
}

func (q *query) subject(name string) stakhanov.Subject {
	v := q.get(name)
	if v == "" {
		return stakhanov.Subject{}
	}
	s, err := stakhanov.ParseSubject(v)
	if err != nil {
		q.fail(name, "%s: %v", name, err)
	}
	return s
}

// oneOf reads a parameter that must be one of allowed, or absent.
func (q *query) oneOf(name string, allowed ...string) string {
	v := q.get(name)
	if v != "" && !slices.Contains(allowed, v) {
		q.fail(name, "%s %q is not one of %s", name, v, strings.Join(allowed, ", "))
		return ""
	}
	return v
}

// page reads offset and limit. Unlike the store, which quietly clamps, the
// API refuses values out of range so that a client never gets a smaller
// page than it asked for without knowing.
func (q *query) page() stakhanov.Page {
	p := stakhanov.Page{Limit: stakhanov.DefaultLimit}
	if v := q.get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			q.fail("offset", "offset %q is not a whole number of zero or more", v)
		}
		p.Offset = n
	}
	if v := q.get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > stakhanov.MaxLimit {
			q.fail("limit", "limit %q is not a whole number from 1 to %d", v, stakhanov.MaxLimit)
		}
		p.Limit = n
	}
	return p
}

// check returns the first problem found, or names a parameter the handler
// does not know.
func (q *query) check() error {
	if q.err != nil {
		return q.err
	}
	var unknown []string
	for name := range q.values {
		if !slices.Contains(q.asked, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		known := slices.Clone(q.asked)
		slices.Sort(known)
		return stakhanov.FieldErrorf(unknown[0], "unknown query parameter %q (known: %s)", unknown[0], strings.Join(known, ", "))
	}
	return nil
}

// list is the envelope of every list response.
type list[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

func newList[T any](items []T, total int, p stakhanov.Page) list[T] {
	if items == nil {
		items = []T{} // "items": [] rather than null, so clients can always iterate
	}
	return list[T]{Items: items, Total: total, Offset: p.Offset, Limit: p.Limit}
}

// decodeBody reads a request body holding one JSON object into v.
func (s *Server) decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	raw, err := s.readJSON(w, r)
	if err != nil {
		return err
	}
	return decode(raw, v, "")
}

// byID makes the handler of a route ".../{id}" that answers with what act
// returns for the id (a read, or an action such as signing), shaped by view.
func byID[T, V any](act func(context.Context, int64) (T, error), view func(T) V) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		v, err := act(r.Context(), id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, view(v))
	}
}

// same is the view that shows a value as it is.
func same[T any](v T) T { return v }
