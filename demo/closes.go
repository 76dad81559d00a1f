package demo

import (
	"errors"

	"github.com/stakhanov/stakhanov"
)

var errNoShift = errors.New("no such shift")

// The mine's books and norms after the record ([6]): August 1935 is
// closed, and a slip found afterwards comes in as a late correction; in
// November the hewers' norms are raised, as the norm revisions after the
// Stakhanovite movement raised them, so that the ratchet report has raises
// to measure (after months above the old norm for some hewers, not for
// others). Stand-ins: the sources date no close, no slip and no raise of
// this mine.
const (
	// RaisedHewingNorm is the hewers' norm from RaiseDate.
	RaisedHewingNorm = 8.0
	// LateSlipTonnes is taken off a shift of Ivan Kovalenko's in the late
	// correction.
	LateSlipTonnes = 0.5
)

var (
	// AugustClose1935 is the month the mine's planner closes.
	AugustClose1935 = stakhanov.NewDate(1935, 8, 1)
	// RaiseDate is when the raised norms take effect.
	RaiseDate = stakhanov.NewDate(1935, 11, 1)
)

// ClosesWorld is what closes1935 made.
type ClosesWorld struct {
	// August is the close of August 1935 for the mine; Late the late
	// correction of Kovalenko's shift of 15 August.
	August, Late int64
}

func (b *builder) closes1935(w *World, t *people1935) {
	if b.err != nil {
		return
	}
	c := &stakhanov.PeriodClose{UnitID: w.Mine, Month: AugustClose1935, Reason: "the mine's accounts of August 1935 are done"}
	b.fail(b.s.ClosePeriod(b.as(t.planner), c), "close of August 1935")
	w.Closes.August = c.ID
	// The weighbridge slip of Kovalenko's 15 August shift, found in
	// September: half a tonne of it was rock.
	var kovalenko int64
	for _, h := range t.hewers {
		if h.slug == "kovalenko" {
			kovalenko = h.id
		}
	}
	if b.err != nil {
		return
	}
	rs, _, err := b.s.FindReports(b.ctx, stakhanov.ReportFilter{Subject: stakhanov.PersonSubject(kovalenko), GoodID: w.Coal,
		From: stakhanov.NewDate(1935, 8, 15), To: stakhanov.NewDate(1935, 8, 15), Status: "current", Page: stakhanov.Page{Limit: 1}})
	b.fail(err, "Kovalenko's shift of 15 August 1935")
	if b.err != nil || len(rs) == 0 {
		b.fail(errNoShift, "Kovalenko's shift of 15 August 1935")
		return
	}
	old := rs[0]
	fix := &stakhanov.Report{Subject: old.Subject, GoodID: old.GoodID, Date: old.Date, Shift: old.Shift, Minutes: old.Minutes,
		Produced: old.Produced, Accepted: round1(old.Accepted - LateSlipTonnes), Corrects: old.ID, Late: true,
		Note: "Late correction: the weighbridge slip, found in September, shows 0.5 t of rock in the shift's coal.",
		Key:  key("kovalenko-late", old.Date, old.Shift)}
	b.reports(t.foreman, []*stakhanov.Report{fix})
	w.Closes.Late = fix.ID
	for _, h := range t.hewers {
		b.norm(t.planner, h.id, w.Coal, RaisedHewingNorm, RaiseDate, "hewing norm raised to 8 t after the Stakhanovite movement")
	}
}
