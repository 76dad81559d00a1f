package csvimport

import (
	"io"
	"iter"
	"strconv"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// The columns each kind of file may have. A file's header names them in
// any order; the documentation of Reports, Norms and People tells which are
// required and what each holds.
var (
	ReportsHeader = []string{"subject", "good", "date", "shift", "produced", "accepted",
		"helpers", "witnesses", "minutes", "note", "key", "corrects"}
	NormsHeader  = []string{"subject", "good", "amount", "effective_from", "reason"}
	PeopleHeader = []string{"code", "name", "profession", "unit"}
)

// Columns of a reports file, as indexes into ReportsHeader.
const (
	rSubject = iota
	rGood
	rDate
	rShift
	rProduced
	rAccepted
	rHelpers
	rWitnesses
	rMinutes
	rNote
	rKey
	rCorrects
)

var reportsKind = newKind(ReportsHeader, "subject", "good", "date", "shift", "produced", "accepted")

// Reports reads a file of shift reports. Columns:
//
//	subject    person:ID or unit:ID (required)
//	good       good id (required)
//	date       YYYY-MM-DD (required)
//	shift      1 to 4 (required)
//	produced   quantity produced (required)
//	accepted   quantity accepted by quality control (required)
//	helpers    person ids separated by ';', each optionally with its share
//	           of the output: "12;13" or "12:0.25;13:0.25"
//	witnesses  person ids separated by ';'
//	minutes    length of the shift in minutes
//	note       free text
//	key        optional idempotency key, unique across all reports; a
//	           line without one is recognised by its shift
//	corrects   id of the report this one corrects
//
// Only the first six columns must be in the header; an empty value in an
// optional column means none (no helpers, no key, ...).
func Reports(r io.Reader) iter.Seq[stakhanov.ImportRow[stakhanov.Report]] {
	return rows(r, &reportsKind, parseReport)
}

func parseReport(l *line) *stakhanov.Report {
	rep := &stakhanov.Report{
		Subject:  l.subject(rSubject),
		GoodID:   l.id(rGood, true),
		Date:     l.date(rDate),
		Shift:    l.integer(rShift, true),
		Produced: l.number(rProduced, true),
		Accepted: l.number(rAccepted, true),
		Minutes:  l.integer(rMinutes, false),
		Note:     l.raw(rNote),
		Key:      l.value(rKey),
		Corrects: l.id(rCorrects, false),
	}
	if v := l.value(rHelpers); v != "" {
		rep.Helpers = parseHelpers(l, v)
	}
	if v := l.value(rWitnesses); v != "" {
		rep.Witnesses = parseIDs(l, rWitnesses, v)
	}
	return rep
}

// parseHelpers reads "12;13" or "12:0.25;13:0.25". Whether the shares are
// given for all or none and add up to less than 1 is the store's check.
func parseHelpers(l *line, v string) []stakhanov.Helper {
	var hs []stakhanov.Helper
	for part := range strings.SplitSeq(v, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		id, share, hasShare := strings.Cut(part, ":")
		n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
		if err != nil || n <= 0 {
			l.fail(rHelpers, "%q is not a helper: write a person id, or a person id and a share, e.g. 12 or 12:0.25", part)
			continue
		}
		h := stakhanov.Helper{PersonID: n}
		if hasShare {
			f, err := stakhanov.ParseDecimal(strings.TrimSpace(share))
			if err != nil {
				l.fail(rHelpers, "%q is not a helper: the share after ':' must be a number, e.g. 12:0.25", part)
				continue
			}
			h.Share = &f
		}
		hs = append(hs, h)
	}
	return hs
}

// parseIDs reads person ids separated by ';'.
func parseIDs(l *line, c int, v string) []int64 {
	var ids []int64
	for part := range strings.SplitSeq(v, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		n, err := strconv.ParseInt(part, 10, 64)
		if err != nil || n <= 0 {
			l.fail(c, "%q is not a person id: write positive whole numbers separated by ';'", part)
			continue
		}
		ids = append(ids, n)
	}
	return ids
}
