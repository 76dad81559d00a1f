// Package ledger is Stakhanov's tamper-evident honours ledger: every decree
// signed, conferral made and conferral revoked is appended, as a canonical
// record, to a transparency log built on golang.org/x/mod/sumdb/tlog
// (RFC 6962 hashing). The store keeps the records and the tree's stored
// hashes (see stakhanov.LedgerStore); this package encodes the records,
// signs checkpoints in the C2SP tlog-checkpoint format with an Ed25519
// note key (golang.org/x/mod/sumdb/note), proves inclusion and
// consistency, and verifies a database against its ledger, online
// (Verify) and offline from files (CheckCheckpoint, CheckInclusion,
// CheckConsistency).
package ledger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/stakhanov/stakhanov"
)

// Version is the record format's version, carried in every record.
const Version = 1

// Record is one ledger record. Its canonical encoding (Encode) is JSON
// with the keys in sorted order (the fields below are declared in that
// order), no insignificant whitespace, and the fields a kind does not use
// left out. Which fields a kind carries:
//
//   - decree: decree_id, number, date, authority, decree_kind, signed_at
//     (UTC, to the second), signed_by (user id, absent for the system);
//   - conferral: conferral_id, decree_id, award_id, recipient (person:ID or
//     unit:ID), serial, date, times, brings, companion_of, nomination_id;
//   - revocation: conferral_id, decree_id, grounds, date.
type Record struct {
	Authority    string `json:"authority,omitempty"`
	AwardID      int64  `json:"award_id,omitempty"`
	Brings       string `json:"brings,omitempty"`
	CompanionOf  int64  `json:"companion_of,omitempty"`
	ConferralID  int64  `json:"conferral_id,omitempty"`
	Date         string `json:"date"`
	DecreeID     int64  `json:"decree_id"`
	DecreeKind   string `json:"decree_kind,omitempty"`
	Grounds      string `json:"grounds,omitempty"`
	Kind         string `json:"kind"`
	NominationID int64  `json:"nomination_id,omitempty"`
	Number       string `json:"number,omitempty"`
	Recipient    string `json:"recipient,omitempty"`
	Serial       int    `json:"serial,omitempty"`
	SignedAt     string `json:"signed_at,omitempty"`
	SignedBy     int64  `json:"signed_by,omitempty"`
	Times        int    `json:"times,omitempty"`
	V            int    `json:"v"`
}

// DecreeRecord is the record of a signed decree.
func DecreeRecord(d *stakhanov.Decree) Record {
	r := Record{Kind: stakhanov.LedgerDecree, V: Version, DecreeID: d.ID, Number: d.Number, Date: d.Date.String(),
		Authority: d.Authority, DecreeKind: d.Kind, SignedBy: d.SignedBy}
	if d.SignedAt != nil {
		r.SignedAt = d.SignedAt.UTC().Truncate(time.Second).Format(time.RFC3339)
	}
	return r
}

// ConferralRecord is the record of a conferral.
func ConferralRecord(c *stakhanov.Conferral) Record {
	return Record{Kind: stakhanov.LedgerConferral, V: Version, ConferralID: c.ID, DecreeID: c.DecreeID, AwardID: c.AwardID,
		Recipient: c.Recipient.String(), Serial: c.Serial, Date: c.Date.String(), Times: c.Times, Brings: c.Brings,
		CompanionOf: c.CompanionOf, NominationID: c.NominationID}
}

// RevocationRecord is the record of a revocation.
func RevocationRecord(r *stakhanov.Revocation) Record {
	return Record{Kind: stakhanov.LedgerRevocation, V: Version, ConferralID: r.ConferralID, DecreeID: r.DecreeID,
		Grounds: r.Grounds, Date: r.Date.String()}
}

// RefID is the id the record is about: the decree's for a decree, the
// conferral's for a conferral or a revocation.
func (r Record) RefID() int64 {
	if r.Kind == stakhanov.LedgerDecree {
		return r.DecreeID
	}
	return r.ConferralID
}

// Key names what the record is about, "conferral 12", for matching
// records to rows and for messages.
func (r Record) Key() string { return fmt.Sprintf("%s %d", r.Kind, r.RefID()) }

// Encode returns the record's canonical bytes.
func (r Record) Encode() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		panic(err) // strings and integers always encode
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// Decode parses a record's bytes and checks that they are its canonical
// encoding, of a known kind.
func Decode(data []byte) (Record, error) {
	var r Record
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return r, fmt.Errorf("not a ledger record: %v", err)
	}
	switch r.Kind {
	case stakhanov.LedgerDecree, stakhanov.LedgerConferral, stakhanov.LedgerRevocation:
	default:
		return r, fmt.Errorf("unknown record kind %q", r.Kind)
	}
	if !bytes.Equal(r.Encode(), data) {
		return r, fmt.Errorf("not in canonical form")
	}
	return r, nil
}

// Diff lists how the record from the database (db) differs from the one in
// the ledger (led), field by field: "recipient is person:7 in the database
// but person:5"; the caller says which ledger record.
func Diff(db, led Record) []string {
	var out []string
	vd, vl := reflect.ValueOf(db), reflect.ValueOf(led)
	t := vd.Type()
	for i := 0; i < t.NumField(); i++ {
		a, b := vd.Field(i).Interface(), vl.Field(i).Interface()
		if a == b {
			continue
		}
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		out = append(out, fmt.Sprintf("%s is %s in the database but %s", name, show(a), show(b)))
	}
	return out
}

func show(v any) string {
	switch v := v.(type) {
	case string:
		if v == "" {
			return "empty"
		}
		if strings.ContainsAny(v, " \t\"\\") {
			return fmt.Sprintf("%q", v)
		}
		return v
	case int, int64:
		if reflect.ValueOf(v).Int() == 0 {
			return "absent"
		}
	}
	return fmt.Sprint(v)
}
