package stakhanov

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"
)

// ETOOMANY: too many attempts; wait and try again (HTTP 429).
const ETOOMANY = "too_many"

// Security events are what an auditor reads of attempts to get in or to
// act beyond one's rights: every failed sign-in, every sign-in held back
// by the throttle, every successful one, and every refused permission.
// They are only ever added.
const (
	EventSignIn          = "signin"
	EventSignInFailed    = "signin_failed"
	EventSignInThrottled = "signin_throttled"
	EventForbidden       = "forbidden"
)

// SecurityEvent is one such event.
type SecurityEvent struct {
	ID   int64  `json:"id"`
	Kind string `json:"kind"`
	// Name is the account name tried or used; UserID the account, when
	// known.
	Name    string `json:"name,omitempty"`
	UserID  int64  `json:"user_id,omitempty"`
	Address string `json:"address,omitempty"`
	// Method and Path are the request refused; Detail what it was told.
	Method string    `json:"method,omitempty"`
	Path   string    `json:"path,omitempty"`
	Detail string    `json:"detail,omitempty"`
	At     time.Time `json:"at"`
}

// MaxEventText bounds each text of an event as kept: a path or a name
// sent by anyone.
const MaxEventText = 500

// Clip makes what an event keeps of a text a client sent safe to keep:
// valid UTF-8 without NUL (which PostgreSQL refuses), at most
// MaxEventText bytes.
func (e *SecurityEvent) Clip() {
	for _, s := range []*string{&e.Name, &e.Address, &e.Method, &e.Path, &e.Detail} {
		*s = CleanText(*s, MaxEventText)
	}
}

// CleanText makes a text anyone sent safe to keep and to look up: invalid
// UTF-8 and NUL replaced, at most n bytes.
func CleanText(s string, n int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
	return ValidUTF8Prefix(s, n)
}

// ValidUTF8Prefix returns at most n bytes of s, not cutting a character.
func ValidUTF8Prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// SecurityEventFilter selects events, the latest first.
type SecurityEventFilter struct {
	Kind string
	Name string
	Page Page
}

// The sign-in throttle: within SignInWindow, the first SignInFreeFailures
// failures of an account (since its last sign-in), or the first
// SignInFreeAddressFailures of an address (an office behind one address
// has many people), cost nothing; each one after doubles the wait before
// the next try, from a second up to SignInMaxWait.
const (
	SignInWindow              = 15 * time.Minute
	SignInFreeFailures        = 5
	SignInFreeAddressFailures = 20
	SignInMaxWait             = 15 * time.Minute
)

// SignInDelay is the wait after failures failed sign-ins of an account.
func SignInDelay(failures int) time.Duration { return signInDelay(failures, SignInFreeFailures) }

func signInDelay(failures, free int) time.Duration {
	if failures < free {
		return 0
	}
	n := failures - free
	if n >= 20 {
		return SignInMaxWait
	}
	return min(time.Second<<n, SignInMaxWait)
}

// SignInFailures are the failed sign-ins the throttle weighs: of the
// account tried and of the address tried from, with the last of each.
type SignInFailures struct {
	ByName, ByAddress     int
	LastName, LastAddress time.Time
}

// SignInWait says how long a sign-in must wait at now, or 0; the error,
// when it must, tells the person how long.
func SignInWait(f SignInFailures, now time.Time) (time.Duration, error) {
	wait := max(f.LastName.Add(SignInDelay(f.ByName)).Sub(now), f.LastAddress.Add(signInDelay(f.ByAddress, SignInFreeAddressFailures)).Sub(now))
	if wait <= 0 {
		return 0, nil
	}
	return wait, Errorf(ETOOMANY, "too many failed sign-ins: wait %s and try again", humanWait(wait))
}

func humanWait(d time.Duration) string {
	switch {
	case d <= time.Second:
		return "a second"
	case d < time.Minute:
		return fmt.Sprintf("%d seconds", int((d+time.Second-1)/time.Second))
	case d < 2*time.Minute:
		return "a minute"
	}
	return fmt.Sprintf("%d minutes", int((d+time.Minute-1)/time.Minute))
}

// SecurityStore keeps the security events.
type SecurityStore interface {
	// RecordSecurityEvent adds an event; it needs no acting user (a
	// failed sign-in has none).
	RecordSecurityEvent(ctx context.Context, e *SecurityEvent) error
	// CountSignInFailures counts the failed sign-ins since since: of the
	// name since its last successful sign-in, and of the address.
	CountSignInFailures(ctx context.Context, name, address string, since time.Time) (SignInFailures, error)
	// FindSecurityEvents lists events, the latest first: for auditors and
	// unscoped admins.
	FindSecurityEvents(ctx context.Context, f SecurityEventFilter) ([]*SecurityEvent, int, error)
}

// SignIn checks a name and password as the sign-in throttle allows, and
// records the attempt: held back (ETOOMANY, saying how long to wait),
// failed (EUNAUTHORIZED) or successful. The web sign-in calls it; it is
// the one place the throttle is applied.
func SignIn(ctx context.Context, s Store, name, password, address string, now time.Time) (*User, error) {
	name = CleanText(name, MaxEventText)
	failures, err := s.CountSignInFailures(ctx, name, address, now.Add(-SignInWindow))
	if err != nil {
		return nil, err
	}
	event := &SecurityEvent{Name: name, Address: address, At: now.UTC()}
	if _, err := SignInWait(failures, now); err != nil {
		event.Kind, event.Detail = EventSignInThrottled, ErrorMessage(err)
		if rerr := s.RecordSecurityEvent(ctx, event); rerr != nil {
			return nil, rerr
		}
		return nil, err
	}
	u, err := s.CheckPassword(ctx, name, password)
	if ErrorCode(err) == EUNAUTHORIZED {
		event.Kind, event.Detail = EventSignInFailed, ErrorMessage(err)
		if rerr := s.RecordSecurityEvent(ctx, event); rerr != nil {
			return nil, rerr
		}
		return nil, err
	} else if err != nil {
		return nil, err
	}
	event.Kind, event.UserID = EventSignIn, u.ID
	if err := s.RecordSecurityEvent(ctx, event); err != nil {
		return nil, err
	}
	return u, nil
}

// RecordRefusal keeps a refused permission (an EFORBIDDEN answer) where an
// auditor reads it: who (the context's user), from where, what request and
// what it was told.
func RecordRefusal(ctx context.Context, s SecurityStore, address, method, path string, refusal error) error {
	e := &SecurityEvent{Kind: EventForbidden, Address: address, Method: method, Path: path, Detail: ErrorMessage(refusal)}
	if u := UserFromContext(ctx); u != nil {
		e.UserID, e.Name = u.ID, u.Name
	}
	return s.RecordSecurityEvent(ctx, e)
}

// AddressOf is the address a request came from, without its port: what
// the throttle counts per address and the events keep.
func AddressOf(remoteAddr string) string {
	if host, _, err := net.SplitHostPort(remoteAddr); err == nil {
		return host
	}
	return remoteAddr
}
