package http

import (
	_ "embed"
	"net/http"
	"strconv"
)

// openAPI describes the API. It is written by hand, and a test checks that
// it documents exactly the routes the server registers.
//
//go:embed openapi.json
var openAPI []byte

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(openAPI)))
	w.WriteHeader(http.StatusOK)
	w.Write(openAPI)
	return nil
}
