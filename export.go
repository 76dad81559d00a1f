package stakhanov

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
)

// Exports: the figures the API and the pages show, as CSV (RFC 4180:
// fields quoted where they need it, lines ended CRLF), one layout per kind
// of figure, written here once for both.

// CSVWriter writes the records of one export.
type CSVWriter struct {
	w *csv.Writer
}

// NewCSVWriter starts an export with its header line.
func NewCSVWriter(w io.Writer, header []string) *CSVWriter {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write(header)
	return &CSVWriter{w: cw}
}

// Write writes one record.
func (c *CSVWriter) Write(record []string) { c.w.Write(record) }

// Close flushes the export and reports the first error writing it.
func (c *CSVWriter) Close() error {
	c.w.Flush()
	return c.w.Error()
}

func csvNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func csvPercent(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', 2, 64)
}

func csvID(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// Namer names units and goods for an export, reading each once.
type Namer struct {
	ctx    context.Context
	s      Store
	units  map[int64]string
	goods  map[int64]string
	people map[int64]string
}

func NewNamer(ctx context.Context, s Store) *Namer {
	return &Namer{ctx: ctx, s: s, units: map[int64]string{}, goods: map[int64]string{}}
}

// Unit names a unit; one that cannot be read is left unnamed.
func (n *Namer) Unit(id int64) string {
	if v, ok := n.units[id]; ok {
		return v
	}
	if u, err := n.s.FindUnitByID(n.ctx, id); err == nil {
		n.units[id] = u.Name
	} else {
		n.units[id] = ""
	}
	return n.units[id]
}

// Person names a person.
func (n *Namer) Person(id int64) string {
	if n.people == nil {
		n.people = map[int64]string{}
	}
	if v, ok := n.people[id]; ok {
		return v
	}
	if p, err := n.s.FindPersonByID(n.ctx, id); err == nil {
		n.people[id] = p.Name
	} else {
		n.people[id] = ""
	}
	return n.people[id]
}

// Good names a good.
func (n *Namer) Good(id int64) string {
	if v, ok := n.goods[id]; ok {
		return v
	}
	if g, err := n.s.FindGoodByID(n.ctx, id); err == nil {
		n.goods[id] = g.Name
	} else {
		n.goods[id] = ""
	}
	return n.goods[id]
}

// FulfilmentHeader and FulfilmentRecord lay out a subject's fulfilment.
var FulfilmentHeader = []string{"subject", "name", "period", "from", "to", "good_id", "good", "shifts", "shifts_without_norm",
	"produced", "accepted", "held", "norm", "percent", "late"}

func FulfilmentRecord(f *Fulfilment, name string, r FulfilmentRow, names *Namer) []string {
	return []string{f.Subject.String(), name, r.Period, r.From.String(), r.To.String(), csvID(r.GoodID), names.Good(r.GoodID),
		strconv.Itoa(r.Shifts), strconv.Itoa(r.ShiftsWithoutNorm), csvNumber(r.Produced), csvNumber(r.Accepted), csvNumber(r.Held),
		csvNumber(r.Norm), csvPercent(r.Percent), strconv.Itoa(r.Late)}
}

// PlanHeader and PlanRecord lay out a plan beside what was accepted.
var PlanHeader = []string{"plan_id", "unit_id", "unit", "good_id", "good", "period", "start", "quantity", "version", "reason",
	"accepted", "percent", "late", "parts_quantity", "parts_add_up", "unplanned_parts"}

func PlanRecord(p *PlanStanding, names *Namer) []string {
	parts, adds, unplanned := "", "", ""
	if p.Parts != nil {
		parts, adds, unplanned = csvNumber(p.Parts.Quantity), strconv.FormatBool(p.Parts.AddsUp), strconv.Itoa(len(p.Parts.Unplanned))
	}
	return []string{csvID(p.ID), csvID(p.UnitID), names.Unit(p.UnitID), csvID(p.GoodID), names.Good(p.GoodID), p.Period, p.Start.String(),
		csvNumber(p.Quantity), strconv.Itoa(p.Version), p.Reason, csvNumber(p.Accepted), csvPercent(p.Percent), strconv.Itoa(p.Late),
		parts, adds, unplanned}
}

// ShortageHeader and ShortageRecord lay out needs against output.
var ShortageHeader = []string{"good_id", "good", "measure", "period", "from", "to", "needed", "planned", "produced", "accepted",
	"shortage", "surplus", "quality_loss", "late"}

func ShortageRecord(s *Shortage) []string {
	return []string{csvID(s.GoodID), s.Good, s.Measure, s.Period, s.From.String(), s.To.String(), csvNumber(s.Needed),
		csvNumber(s.Planned), csvNumber(s.Produced), csvNumber(s.Accepted), csvNumber(s.Shortage), csvNumber(s.Surplus),
		csvNumber(s.QualityLoss), strconv.Itoa(s.Late)}
}

// RegistryHeader and RegistryRecords lay out the public registry, a
// line per conferral.
var RegistryHeader = []string{"recipient", "name", "profession", "unit", "conferral_id", "award_id", "award", "decree_number",
	"date", "serial", "times", "brings", "revoked", "revocation_grounds"}

func RegistryRecords(r RegistryRecipient) [][]string {
	out := make([][]string, 0, len(r.Conferrals))
	for _, c := range r.Conferrals {
		revoked, grounds := "", ""
		if c.Revocation != nil {
			revoked, grounds = c.Revocation.Date.String(), c.Revocation.Grounds
		}
		out = append(out, []string{r.Recipient.String(), r.Name, r.Profession, r.Unit, csvID(c.ConferralID), csvID(c.AwardID), c.Award,
			c.DecreeNumber, c.Date.String(), strconv.Itoa(c.Serial), strconv.Itoa(c.Times), c.Brings, revoked, grounds})
	}
	return out
}

func csvOptional(v *float64) string {
	if v == nil {
		return ""
	}
	return csvNumber(*v)
}

// StormingHeader and StormingRecord lay out the storming report.
var StormingHeader = []string{"enterprise_id", "enterprise", "good_id", "good", "month", "last_third_from", "accepted",
	"in_last_third", "share", "own_usual", "peers_usual", "storming", "planned", "percent", "late"}

func StormingRecord(m *StormingMonth) []string {
	return []string{csvID(m.EnterpriseID), m.Enterprise, csvID(m.GoodID), m.Good, m.Month.String(), m.LastThird.String(),
		csvNumber(m.Accepted), csvNumber(m.InLastThird), strconv.FormatFloat(m.Share, 'f', 4, 64), csvOptional(m.OwnUsual),
		csvOptional(m.PeersUsual), strconv.FormatBool(m.Storming), csvOptional(m.Planned), csvOptional(m.Percent), strconv.Itoa(m.Late)}
}

// RatchetHeader and RatchetRecord lay out the ratchet report, a line per
// raise.
var RatchetHeader = []string{"subject", "name", "unit", "good", "previous_amount", "amount", "raise_percent", "effective_from", "set_at",
	"reason", "before_from", "before_to", "before_percent", "after_from", "after_to", "after_percent", "after_overfulfilment"}

func RatchetRecord(x NormRaise) []string {
	return []string{x.Subject.String(), x.Name, x.Unit, x.Good, csvNumber(x.PreviousAmount), csvNumber(x.Amount),
		strconv.FormatFloat(x.Raise, 'f', 2, 64), x.EffectiveFrom.String(), x.SetAt.UTC().Format("2006-01-02T15:04:05Z"), x.Reason,
		x.Before.From.String(), x.Before.To.String(), csvOptional(x.Before.Percent), x.After.From.String(), x.After.To.String(),
		csvOptional(x.After.Percent), strconv.FormatBool(x.AfterOverfulfilment)}
}
