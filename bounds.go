package stakhanov

import (
	"fmt"
	"math"
	"strconv"
)

// Bounds on quantities. Every quantity is a finite number, not negative;
// what one shift records (produced, accepted, a norm) is at most its good's
// PlausibilityRules.MaxPerShift, and no quantity at all is above
// MaxQuantity.
const (
	// MaxQuantity is the largest quantity of anything: a need, a good's
	// max_per_shift. At 10^12 every figure still prints in 13 digits and
	// the sum of 25 million reports at the default max_per_shift (2.5 ×
	// 10^13) is exact to a thousandth.
	MaxQuantity = 1e12
	// DefaultMaxPerShift is the most one shift of a good may record
	// unless its rules say otherwise: a million of the good's measure (a
	// million tonnes of coal, pieces or operations) is far above any
	// shift ever worked (Stakhanov's claimed record was 227 t), yet small
	// enough that no fulfilment or flag figure overflows or prints long.
	DefaultMaxPerShift = 1e6
	// MinNorm is the smallest norm amount: a norm of a millionth of the
	// measure keeps any fulfilment below 10^14 %, finite and printable.
	MinNorm = 1e-6
)

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// CheckQuantity refuses a quantity that is not a finite number from 0 to
// max, naming the field; measure is the good's, for the message.
func CheckQuantity(field string, v, max float64, measure string) error {
	return checkBound(field, v, max, measure, "the most any quantity may be")
}

func checkBound(field string, v, max float64, measure, limit string) error {
	switch {
	case !finite(v):
		return FieldErrorf(field, "%s must be a finite number", field)
	case v < 0:
		return FieldErrorf(field, "%s must not be negative", field)
	case v > max:
		return FieldErrorf(field, "%s (%s) is more than %s, %s", field, quantity(v, measure), quantity(max, measure), limit)
	}
	return nil
}

// perShift names the bound of the good's rules in messages.
const perShift = "the most one shift of this good may record (its max_per_shift)"

// CheckReport checks a report's quantities against the good's maximum per
// shift.
func (p PlausibilityRules) CheckReport(r *Report, measure string) error {
	if err := checkBound("produced", r.Produced, p.MaxPerShift, measure, perShift); err != nil {
		return err
	}
	return checkBound("accepted", r.Accepted, p.MaxPerShift, measure, perShift)
}

// CheckNorm checks a norm's amount against the good's maximum per shift:
// a norm is a shift's quota.
func (p PlausibilityRules) CheckNorm(n *Norm, measure string) error {
	return checkBound("amount", n.Amount, p.MaxPerShift, measure, perShift)
}

// zero turns -0 into 0, so that it is stored and shown as 0.
func zero(v float64) float64 {
	if v == 0 {
		return 0
	}
	return v
}

// FormatQuantity writes a figure for people: whole numbers as such, others
// to two decimals, figures too large to read digit by digit (from 10^15)
// in four significant digits with an exponent, and a non-finite figure
// (which no check should let through) as "?". No figure prints longer
// than 16 characters or so.
func FormatQuantity(v float64) string {
	switch {
	case !finite(v):
		return "?"
	case math.Abs(v) >= 1e15:
		return fmt.Sprintf("%.4g", v)
	case v == math.Trunc(v):
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// ParseDecimal parses a number written in decimal, as people and files
// write them: 7, -0.5, 7.25, 1e3. Unlike strconv.ParseFloat it refuses
// NaN, Inf, hexadecimal and underscores, and a number too large for a
// float64; one too small to tell from 0 is 0.
func ParseDecimal(s string) (float64, error) {
	if !isDecimal(s) {
		return 0, fmt.Errorf("%s is not a number: write digits with a decimal point, e.g. 7.25", ShortQuote(s))
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !finite(f) {
		return 0, fmt.Errorf("%s is out of range", ShortQuote(s))
	}
	return zero(f), nil
}

// isDecimal reports whether s is [+-]digits[.digits][(e|E)[+-]digits],
// with digits on at least one side of the point.
func isDecimal(s string) bool {
	i, n := 0, len(s)
	if i < n && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := func() int {
		start := i
		for i < n && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	d := digits()
	if i < n && s[i] == '.' {
		i++
		d += digits()
	}
	if d == 0 {
		return false
	}
	if i < n && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < n && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == n
}

// ShortQuote quotes a value for a message, shortened if it is long, so
// that a 400-digit number does not fill the message.
func ShortQuote(s string) string {
	const most = 40
	if len(s) <= most {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%q... (%d characters)", s[:most-10], len(s))
}
