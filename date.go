package stakhanov

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar date without a time of day or zone: the day a shift
// was worked or a norm took effect.
type Date struct {
	t time.Time // midnight UTC
}

const dateLayout = "2006-01-02"

// NewDate returns the date y-m-d.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	return NewDate(t.Date())
}

// ParseDate parses a date written YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	// The common case without time.Parse, which was a twentieth of an
	// import's time in reading back the dates it stored.
	if d, ok := parseDigits(s); ok {
		return d, nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%s is not a date of the form YYYY-MM-DD", ShortQuote(s))
	}
	return Date{t}, nil
}

func (d Date) IsZero() bool          { return d.t.IsZero() }
func (d Date) String() string        { return string(d.appendText(make([]byte, 0, 10))) }
func (d Date) Time() time.Time       { return d.t }
func (d Date) AddDays(n int) Date    { return Date{d.t.AddDate(0, 0, n)} }
func (d Date) Before(o Date) bool    { return d.t.Before(o.t) }
func (d Date) After(o Date) bool     { return d.t.After(o.t) }
func (d Date) Year() int             { return d.t.Year() }
func (d Date) Month() time.Month     { return d.t.Month() }
func (d Date) Weekday() time.Weekday { return d.t.Weekday() }
func (d Date) ISOWeek() (int, int)   { return d.t.ISOWeek() }
func (d Date) Compare(o Date) int    { return d.t.Compare(o.t) }
func (d Date) DaysSince(o Date) int  { return int(d.t.Sub(o.t).Hours() / 24) }
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	// Digits and dashes only: nothing to escape.
	return []byte(`"` + d.String() + `"`), nil
}

// Value stores a date as text YYYY-MM-DD, which sorts as dates do on every
// engine and which PostgreSQL accepts for a DATE column.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date stored as text or returned by the driver as a time.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = NewDate(v.Date())
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	}
	return fmt.Errorf("cannot scan %T into a date", src)
}

func (d *Date) scanText(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// appendText writes the date as YYYY-MM-DD, as time.Format would, without
// parsing a layout: pages and lists write thousands of dates.
func (d Date) appendText(b []byte) []byte {
	y, m, day := d.t.Date()
	if y < 0 || y > 9999 {
		return d.t.AppendFormat(b, dateLayout)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+day/10), byte('0'+day%10))
}

// parseDigits reads a date written YYYY-MM-DD without time.Parse, or
// reports false; the caller falls back to ParseDate for anything else.
func parseDigits(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, false
	}
	n := func(p string) (int, bool) {
		v := 0
		for i := 0; i < len(p); i++ {
			c := p[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := n(s[:4])
	m, ok2 := n(s[5:7])
	d, ok3 := n(s[8:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 31 {
		return Date{}, false
	}
	date := NewDate(y, time.Month(m), d)
	if date.t.Day() != d { // 2026-02-30 and the like
		return Date{}, false
	}
	return date, true
}
