package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/stakhanov/stakhanov"
)

const conferralColumns = `c.id, c.award_id, c.recipient_kind, c.recipient_id, c.decree_id, COALESCE(c.nomination_id, 0), c.serial, c.date,
	c.times, c.brings, COALESCE(c.companion_of, 0), c.created_at, r.decree_id, r.grounds, r.date, pr.ceremony_id, pr.date, pr.created_at`

const conferralFrom = `conferrals c LEFT JOIN revocations r ON r.conferral_id = c.id LEFT JOIN presentations pr ON pr.conferral_id = c.id`

func scanConferral(row interface{ Scan(...any) error }) (*stakhanov.Conferral, error) {
	c := &stakhanov.Conferral{}
	var revDecree, ceremony sql.NullInt64
	var grounds sql.NullString
	var revDate stakhanov.Date
	var presentedOn stakhanov.Date
	var presentedAt sql.NullTime
	err := row.Scan(&c.ID, &c.AwardID, &c.Recipient.Kind, &c.Recipient.ID, &c.DecreeID, &c.NominationID, &c.Serial, &c.Date,
		&c.Times, &c.Brings, &c.CompanionOf, &c.CreatedAt, &revDecree, &grounds, &revDate, &ceremony, &presentedOn, &presentedAt)
	if err != nil {
		return nil, err
	}
	if revDecree.Valid {
		c.Revocation = &stakhanov.Revocation{ConferralID: c.ID, DecreeID: revDecree.Int64, Grounds: grounds.String, Date: revDate}
	}
	if ceremony.Valid {
		c.PresentedAt = &stakhanov.Presentation{CeremonyID: ceremony.Int64, Date: presentedOn, RecordedAt: presentedAt.Time}
	}
	return c, nil
}

func findConferral(ctx context.Context, q querier, id int64) (*stakhanov.Conferral, error) {
	c, err := scanConferral(q.queryRow(ctx, "SELECT "+conferralColumns+" FROM "+conferralFrom+" WHERE c.id = ?", id))
	if err != nil {
		return nil, notFound("conferral", id, err)
	}
	return c, nil
}

func (db *DB) FindConferralByID(ctx context.Context, id int64) (*stakhanov.Conferral, error) {
	return findConferral(ctx, db.reader(), id)
}

func (db *DB) FindConferrals(ctx context.Context, f stakhanov.ConferralFilter) ([]*stakhanov.Conferral, int, error) {
	w := &where{}
	if !f.Recipient.IsZero() {
		w.add("c.recipient_kind = ? AND c.recipient_id = ?", f.Recipient.Kind, f.Recipient.ID)
	}
	if f.AwardID != 0 {
		w.add("c.award_id = ?", f.AwardID)
	}
	if f.DecreeID != 0 {
		w.add("c.decree_id = ?", f.DecreeID)
	}
	return list(ctx, db.reader(), conferralColumns, conferralFrom, w, "c.id", f.Page, func(r *sql.Rows) (*stakhanov.Conferral, error) { return scanConferral(r) })
}

const ceremonyColumns = `id, date, place, presenter, COALESCE(created_by, 0), created_at`

func scanCeremony(row interface{ Scan(...any) error }) (*stakhanov.Ceremony, error) {
	c := &stakhanov.Ceremony{}
	err := row.Scan(&c.ID, &c.Date, &c.Place, &c.Presenter, &c.CreatedBy, &c.CreatedAt)
	return c, err
}

