package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/ledger"
)

const decreeColumns = `d.id, d.number, d.date, d.authority, d.kind, COALESCE(d.created_by, 0), d.created_at, s.signed_at, COALESCE(s.signed_by, 0),
	x.discarded_at, COALESCE(x.discarded_by, 0), COALESCE(x.reason, '')`

const decreeFrom = `decrees d LEFT JOIN decree_signatures s ON s.decree_id = d.id LEFT JOIN decree_discards x ON x.decree_id = d.id`

func scanDecree(row interface{ Scan(...any) error }) (*stakhanov.Decree, error) {
	d := &stakhanov.Decree{}
	var signedAt, discardedAt sql.NullTime
	var discardedBy int64
	var reason string
	err := row.Scan(&d.ID, &d.Number, &d.Date, &d.Authority, &d.Kind, &d.CreatedBy, &d.CreatedAt, &signedAt, &d.SignedBy, &discardedAt, &discardedBy, &reason)
	if err != nil {
		return nil, err
	}
	if discardedAt.Valid {
		d.Discarded = &stakhanov.DecreeDiscard{At: discardedAt.Time, By: discardedBy, Reason: reason}
	}
	if signedAt.Valid {
		t := signedAt.Time
		d.SignedAt = &t
	}
	return d, nil
}

// CreateDecree drafts a decree (authority or admin). Eligibility is
// checked when it is signed; here only that what it names exists.
func (db *DB) CreateDecree(ctx context.Context, d *stakhanov.Decree) error {
	who, err := actor(ctx, stakhanov.RoleAuthority, stakhanov.RoleAdmin)
	if err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(q querier) error {
		for i, e := range d.Entries {
			field := fmt.Sprintf("entries[%d]", i)
			var ok bool
			var err error
			var ref int64
			switch d.Kind {
			case stakhanov.DecreeConfer:
				field, ref = field+".nomination_id", e.NominationID
				ok, err = exists(ctx, q, "nominations WHERE id = ?", e.NominationID)
			case stakhanov.DecreeRevoke:
				field, ref = field+".conferral_id", e.ConferralID
				ok, err = exists(ctx, q, "conferrals WHERE id = ?", e.ConferralID)
			case stakhanov.DecreeRecord:
				field, ref = field+".award_id", e.AwardID
				ok, err = exists(ctx, q, "awards WHERE id = ?", e.AwardID)
				if err == nil && ok {
					_, err = candidateExists(ctx, q, e.Recipient, fmt.Sprintf("entries[%d].recipient", i))
				}
			}
			if err != nil {
				return err
			}
			if !ok {
				what := strings.TrimSuffix(field[strings.LastIndex(field, ".")+1:], "_id")
				return stakhanov.FieldErrorf(field, "%s %d not found", what, ref)
			}
		}
		d.CreatedBy, d.CreatedAt = who.ID, db.now().UTC()
		d.SignedAt, d.SignedBy, d.Conferrals = nil, 0, nil
		if err := decreeInScope(ctx, q, who, d); err != nil {
			return err
		}
		d.ID, err = q.insert(ctx, `INSERT INTO decrees (number, date, authority, kind, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			d.Number, d.Date, d.Authority, d.Kind, nullID(who.ID), d.CreatedAt)
		if db.dialect.IsUniqueViolation(err) {
			return &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "number", Message: fmt.Sprintf("%s has already issued a decree numbered %q", d.Authority, d.Number)}
		} else if err != nil {
			return err
		}
		for i, e := range d.Entries {
			var kind any
			if !e.Recipient.IsZero() {
				kind = e.Recipient.Kind
			}
			if _, err := q.exec(ctx, `INSERT INTO decree_entries (decree_id, position, nomination_id, conferral_id, grounds, award_id, recipient_kind, recipient_id, keep_companions)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				d.ID, i, nullID(e.NominationID), nullID(e.ConferralID), e.Grounds, nullID(e.AwardID), kind, nullID(e.Recipient.ID), boolInt(e.KeepCompanions)); err != nil {
				return err
			}
		}
		return nil
	})
}

