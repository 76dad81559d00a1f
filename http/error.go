package http

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/stakhanov/stakhanov"
)

// codeMethodNotAllowed is the code of a request whose path exists but not
// with its method. It is the HTTP layer's own: the domain never returns it.
const codeMethodNotAllowed = "method_not_allowed"

// errorStatus maps an error code to its HTTP status. This is the only
// place that does.
func errorStatus(code string) int {
	switch code {
	case stakhanov.EINVALID:
		return http.StatusBadRequest
	case stakhanov.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case stakhanov.EFORBIDDEN:
		return http.StatusForbidden
	case stakhanov.ENOTFOUND:
		return http.StatusNotFound
	case codeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case stakhanov.ECONFLICT:
		return http.StatusConflict
	case stakhanov.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case stakhanov.ETOOMANY:
		return http.StatusTooManyRequests
	default:
		return http.StatusInternalServerError
	}
}

// errorBody is the JSON of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	// Report is the report a conflict is about: the shift's current
	// report, or the holder of a key.
	Report int64 `json:"report,omitempty"`
	// Lines and Truncated describe a refused import, line by line.
	Lines     []stakhanov.LineError `json:"lines,omitempty"`
	Truncated int                   `json:"truncated,omitempty"`
}

// writeError writes err as JSON. Internal errors are logged and reach the
// client only as "internal error", so that nothing about the database or
// the code leaks.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var body errorBody
	var ie *stakhanov.ImportError
	if errors.As(err, &ie) {
		body.Error = errorDetail{Code: stakhanov.EINVALID, Message: ie.Error(), Lines: ie.Lines, Truncated: ie.Truncated}
	} else {
		body.Error = errorDetail{Code: stakhanov.ErrorCode(err), Message: stakhanov.ErrorMessage(err), Field: stakhanov.ErrorField(err),
			Report: stakhanov.ErrorReportID(err)}
	}
	status := errorStatus(body.Error.Code)
	if status == http.StatusForbidden {
		s.recordRefusal(r, err)
	}
	if status == http.StatusInternalServerError {
		// The code may be one errorStatus does not know; never show it.
		body.Error = errorDetail{Code: stakhanov.EINTERNAL, Message: "internal error"}
		if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
			// The client went away: not a fault of ours.
			s.logger.InfoContext(r.Context(), "request cancelled", "method", r.Method, "path", r.URL.Path)
		} else {
			s.logger.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "error", err)
		}
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="stakhanov"`)
	}
	if err := writeJSON(w, status, body); err != nil {
		s.logger.ErrorContext(r.Context(), "cannot encode error", "error", err)
	}
}

// writeJSON encodes v before writing anything, so that an encoding failure
// can still be answered with a clean 500 by the caller.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return writeRawJSON(w, status, b)
}

// writeRawJSON writes JSON already encoded.
func writeRawJSON(w http.ResponseWriter, status int, parts ...[]byte) error {
	n := 1
	for _, p := range parts {
		n += len(p)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(n))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	// In writes of 64 KiB: a page of candidates is a hundred parts of 9
	// KiB, and a write each was most of the time it took to send.
	out := io.Writer(w)
	if len(parts) > 1 {
		b := bufio.NewWriterSize(w, 64<<10)
		defer b.Flush()
		out = b
	}
	// A failed write means the client has gone; there is no one to tell.
	for _, p := range parts {
		if _, err := out.Write(p); err != nil {
			return nil
		}
	}
	out.Write([]byte{'\n'})
	return nil
}

// recordRefusal keeps a refused permission where an auditor reads it. A
// failure to keep it is logged: the answer to the client stands.
func (s *Server) recordRefusal(r *http.Request, err error) {
	if rerr := stakhanov.RecordRefusal(r.Context(), s.store, stakhanov.AddressOf(r.RemoteAddr), r.Method, r.URL.Path, err); rerr != nil {
		s.logger.ErrorContext(r.Context(), "cannot record a refusal", "error", rerr)
	}
}