// CreateCeremony schedules a ceremony for unrevoked conferrals (registrar
// or admin).
func (db *DB) CreateCeremony(ctx context.Context, c *stakhanov.Ceremony) error {
	who, err := actor(ctx, stakhanov.RoleRegistrar, stakhanov.RoleAdmin)
	if err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(q querier) error {
		seen := map[int64]bool{}
		for i, id := range c.Conferrals {
			field := fmt.Sprintf("conferrals[%d]", i)
			if seen[id] {
				return stakhanov.FieldErrorf(field, "conferral %d is listed twice", id)
			}
			seen[id] = true
			conf, err := findConferral(ctx, q, id)
			if stakhanov.ErrorCode(err) == stakhanov.ENOTFOUND {
				return stakhanov.FieldErrorf(field, "conferral %d not found", id)
			} else if err != nil {
				return err
			}
			if conf.Revocation != nil {
				return stakhanov.FieldErrorf(field, "conferral %d was revoked on %s", id, conf.Revocation.Date)
			}
			if err := recipientInScope(ctx, q, who, conf.Recipient); err != nil {
				return err
			}
		}
		c.CreatedBy, c.CreatedAt = who.ID, db.now().UTC()
		c.ID, err = q.insert(ctx, `INSERT INTO ceremonies (date, place, presenter, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
			c.Date, c.Place, c.Presenter, nullID(who.ID), c.CreatedAt)
		if err != nil {
			return err
		}
		for i, id := range c.Conferrals {
			if _, err := q.exec(ctx, `INSERT INTO ceremony_conferrals (ceremony_id, conferral_id, position) VALUES (?, ?, ?)`, c.ID, id, i); err != nil {
				return err
			}
		}
		if c.Conferrals == nil {
			c.Conferrals = []int64{}
		}
		c.Presented = []int64{}
		return nil
	})
}

func fillCeremony(ctx context.Context, q querier, c *stakhanov.Ceremony) error {
	var err error
	if c.Conferrals, err = ids(ctx, q, `SELECT conferral_id FROM ceremony_conferrals WHERE ceremony_id = ? ORDER BY position`, c.ID); err != nil {
		return err
	}
	if c.Presented, err = ids(ctx, q, `SELECT conferral_id FROM presentations WHERE ceremony_id = ? ORDER BY created_at, conferral_id`, c.ID); err != nil {
		return err
	}
	if c.Conferrals == nil {
		c.Conferrals = []int64{}
	}
	if c.Presented == nil {
		c.Presented = []int64{}
	}
	return nil
}

func (db *DB) FindCeremonyByID(ctx context.Context, id int64) (*stakhanov.Ceremony, error) {
	q := db.reader()
	c, err := scanCeremony(q.queryRow(ctx, "SELECT "+ceremonyColumns+" FROM ceremonies WHERE id = ?", id))
	if err != nil {
		return nil, notFound("ceremony", id, err)
	}
	return c, fillCeremony(ctx, q, c)
}

func (db *DB) FindCeremonies(ctx context.Context, f stakhanov.CeremonyFilter) ([]*stakhanov.Ceremony, int, error) {
	q := db.reader()
	out, total, err := list(ctx, q, ceremonyColumns, "ceremonies", &where{}, "date, id", f.Page, func(r *sql.Rows) (*stakhanov.Ceremony, error) { return scanCeremony(r) })
	if err != nil {
		return nil, 0, err
	}
	for _, c := range out {
		if err := fillCeremony(ctx, q, c); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// MarkPresented records that a conferral listed for a ceremony was handed
// over there. A conferral is presented once, dated the ceremony's date, and
// not before that day.
func (db *DB) MarkPresented(ctx context.Context, ceremonyID, conferralID int64) error {
	who, err := actor(ctx, stakhanov.RoleRegistrar, stakhanov.RoleAdmin)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(q querier) error {
		cer, err := scanCeremony(q.queryRow(ctx, "SELECT "+ceremonyColumns+" FROM ceremonies WHERE id = ?", ceremonyID))
		if err != nil {
			return notFound("ceremony", ceremonyID, err)
		}
		if err := cer.CheckPresentable(db.now(), db.loc); err != nil {
			return err
		}
		listed, err := exists(ctx, q, "ceremony_conferrals WHERE ceremony_id = ? AND conferral_id = ?", ceremonyID, conferralID)
		if err != nil {
			return err
		}
		if !listed {
			return stakhanov.FieldErrorf("conferral_id", "conferral %d is not listed for ceremony %d", conferralID, ceremonyID)
		}
		conf, err := findConferral(ctx, q, conferralID)
		if err != nil {
			return err
		}
		if conf.PresentedAt != nil {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "conferral %d was presented already, at ceremony %d", conferralID, conf.PresentedAt.CeremonyID)
		}
		if conf.Revocation != nil {
			return stakhanov.FieldErrorf("conferral_id", "conferral %d was revoked on %s", conferralID, conf.Revocation.Date)
		}
		if err := recipientInScope(ctx, q, who, conf.Recipient); err != nil {
			return err
		}
		_, err = q.exec(ctx, `INSERT INTO presentations (conferral_id, ceremony_id, date, created_at, by_user) VALUES (?, ?, ?, ?, ?)`,
			conferralID, ceremonyID, cer.Date, db.now().UTC(), nullID(who.ID))
		if db.dialect.IsUniqueViolation(err) {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "conferral %d was presented at the same moment", conferralID)
		}
		return err
	})
}

// registryJoins joins each row c (recipient_kind, recipient_id) to its
// recipient: a person (with its unit) or a unit (with its parent).
const registryJoins = `
	LEFT JOIN people p ON c.recipient_kind = 'person' AND p.id = c.recipient_id
	LEFT JOIN units pu ON pu.id = p.unit_id
	LEFT JOIN units u ON c.recipient_kind = 'unit' AND u.id = c.recipient_id
	LEFT JOIN units up ON up.id = u.parent_id`

// registryFrom joins each conferral to its recipient.
const registryFrom = `conferrals c` + registryJoins

const registryName = `COALESCE(p.name, u.name, '')`

// Registry searches the public registry of recipients. Conferrals exist
// only once their decree is signed, so everything here is public.
//
// Every condition is on conferrals alone (q through the search index), so
// the counts read conferrals and its recipient index only; names are read
// for the matching recipients, to order the page.
func (db *DB) Registry(ctx context.Context, f stakhanov.RegistryFilter) (*stakhanov.Registry, error) {
	q, done, err := db.registryReader(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	page := f.Page.Normalize()
	w := &where{}
	if strings.TrimSpace(f.Q) != "" {
		// Each word of q must begin a word of the recipient's name,
		// profession or unit, through the search index
		// (registry_search.go). A q of no words (only punctuation)
		// matches no one.
		if words := searchWords(f.Q); len(words) > 0 {
			cond, arg := db.registrySearchCond(words)
			w.add(cond, arg)
		} else {
			w.add("1 = 0")
		}
	}
	if f.AwardID != 0 {
		w.add("c.award_id = ?", f.AwardID)
	}
	if f.Year != 0 {
		w.add("c.date >= ? AND c.date < ?", stakhanov.NewDate(f.Year, 1, 1), stakhanov.NewDate(f.Year+1, 1, 1))
	}
	reg := &stakhanov.Registry{Recipients: []stakhanov.RegistryRecipient{}, ByAward: []stakhanov.AwardCount{}, ByYear: []stakhanov.YearCount{}}
	recipients := `SELECT DISTINCT c.recipient_kind, c.recipient_id FROM conferrals c` + w.String()

	// Counts over the whole selection, per award and per year, in one pass.
	rows, err := q.query(ctx, `SELECT g.award_id, a.name, g.date, g.n
		FROM (SELECT c.award_id, c.date, COUNT(*) AS n FROM conferrals c`+w.String()+` GROUP BY c.award_id, c.date) g
		JOIN awards a ON a.id = g.award_id`, w.args...)
	if err != nil {
		return nil, err
	}
	awards := map[int64]int{}
	years := map[int]int{}
	for rows.Next() {
		var ac stakhanov.AwardCount
		var d stakhanov.Date
		if err := rows.Scan(&ac.AwardID, &ac.Award, &d, &ac.Count); err != nil {
			rows.Close()
			return nil, err
		}
		if i, ok := awards[ac.AwardID]; ok {
			reg.ByAward[i].Count += ac.Count
		} else {
			awards[ac.AwardID] = len(reg.ByAward)
			reg.ByAward = append(reg.ByAward, ac)
		}
		years[d.Year()] += ac.Count
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(reg.ByAward, func(i, j int) bool { return reg.ByAward[i].AwardID < reg.ByAward[j].AwardID })
	for y, n := range years {
		reg.ByYear = append(reg.ByYear, stakhanov.YearCount{Year: y, Count: n})
	}
	sort.Slice(reg.ByYear, func(i, j int) bool { return reg.ByYear[i].Year < reg.ByYear[j].Year })

	// The page of recipients, by name, with the number of them all.
	args := append(append([]any{}, w.args...), page.Limit, page.Offset)
	rows, err = q.query(ctx, `SELECT c.recipient_kind, c.recipient_id, `+registryName+`, COALESCE(p.profession, ''), COALESCE(pu.name, up.name, ''),
		COUNT(*) OVER ()
		FROM (`+recipients+`) c`+registryJoins+`
		ORDER BY `+registryName+`, c.recipient_kind, c.recipient_id LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, err
	}
	index := map[stakhanov.Subject]int{}
	for rows.Next() {
		var r stakhanov.RegistryRecipient
		if err := rows.Scan(&r.Recipient.Kind, &r.Recipient.ID, &r.Name, &r.Profession, &r.Unit, &reg.Total); err != nil {
			rows.Close()
			return nil, err
		}
		r.Conferrals = []stakhanov.RegistryEntry{}
		index[r.Recipient] = len(reg.Recipients)
		reg.Recipients = append(reg.Recipients, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(reg.Recipients) == 0 && len(reg.ByAward) > 0 {
		// A page past the end: count them apart.
		if err := q.queryRow(ctx, `SELECT COUNT(*) FROM (`+recipients+`) x`, w.args...).Scan(&reg.Total); err != nil {
			return nil, err
		}
	}
	if len(reg.Recipients) == 0 {
		return reg, nil
	}
	// Each recipient's whole record.
	var conds []string
	var rargs []any
	for _, r := range reg.Recipients {
		conds = append(conds, "(c.recipient_kind = ? AND c.recipient_id = ?)")
		rargs = append(rargs, r.Recipient.Kind, r.Recipient.ID)
	}
	rows, err = q.query(ctx, `SELECT c.recipient_kind, c.recipient_id, c.id, c.award_id, a.name, d.number, c.date, c.serial, c.times, c.brings,
		r.decree_id, r.grounds, r.date
		FROM conferrals c JOIN awards a ON a.id = c.award_id JOIN decrees d ON d.id = c.decree_id
		LEFT JOIN revocations r ON r.conferral_id = c.id
		WHERE `+strings.Join(conds, " OR ")+` ORDER BY c.date, c.id`, rargs...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var who stakhanov.Subject
		var e stakhanov.RegistryEntry
		var revDecree sql.NullInt64
		var grounds sql.NullString
		var revDate stakhanov.Date
		if err := rows.Scan(&who.Kind, &who.ID, &e.ConferralID, &e.AwardID, &e.Award, &e.DecreeNumber, &e.Date, &e.Serial, &e.Times, &e.Brings,
			&revDecree, &grounds, &revDate); err != nil {
			return nil, err
		}
		if revDecree.Valid {
			e.Revocation = &stakhanov.Revocation{ConferralID: e.ConferralID, DecreeID: revDecree.Int64, Grounds: grounds.String, Date: revDate}
		}
		i := index[who]
		reg.Recipients[i].Conferrals = append(reg.Recipients[i].Conferrals, e)
	}
	return reg, rows.Err()
}

// recipientInScope checks that a recipient (a candidate) lies within who's
// units: an authority, registrar or nominator scoped to one ministry acts
// on its people only.
func recipientInScope(ctx context.Context, q querier, who *stakhanov.User, r stakhanov.Subject) error {
	if who.UnitID == 0 {
		return nil
	}
	_, path, err := subjectPath(ctx, q, r)
	if err != nil {
		return err
	}
	return requireScope(who, path, subjectName(ctx, q, r))
}
