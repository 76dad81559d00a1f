package stakhanov

import (
	"fmt"
	"time"
)

// Today is the calendar date of now in loc (UTC if nil): the day after
// which nothing may be dated.
func Today(now time.Time, loc *time.Location) Date {
	if loc == nil {
		loc = time.UTC
	}
	return DateOf(now.In(loc))
}

// todayText says which day today is and in which zone, for messages.
func todayText(now time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return fmt.Sprintf("%s (%s)", Today(now, loc), loc)
}

// CheckNotAfterToday refuses a date after today in loc, naming the field:
// a shift cannot be reported before it was worked.
func CheckNotAfterToday(field string, d Date, now time.Time, loc *time.Location) error {
	if d.After(Today(now, loc)) {
		return FieldErrorf(field, "%s %s is after today, %s", field, d, todayText(now, loc))
	}
	return nil
}

// CheckSignable refuses to sign a decree dated after the day it would be
// signed. A draft may be dated ahead (prepared for a holiday); it is
// signed on or after its date.
func (d *Decree) CheckSignable(now time.Time, loc *time.Location) error {
	if d.Date.After(Today(now, loc)) {
		return FieldErrorf("date", "decree %s is dated %s, after today, %s: a decree is signed on or after its date",
			d.Number, d.Date, todayText(now, loc))
	}
	return nil
}

// CheckPresentable refuses to mark a conferral presented at a ceremony
// whose day has not come.
func (c *Ceremony) CheckPresentable(now time.Time, loc *time.Location) error {
	if c.Date.After(Today(now, loc)) {
		return Errorf(EINVALID, "the ceremony at %s is on %s, after today, %s: its conferrals are marked presented on or after that day",
			c.Place, c.Date, todayText(now, loc))
	}
	return nil
}
