package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	stakhttp "github.com/stakhanov/stakhanov/http"
	"github.com/stakhanov/stakhanov/sqlite"
)

// openAPIDoc is the part of an OpenAPI document the tests look at.
type openAPIDoc struct {
	OpenAPI string                                `json:"openapi"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
}

type operation struct {
	Security   *[]map[string][]string     `json:"security"`
	Parameters []map[string]any           `json:"parameters"`
	Responses  map[string]json.RawMessage `json:"responses"`
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// fetchOpenAPI gets the document the server serves, without a token, and
// returns it both decoded and as generic JSON for following $refs.
func fetchOpenAPI(t *testing.T, e *env) (openAPIDoc, map[string]any) {
	t.Helper()
	res := e.do("GET", "/api/v1/openapi.json", "", nil)
	res.want(t, http.StatusOK)
	var doc openAPIDoc
	res.decode(t, &doc)
	var generic map[string]any
	res.decode(t, &generic)
	return doc, generic
}

// operations lists the document's operations as "METHOD /path".
func operations(t *testing.T, doc openAPIDoc) map[string]operation {
	t.Helper()
	ops := map[string]operation{}
	for path, item := range doc.Paths {
		for key, raw := range item {
			if !slices.Contains(httpMethods, key) {
				continue // parameters, summary, ...
			}
			var op operation
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", key, path, err)
			}
			ops[strings.ToUpper(key)+" "+path] = op
		}
	}
	return ops
}

func sqliteEnv(t *testing.T) *env {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newEnv(t, db, stakhttp.Config{})
}

// TestOpenAPIRoutes checks that the document describes exactly the routes
// the server registers: none undocumented, none documented but missing.
func TestOpenAPIRoutes(t *testing.T) {
	e := sqliteEnv(t)
	doc, _ := fetchOpenAPI(t, e)
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi: got %q, want 3.1.0", doc.OpenAPI)
	}
	documented := operations(t, doc)
	var got []string
	for op := range documented {
		got = append(got, op)
	}
	want := stakhttp.NewServer(stakhttp.Config{}, e.store, nil).Routes()
	sort.Strings(got)
	sort.Strings(want)
	for _, r := range want {
		if _, ok := documented[r]; !ok {
			t.Errorf("route %s is not documented", r)
		}
	}
	for _, op := range got {
		if !slices.Contains(want, op) {
			t.Errorf("documented %s is not a route", op)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("documented operations: got %v, want %v", got, want)
	}
}

// TestOpenAPISecurity checks that the routes documented as public
// (security: [], or a token optional: an empty requirement {} among them)
// are exactly those that answer without a token.
func TestOpenAPISecurity(t *testing.T) {
	e := sqliteEnv(t)
	doc, _ := fetchOpenAPI(t, e)
	for name, op := range operations(t, doc) {
		method, path, _ := strings.Cut(name, " ")
		documentedPublic := op.Security != nil && (len(*op.Security) == 0 || slices.ContainsFunc(*op.Security, func(r map[string][]string) bool { return len(r) == 0 }))
		res := e.do(method, pathParam.ReplaceAllString(path, "1"), "", nil)
		if public := res.status != http.StatusUnauthorized; public != documentedPublic {
			t.Errorf("%s: answers without a token %v, documented public %v", name, public, documentedPublic)
		}
		if !documentedPublic {
			if _, ok := op.Responses["401"]; !ok {
				t.Errorf("%s: needs a token but documents no 401", name)
			}
		}
	}
}

// TestOpenAPIQueryParameters checks that each GET documents exactly the
// query parameters its handler reads, using the list of known parameters
// that the server gives when it refuses an unknown one.
func TestOpenAPIQueryParameters(t *testing.T) {
	e := sqliteEnv(t)
	doc, generic := fetchOpenAPI(t, e)
	known := regexp.MustCompile(`\(known: ([a-z, ]*)\)`)
	for name, op := range operations(t, doc) {
		method, path, _ := strings.Cut(name, " ")
		if method != "GET" {
			continue
		}
		var documented []string
		for _, p := range op.Parameters {
			if ref, ok := p["$ref"].(string); ok {
				p = resolve(t, generic, ref).(map[string]any)
			}
			if p["in"] == "query" {
				documented = append(documented, p["name"].(string))
			}
		}
		res := e.do("GET", pathParam.ReplaceAllString(path, "1")+"?zzz=1", e.admin, nil)
		var accepted []string
		if m := known.FindSubmatch(res.body); m != nil {
			accepted = strings.Split(string(m[1]), ", ")
		} else if res.status != http.StatusBadRequest {
			accepted = nil // takes no query parameters at all: ignores them
		} else {
			t.Errorf("%s ?zzz=1: got %s, want a list of known parameters", name, res.body)
			continue
		}
		if accepted == nil {
			accepted = []string{}
		}
		sort.Strings(documented)
		if documented == nil {
			documented = []string{}
		}
		if !slices.Equal(accepted, documented) {
			t.Errorf("%s: query parameters read %v, documented %v", name, accepted, documented)
		}
	}
}

// TestOpenAPIRefs checks that every $ref points at something, and that
// every path template's parameters are declared.
func TestOpenAPIRefs(t *testing.T) {
	e := sqliteEnv(t)
	doc, generic := fetchOpenAPI(t, e)
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if k == "$ref" {
					resolve(t, generic, x.(string))
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(generic)

	template := regexp.MustCompile(`\{([a-z_]+)\}`)
	for name, op := range operations(t, doc) {
		for _, m := range template.FindAllStringSubmatch(name, -1) {
			found := false
			for _, p := range op.Parameters {
				if ref, ok := p["$ref"].(string); ok {
					p = resolve(t, generic, ref).(map[string]any)
				}
				if p["in"] == "path" && p["name"] == m[1] && p["required"] == true {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: path parameter %s is not declared required", name, m[1])
			}
		}
		if len(op.Responses) == 0 {
			t.Errorf("%s: no responses", name)
		}
	}
}

// pathParam matches a path template's parameter, {id} or {index}, for
// filling in with 1.
var pathParam = regexp.MustCompile(`\{[a-z_]+\}`)

// resolve follows a local JSON pointer such as #/components/schemas/Unit.
func resolve(t *testing.T, doc map[string]any, ref string) any {
	t.Helper()
	ptr, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		t.Fatalf("$ref %q is not local", ref)
	}
	var v any = doc
	for _, tok := range strings.Split(ptr, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := v.(type) {
		case map[string]any:
			v, ok = x[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			ok = err == nil && i >= 0 && i < len(x)
			if ok {
				v = x[i]
			}
		default:
			ok = false
		}
		if !ok {
			t.Fatalf("$ref %q does not resolve", ref)
		}
	}
	return v
}
