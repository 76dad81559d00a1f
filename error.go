package stakhanov

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in package http.
const (
	ECONFLICT     = "conflict"
	EFORBIDDEN    = "forbidden"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
	ETOOLARGE     = "too_large"
)

// Error is an application error: a code for machines, a message for people
// and, where one input field is at fault, its name.
type Error struct {
	Code    string
	Message string
	Field   string
	// ReportID is the report a conflict is about (the current report of a
	// shift, the holder of a key), for a client to link to it.
	ReportID int64
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("stakhanov error: code=%s field=%s message=%s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("stakhanov error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an application error with the given code and message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an EINVALID error naming the field at fault.
func FieldErrorf(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an application error, or EINTERNAL for any
// other error, or "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of an application error, or a generic
// message for any other error so that internals do not leak to users.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorField returns the field named by an application error, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ErrorReportID returns the report an application error is about, if any.
func ErrorReportID(err error) int64 {
	var e *Error
	if errors.As(err, &e) {
		return e.ReportID
	}
	return 0
}

// LineError is one problem found on one line of an imported file.
type LineError struct {
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func (e LineError) String() string {
	if e.Field != "" {
		return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Message)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Message)
}

// ImportError lists every problem found in an import; when it is returned,
// nothing was imported.
type ImportError struct {
	Lines []LineError
	// Truncated is set when more problems were found than were kept.
	Truncated int
}

func (e *ImportError) Error() string {
	return fmt.Sprintf("import refused: %d bad lines, nothing imported", len(e.Lines)+e.Truncated)
}