func findDecree(ctx context.Context, q querier, id int64) (*stakhanov.Decree, error) {
	d, err := scanDecree(q.queryRow(ctx, "SELECT "+decreeColumns+" FROM "+decreeFrom+" WHERE d.id = ?", id))
	if err != nil {
		return nil, notFound("decree", id, err)
	}
	if err := fillDecree(ctx, q, d); err != nil {
		return nil, err
	}
	return d, nil
}

// fillDecree reads a decree's entries and the conferrals it made.
func fillDecree(ctx context.Context, q querier, d *stakhanov.Decree) error {
	rows, err := q.query(ctx, `SELECT COALESCE(nomination_id, 0), COALESCE(conferral_id, 0), grounds, COALESCE(award_id, 0),
		COALESCE(recipient_kind, ''), COALESCE(recipient_id, 0), keep_companions, removed_at, COALESCE(removed_by, 0), COALESCE(removal_reason, '')
		FROM decree_entries WHERE decree_id = ? ORDER BY position`, d.ID)
	if err != nil {
		return err
	}
	d.Entries, d.Removed = []stakhanov.DecreeEntry{}, nil
	for rows.Next() {
		var e stakhanov.DecreeEntry
		var keep int
		var removed sql.NullTime
		var by int64
		var why string
		if err := rows.Scan(&e.NominationID, &e.ConferralID, &e.Grounds, &e.AwardID, &e.Recipient.Kind, &e.Recipient.ID, &keep, &removed, &by, &why); err != nil {
			rows.Close()
			return err
		}
		e.KeepCompanions = keep != 0
		if removed.Valid {
			d.Removed = append(d.Removed, stakhanov.RemovedEntry{DecreeEntry: e, At: removed.Time, By: by, Reason: why})
			continue
		}
		d.Entries = append(d.Entries, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	d.Conferrals, err = ids(ctx, q, `SELECT id FROM conferrals WHERE decree_id = ? ORDER BY id`, d.ID)
	return err
}

func ids(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func (db *DB) FindDecreeByID(ctx context.Context, id int64) (*stakhanov.Decree, error) {
	return findDecree(ctx, db.reader(), id)
}

func (db *DB) FindDecrees(ctx context.Context, f stakhanov.DecreeFilter) ([]*stakhanov.Decree, int, error) {
	q := db.reader()
	w := &where{}
	if f.Kind != "" {
		w.add("d.kind = ?", f.Kind)
	}
	out, total, err := list(ctx, q, decreeColumns, decreeFrom, w, "d.date, d.id", f.Page, func(r *sql.Rows) (*stakhanov.Decree, error) { return scanDecree(r) })
	if err != nil {
		return nil, 0, err
	}
	for _, d := range out {
		if err := fillDecree(ctx, q, d); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// holding counts what a recipient holds while a decree is checked: the
// unrevoked conferrals in the database plus those the decree's earlier
// entries make.
type holding struct {
	ctx     context.Context
	q       querier
	planned map[holdKey]int
}

type holdKey struct {
	who   stakhanov.Subject
	award int64
}

func (h *holding) held(who stakhanov.Subject, award int64) (int, error) {
	var n int
	err := h.q.queryRow(h.ctx, `SELECT COUNT(*) FROM conferrals c WHERE c.award_id = ? AND c.recipient_kind = ? AND c.recipient_id = ?
		AND NOT EXISTS (SELECT 1 FROM revocations r WHERE r.conferral_id = c.id)`, award, who.Kind, who.ID).Scan(&n)
	return n + h.planned[holdKey{who, award}], err
}

// plannedConferral is one conferral a decree will make.
type plannedConferral struct {
	award      *stakhanov.Award
	recipient  stakhanov.Subject
	nomination *stakhanov.Nomination
	times      int
	companions []*plannedConferral
}

// SignDecree checks every entry and, if all pass, signs the decree and
// makes its conferrals (with companions) or revocations, all in one
// transaction. If any entry fails, nothing is written and the error lists
// every failing entry.
func (db *DB) SignDecree(ctx context.Context, id int64) (*stakhanov.Decree, error) {
	who, err := actor(ctx, stakhanov.RoleAuthority, stakhanov.RoleAdmin)
	if err != nil {
		return nil, err
	}
	err = db.inTx(ctx, func(q querier) error {
		if err := lockDecree(ctx, q, id); err != nil {
			return err
		}
		d, err := findDecree(ctx, q, id)
		if err != nil {
			return err
		}
		if d.SignedAt != nil {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "decree %s was signed already, on %s", d.Number, d.SignedAt.UTC().Format(time.DateOnly))
		}
		if d.Discarded != nil {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "decree %s was discarded on %s (%s): it can no longer be signed", d.Number, d.Discarded.At.UTC().Format(time.DateOnly), d.Discarded.Reason)
		}
		if len(d.Entries) == 0 {
			return stakhanov.FieldErrorf("entries", "decree %s has no entries left: discard it", d.Number)
		}
		if err := decreeInScope(ctx, q, who, d); err != nil {
			return err
		}
		if err := d.CheckSignable(db.now(), db.loc); err != nil {
			return err
		}
		problems, plans, err := db.checkDecree(ctx, q, d)
		if err != nil {
			return err
		}
		var said []string
		first := -1
		for i, why := range problems {
			if len(why) > 0 {
				if first < 0 {
					first = i
				}
				said = append(said, fmt.Sprintf("entry %d: %s", i+1, strings.Join(why, ", ")))
			}
		}
		if first >= 0 {
			return &stakhanov.Error{Code: stakhanov.EINVALID, Field: fmt.Sprintf("entries[%d]", first),
				Message: fmt.Sprintf("decree %s cannot be signed: %s", d.Number, strings.Join(said, "; "))}
		}
		now := db.now().UTC()
		_, err = q.exec(ctx, `INSERT INTO decree_signatures (decree_id, signed_at, signed_by) VALUES (?, ?, ?)`, d.ID, now, nullID(who.ID))
		if db.dialect.IsUniqueViolation(err) {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "decree %s was signed at the same moment by someone else", d.Number)
		} else if err != nil {
			return err
		}
		// The ledger gets the decree's record, then its revocations' or
		// conferrals', each read back as stored, in this transaction.
		signed, err := findDecree(ctx, q, d.ID)
		if err != nil {
			return err
		}
		records := []ledger.Record{ledger.DecreeRecord(signed)}
		if d.Kind == stakhanov.DecreeRevoke {
			revoke := func(conferral int64, grounds string) error {
				_, err := q.exec(ctx, `INSERT INTO revocations (conferral_id, decree_id, grounds, date, created_at) VALUES (?, ?, ?, ?, ?)`,
					conferral, d.ID, grounds, d.Date, now)
				if db.dialect.IsUniqueViolation(err) {
					return stakhanov.Errorf(stakhanov.ECONFLICT, "conferral %d was revoked at the same moment by another decree", conferral)
				} else if err != nil {
					return err
				}
				records = append(records, ledger.RevocationRecord(&stakhanov.Revocation{ConferralID: conferral, DecreeID: d.ID, Grounds: grounds, Date: d.Date}))
				// The nomination's history says what became of it.
				var nomination sql.NullInt64
				if err := q.queryRow(ctx, `SELECT nomination_id FROM conferrals WHERE id = ?`, conferral).Scan(&nomination); err != nil {
					return err
				}
				if nomination.Valid {
					n, err := findNomination(ctx, q, nomination.Int64)
					if err != nil {
						return err
					}
					return db.appendEvent(ctx, q, n.ID, stakhanov.NominationRevoked, n.Stage,
						fmt.Sprintf("conferral %d revoked by decree %s of %s: %s", conferral, d.Number, d.Date, grounds), who.ID)
				}
				return nil
			}
			named := map[int64]bool{}
			for _, e := range d.Entries {
				named[e.ConferralID] = true
			}
			for _, e := range d.Entries {
				if err := revoke(e.ConferralID, e.Grounds); err != nil {
					return err
				}
				if e.KeepCompanions {
					continue
				}
				// The companions made with it go with it, unless
				// another entry revokes them itself.
				var companions []int64
				err := eachRow(ctx, q, `SELECT c.id FROM conferrals c WHERE c.companion_of = ?
					AND NOT EXISTS (SELECT 1 FROM revocations r WHERE r.conferral_id = c.id) ORDER BY c.id`, []any{e.ConferralID}, func(rows *sql.Rows) error {
					var id int64
					err := rows.Scan(&id)
					companions = append(companions, id)
					return err
				})
				if err != nil {
					return err
				}
				for _, c := range companions {
					if named[c] {
						continue // its own entry revokes it, with its grounds
					}
					if err := revoke(c, e.Grounds); err != nil {
						return err
					}
				}
			}
			return db.appendLedger(ctx, q, records, now)
		}
		conferred := func(id int64) error {
			c, err := findConferral(ctx, q, id)
			if err != nil {
				return err
			}
			records = append(records, ledger.ConferralRecord(c))
			return nil
		}
		for _, p := range plans {
			main, err := db.insertConferral(ctx, q, d, p, 0, now)
			if err != nil {
				return err
			}
			if err := conferred(main); err != nil {
				return err
			}
			for _, c := range p.companions {
				id, err := db.insertConferral(ctx, q, d, c, main, now)
				if err != nil {
					return err
				}
				if err := conferred(id); err != nil {
					return err
				}
			}
			if p.nomination != nil {
				if err := db.appendEvent(ctx, q, p.nomination.ID, stakhanov.NominationConferred, p.nomination.Stage,
					fmt.Sprintf("conferred by decree %s of %s", d.Number, d.Date), who.ID); err != nil {
					return err
				}
			}
		}
		return db.appendLedger(ctx, q, records, now)
	})
	if err != nil {
		return nil, err
	}
	return db.FindDecreeByID(ctx, id)
}

func (db *DB) DecreeProblems(ctx context.Context, id int64) ([][]string, error) {
	q := db.reader()
	d, err := findDecree(ctx, q, id)
	if err != nil {
		return nil, err
	}
	problems, _, err := db.checkDecree(ctx, q, d)
	return problems, err
}

// checkDecree checks every entry of a decree as signing it would: the
// problems of each entry (none: it may be signed) and, for conferrals, what
// signing would make. It writes nothing: signing calls it in its
// transaction, and DecreeProblems for a pre-check, so that both say the
// same.
func (db *DB) checkDecree(ctx context.Context, q querier, d *stakhanov.Decree) ([][]string, []*plannedConferral, error) {
	var err error
	awards := map[int64]*stakhanov.Award{}
	award := func(id int64) (*stakhanov.Award, error) {
		if a, ok := awards[id]; ok {
			return a, nil
		}
		a, err := findAward(ctx, q, id)
		if err != nil {
			return nil, err
		}
		awards[id] = a
		return a, nil
	}
	h := &holding{ctx: ctx, q: q, planned: map[holdKey]int{}}
	var plans []*plannedConferral
	problems := make([][]string, len(d.Entries))
	seenNomination, seenConferral := map[int64]bool{}, map[int64]bool{}
	for i, e := range d.Entries {
		var why []string
		switch d.Kind {
		case stakhanov.DecreeRevoke:
			var revoked int
			err := q.queryRow(ctx, `SELECT COUNT(r.conferral_id) FROM conferrals c LEFT JOIN revocations r ON r.conferral_id = c.id WHERE c.id = ? GROUP BY c.id`,
				e.ConferralID).Scan(&revoked)
			switch {
			case err == sql.ErrNoRows:
				why = append(why, fmt.Sprintf("conferral %d not found", e.ConferralID))
			case err != nil:
				return nil, nil, err
			case revoked > 0:
				why = append(why, fmt.Sprintf("conferral %d is revoked already", e.ConferralID))
			case seenConferral[e.ConferralID]:
				why = append(why, fmt.Sprintf("conferral %d is revoked by an earlier entry", e.ConferralID))
			}
			seenConferral[e.ConferralID] = true
		case stakhanov.DecreeConfer, stakhanov.DecreeRecord:
			p := &plannedConferral{}
			if d.Kind == stakhanov.DecreeConfer {
				n, err := findNomination(ctx, q, e.NominationID)
				if stakhanov.ErrorCode(err) == stakhanov.ENOTFOUND {
					why = append(why, fmt.Sprintf("nomination %d not found", e.NominationID))
					break
				} else if err != nil {
					return nil, nil, err
				}
				if seenNomination[n.ID] {
					why = append(why, fmt.Sprintf("nomination %d is named by an earlier entry", n.ID))
				}
				seenNomination[n.ID] = true
				if n.State != stakhanov.NominationApproved {
					why = append(why, fmt.Sprintf("nomination %d is %s, not approved", n.ID, n.State))
				}
				p.nomination, p.recipient = n, n.Candidate
				if p.award, err = award(n.AwardID); err != nil {
					return nil, nil, err
				}
			} else {
				p.recipient = e.Recipient
				if _, err := candidateExists(ctx, q, e.Recipient, "recipient"); stakhanov.ErrorCode(err) == stakhanov.EINVALID {
					why = append(why, fmt.Sprintf("recipient %s not found", e.Recipient))
				} else if err != nil {
					return nil, nil, err
				}
				p.award, err = award(e.AwardID)
				if stakhanov.ErrorCode(err) == stakhanov.ENOTFOUND {
					why = append(why, fmt.Sprintf("award %d not found", e.AwardID))
					break
				} else if err != nil {
					return nil, nil, err
				}
				// A record decree enters holders from before Stakhanov
				// kept the award's register; today's titles go through
				// nomination and review.
				if opened := stakhanov.DateOf(p.award.CreatedAt.UTC()); !d.Date.Before(opened) {
					why = append(why, fmt.Sprintf("a record decree enters only conferrals from before %s's register was opened here (%s): confer it by nomination and review",
						p.award.Name, opened))
				}
			}
			a := p.award
			obstacles, held, err := awardObstacles(ctx, q, h, award, a, p.recipient, d.Date, true)
			if err != nil {
				return nil, nil, err
			}
			why = append(why, obstacles...)
			if len(why) > 0 {
				break
			}
			p.times = held + 1
			h.planned[holdKey{p.recipient, a.ID}]++
			for _, cid := range a.Rules.Companions {
				ca, err := award(cid)
				if err != nil {
					return nil, nil, err
				}
				n, err := h.held(p.recipient, cid)
				if err != nil {
					return nil, nil, err
				}
				p.companions = append(p.companions, &plannedConferral{award: ca, recipient: p.recipient, nomination: p.nomination, times: n + 1})
				h.planned[holdKey{p.recipient, cid}]++
			}
			plans = append(plans, p)
		}
		if len(why) > 0 {
			problems[i] = why
		}
	}
	return problems, plans, nil
}

// insertConferral writes one conferral with the award's next serial
// number.
func (db *DB) insertConferral(ctx context.Context, q querier, d *stakhanov.Decree, p *plannedConferral, companionOf int64, now time.Time) (int64, error) {
	var serial int
	if err := q.queryRow(ctx, `SELECT COALESCE(MAX(serial), 0) + 1 FROM conferrals WHERE award_id = ?`, p.award.ID).Scan(&serial); err != nil {
		return 0, err
	}
	brings := ""
	for _, b := range p.award.Rules.RepeatBrings {
		if b.Times == p.times {
			brings = b.Brings
		}
	}
	var nomID int64
	if p.nomination != nil {
		nomID = p.nomination.ID
	}
	id, err := q.insert(ctx, `INSERT INTO conferrals (award_id, recipient_kind, recipient_id, decree_id, nomination_id, serial, date, times, brings, companion_of, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.award.ID, p.recipient.Kind, p.recipient.ID, d.ID, nullID(nomID), serial, d.Date, p.times, brings, nullID(companionOf), now)
	if db.dialect.IsUniqueViolation(err) {
		return 0, stakhanov.Errorf(stakhanov.ECONFLICT, "another decree conferred %s at the same moment; try again", p.award.Name)
	} else if err != nil {
		return 0, err
	}
	// The registry's search index learns of a new recipient in the same
	// transaction (registry_search.go).
	return id, db.indexRecipient(ctx, q, p.recipient)
}

// times writes a count of times as a person reads it: once, twice, 3 times.
func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}

// awardObstacles says what stands in the way of conferring a on who on a
// day: the award not in force, the times it may be held reached, a
// prerequisite not held. It is the one check of these, made when a decree
// is signed or checked and when a nomination is filed; held is how many
// times who holds a (with what h has planned). A decree is dated (onDay):
// the award must be in force that day. A nomination is not yet: a decree
// may be dated back to when the award was in force, but not before it was
// established.
func awardObstacles(ctx context.Context, q querier, h *holding, award func(int64) (*stakhanov.Award, error), a *stakhanov.Award,
	who stakhanov.Subject, on stakhanov.Date, onDay bool) (why []string, held int, err error) {
	if onDay && !a.InForceOn(on) {
		span := "established " + a.Established.String()
		if !a.Abolished.IsZero() {
			span += ", abolished " + a.Abolished.String()
		}
		why = append(why, fmt.Sprintf("%s was not in force on %s (%s)", a.Name, on, span))
	} else if !onDay && a.Established.After(on) {
		why = append(why, fmt.Sprintf("%s is established only from %s", a.Name, a.Established))
	}
	if held, err = h.held(who, a.ID); err != nil {
		return nil, 0, err
	}
	if a.Rules.MaxTimes > 0 && held >= a.Rules.MaxTimes {
		why = append(why, fmt.Sprintf("%s already holds %s %s; it may be held at most %s", subjectName(ctx, q, who), a.Name, times(held), times(a.Rules.MaxTimes)))
	}
	for _, pre := range a.Rules.Prerequisites {
		pa, err := award(pre)
		if err != nil {
			return nil, 0, err
		}
		n, err := h.held(who, pre)
		if err != nil {
			return nil, 0, err
		}
		if n == 0 {
			why = append(why, fmt.Sprintf("%s does not hold %s, which must come first", subjectName(ctx, q, who), pa.Name))
		}
	}
	return why, held, nil
}

// NominationObstacles says what would keep a nomination of who for an
// award from ever being signed, today: the checks signing makes of the
// award and the recipient.
func (db *DB) NominationObstacles(ctx context.Context, awardID int64, who stakhanov.Subject) ([]string, error) {
	q := db.reader()
	a, err := findAward(ctx, q, awardID)
	if err != nil {
		return nil, err
	}
	award := func(id int64) (*stakhanov.Award, error) { return findAward(ctx, q, id) }
	why, _, err := awardObstacles(ctx, q, &holding{ctx: ctx, q: q, planned: map[holdKey]int{}}, award, a, who, db.today(), false)
	return why, err
}

// draftFor reads a draft decree for a change: the authority or an admin,
// before it is signed or discarded.
func (db *DB) draftFor(ctx context.Context, q querier, id int64, reason string) (*stakhanov.User, *stakhanov.Decree, string, error) {
	who, err := actor(ctx, stakhanov.RoleAuthority, stakhanov.RoleAdmin)
	if err != nil {
		return nil, nil, "", err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, nil, "", stakhanov.FieldErrorf("reason", "reason is required: it is kept with the change")
	}
	if len(reason) > stakhanov.MaxReasonLength {
		return nil, nil, "", stakhanov.FieldErrorf("reason", "reason is longer than %d characters", stakhanov.MaxReasonLength)
	}
	if err := lockDecree(ctx, q, id); err != nil {
		return nil, nil, "", err
	}
	d, err := findDecree(ctx, q, id)
	if err != nil {
		return nil, nil, "", err
	}
	switch {
	case d.SignedAt != nil:
		return nil, nil, "", stakhanov.Errorf(stakhanov.ECONFLICT, "decree %s was signed on %s: a signed decree is not changed", d.Number, d.SignedAt.UTC().Format(time.DateOnly))
	case d.Discarded != nil:
		return nil, nil, "", stakhanov.Errorf(stakhanov.ECONFLICT, "decree %s was discarded on %s", d.Number, d.Discarded.At.UTC().Format(time.DateOnly))
	}
	return who, d, reason, nil
}

func (db *DB) RemoveDecreeEntry(ctx context.Context, decreeID int64, entry int, reason string) (*stakhanov.Decree, error) {
	err := db.inTx(ctx, func(q querier) error {
		who, d, reason, err := db.draftFor(ctx, q, decreeID, reason)
		if err != nil {
			return err
		}
		if entry < 1 || entry > len(d.Entries) {
			return stakhanov.FieldErrorf("entry", "decree %s has %d entries: there is no entry %d", d.Number, len(d.Entries), entry)
		}
		// The entry-th of the entries not removed, by position.
		var position int
		if err := q.queryRow(ctx, `SELECT position FROM decree_entries WHERE decree_id = ? AND removed_at IS NULL ORDER BY position LIMIT 1 OFFSET ?`,
			decreeID, entry-1).Scan(&position); err != nil {
			return err
		}
		_, err = q.exec(ctx, `UPDATE decree_entries SET removed_at = ?, removed_by = ?, removal_reason = ? WHERE decree_id = ? AND position = ? AND removed_at IS NULL`,
			db.now().UTC(), nullID(who.ID), reason, decreeID, position)
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.FindDecreeByID(ctx, decreeID)
}

func (db *DB) DiscardDecree(ctx context.Context, decreeID int64, reason string) (*stakhanov.Decree, error) {
	err := db.inTx(ctx, func(q querier) error {
		who, _, reason, err := db.draftFor(ctx, q, decreeID, reason)
		if err != nil {
			return err
		}
		_, err = q.exec(ctx, `INSERT INTO decree_discards (decree_id, discarded_at, discarded_by, reason) VALUES (?, ?, ?, ?)`,
			decreeID, db.now().UTC(), nullID(who.ID), reason)
		if db.dialect.IsUniqueViolation(err) {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "the draft was discarded at the same moment by someone else")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.FindDecreeByID(ctx, decreeID)
}

// lockDecree takes a decree's row for the rest of the transaction (an
// UPDATE that changes nothing locks on both engines), so that a change to
// a draft and its signing take turns and each reads what the other wrote.
func lockDecree(ctx context.Context, q querier, id int64) error {
	_, err := q.exec(ctx, `UPDATE decrees SET number = number WHERE id = ?`, id)
	return err
}

// decreeInScope checks that every recipient of a decree's entries lies
// within who's units: an authority scoped to one ministry decrees for its
// people only.
func decreeInScope(ctx context.Context, q querier, who *stakhanov.User, d *stakhanov.Decree) error {
	if who.UnitID == 0 {
		return nil
	}
	for _, e := range d.Entries {
		var r stakhanov.Subject
		switch d.Kind {
		case stakhanov.DecreeConfer:
			err := q.queryRow(ctx, `SELECT candidate_kind, candidate_id FROM nominations WHERE id = ?`, e.NominationID).Scan(&r.Kind, &r.ID)
			if err == sql.ErrNoRows {
				continue // the check names it
			} else if err != nil {
				return err
			}
		case stakhanov.DecreeRevoke:
			err := q.queryRow(ctx, `SELECT recipient_kind, recipient_id FROM conferrals WHERE id = ?`, e.ConferralID).Scan(&r.Kind, &r.ID)
			if err == sql.ErrNoRows {
				continue
			} else if err != nil {
				return err
			}
		default:
			r = e.Recipient
		}
		if err := recipientInScope(ctx, q, who, r); err != nil {
			return err
		}
	}
	return nil
}
