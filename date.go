package stakhanov

import (
	"cmp"
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar date without a time of day or zone: the day a shift
// was worked or a norm took effect. It is a day number, not a time.Time:
// the state holds millions of dates, compares them, adds days to them and
// keys maps with them, and a time.Time took 24 bytes, a pointer among
// them, and a normalisation for each day added.
type Date struct {
	// n is the day's number since 1970-01-01 plus dateOffset; 0 is no
	// date (the zero Date).
	n int64
}

// dateOffset keeps every date that time.Time can name away from the zero
// Date.
const dateOffset = 1 << 40

const dateLayout = "2006-01-02"

// NewDate returns the date y-m-d. As time.Date, it normalises a month or
// day out of range: month 13 is January of the next year, day 0 the last
// day of the month before.
func NewDate(y int, m time.Month, d int) Date {
	// The month into 1 to 12, carrying years.
	mm := int(m) - 1
	y += mm / 12
	mm %= 12
	if mm < 0 {
		mm += 12
		y--
	}
	return Date{daysFromCivil(int64(y), mm+1, 1) + int64(d) - 1 + dateOffset}
}

// daysFromCivil is the number of days from 1970-01-01 to y-m-d in the
// proleptic Gregorian calendar (m 1 to 12, d 1 to 31); H. Hinnant's
// days_from_civil.
func daysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := int64((153*mp+2)/5 + d - 1)
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is daysFromCivil backwards.
func civilFromDays(z int64) (y int64, m, d int) {
	z += 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
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
	return DateOf(t), nil
}

// date is the year, month and day.
func (d Date) date() (int, time.Month, int) {
	if d.n == 0 {
		return 1, time.January, 1 // as time.Time's zero
	}
	y, m, day := civilFromDays(d.n - dateOffset)
	return int(y), time.Month(m), day
}

// Date is the year, month and day, as time.Time's Date gives them.
func (d Date) Date() (int, time.Month, int) { return d.date() }

// FirstOfMonth is the first day of the date's month.
func (d Date) FirstOfMonth() Date {
	if d.n == 0 {
		return d
	}
	_, _, day := d.date()
	return Date{d.n - int64(day-1)}
}

func (d Date) IsZero() bool   { return d.n == 0 }
func (d Date) String() string { return string(d.appendText(make([]byte, 0, 10))) }

// Time is the date's midnight UTC; the zero Date gives the zero Time.
func (d Date) Time() time.Time {
	if d.n == 0 {
		return time.Time{}
	}
	y, m, day := d.date()
	return time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
}

// AddDays adds n days; the zero Date counts from 0001-01-01, as
// time.Time's zero did.
func (d Date) AddDays(n int) Date {
	if d.n == 0 {
		d = NewDate(1, time.January, 1)
	}
	return Date{d.n + int64(n)}
}

func (d Date) Before(o Date) bool { return d.at() < o.at() }
func (d Date) After(o Date) bool  { return d.at() > o.at() }
func (d Date) Compare(o Date) int { return cmp.Compare(d.at(), o.at()) }
func (d Date) Year() int {
	y, _, _ := d.date()
	return y
}
func (d Date) Month() time.Month {
	_, m, _ := d.date()
	return m
}

// Day is the day of the month.
func (d Date) Day() int {
	_, _, day := d.date()
	return day
}

// Weekday counts from 1970-01-01, a Thursday.
func (d Date) Weekday() time.Weekday {
	w := (d.at() - dateOffset + 4) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}
func (d Date) ISOWeek() (int, int)  { return d.Time().ISOWeek() }
func (d Date) DaysSince(o Date) int { return int(d.at() - o.at()) }

// at is the day number, the zero Date's being that of 0001-01-01 (as
// time.Time's zero was): the zero Date sorts before every date since.
func (d Date) at() int64 {
	if d.n == 0 {
		return zeroDay
	}
	return d.n
}

var zeroDay = daysFromCivil(1, 1, 1) + dateOffset

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
	y, m, day := d.date()
	if y < 0 || y > 9999 {
		return d.Time().AppendFormat(b, dateLayout)
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
	if date.Day() != d { // 2026-02-30 and the like
		return Date{}, false
	}
	return date, true
}
