package http

import (
	"net/http"

	"github.com/stakhanov/stakhanov"
)

// CSV exports: format=csv on the fulfilment, plans, shortages and registry
// lists answers the same selection, with the same filters, as CSV (RFC
// 4180, CRLF; layouts in stakhanov's export.go). An export is the whole
// selection, read a page at a time before the first byte is sent, so
// that an error is still a JSON error: offset and limit do not apply.

// format reads format=json|csv; true for CSV.
func (q *query) format() bool {
	return q.oneOf("format", "json", "csv") == "csv"
}

// listPage reads offset and limit, which a CSV export does not take.
func (q *query) listPage(csv bool) stakhanov.Page {
	if !csv {
		return q.page()
	}
	for _, name := range []string{"offset", "limit"} {
		if q.get(name) != "" {
			q.fail(name, "a CSV export is the whole selection: leave out %s", name)
		}
	}
	return stakhanov.Page{}
}

// startCSV answers with an export named file.
func startCSV(w http.ResponseWriter, file string, header []string) *stakhanov.CSVWriter {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8; header=present")
	w.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
	return stakhanov.NewCSVWriter(w, header)
}

// registryCSV writes every recipient the filter selects, a line per
// conferral.
func (s *Server) registryCSV(w http.ResponseWriter, r *http.Request, f stakhanov.RegistryFilter) error {
	var all []stakhanov.RegistryRecipient
	f.Page = stakhanov.Page{Limit: stakhanov.MaxLimit}
	for {
		reg, err := s.store.Registry(r.Context(), f)
		if err != nil {
			return err
		}
		if reg == nil || len(reg.Recipients) == 0 {
			break
		}
		all = append(all, reg.Recipients...)
		if len(all) >= reg.Total {
			break
		}
		f.Page.Offset = len(all)
	}
	out := startCSV(w, "registry.csv", stakhanov.RegistryHeader)
	for _, rec := range all {
		for _, line := range stakhanov.RegistryRecords(rec) {
			out.Write(line)
		}
	}
	return out.Close()
}
