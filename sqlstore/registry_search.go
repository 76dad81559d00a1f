package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode"

	"github.com/stakhanov/stakhanov"
)

// The registry's search index (migration 0008) holds one row per recipient
// of a conferral: registry_search (recipient_kind, recipient_id, text), text
// being the recipient's name, profession and unit as the registry shows
// them, lower-cased. People and units are never renamed, so a recipient's
// row is written once, with its first conferral, in the transaction that
// signs the decree (insertConferral). No triggers keep it: the store does.
//
// The engines index text each their own way:
//
//   - SQLite: an FTS4 table registry_fts whose docid is registry_search.id
//     (external content, tokenizer unicode61 without diacritic folding); the
//     store writes both rows.
//   - PostgreSQL: a GIN index on to_tsvector('simple', text).
//
// A query matches a recipient when each of its words is the start of a word
// of the text (searchWords, registrySearchCond).

// searchWords splits s into lower-case words: runs of letters, digits and
// combining marks. Everything else separates words.
func searchWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

// registrySearchText is the indexed text of a recipient.
func registrySearchText(name, profession, unit string) string {
	return strings.ToLower(strings.Join([]string{name, profession, unit}, " "))
}

// registrySearchCond returns the condition on conferrals c that selects the
// recipients matching every word of q as a word prefix, and its argument.
// q must have at least one word.
func (db *DB) registrySearchCond(words []string) (string, any) {
	if db.dialect.Name() == "sqlite" {
		// FTS4 query: terms side by side must all match; "w*" is a prefix
		// term. Words hold no quotes or operators (AND/OR/NOT/NEAR are
		// upper case only; words are lower case).
		terms := make([]string, len(words))
		for i, w := range words {
			terms[i] = w + "*"
		}
		return `(c.recipient_kind, c.recipient_id) IN (SELECT s.recipient_kind, s.recipient_id FROM registry_search s
			WHERE s.id IN (SELECT docid FROM registry_fts WHERE registry_fts MATCH ?))`, strings.Join(terms, " ")
	}
	// tsquery: 'w':* is a prefix; words hold no quotes or backslashes.
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i] = "'" + w + "':*"
	}
	return `(c.recipient_kind, c.recipient_id) IN (SELECT s.recipient_kind, s.recipient_id FROM registry_search s
		WHERE to_tsvector('simple', s.text) @@ to_tsquery('simple', ?))`, strings.Join(terms, " & ")
}

// indexRecipient adds a conferral's recipient to the registry's search
// index, unless it is there already. It runs in the transaction that writes
// the conferral.
func (db *DB) indexRecipient(ctx context.Context, q querier, who stakhanov.Subject) error {
	ok, err := exists(ctx, q, "registry_search WHERE recipient_kind = ? AND recipient_id = ?", who.Kind, who.ID)
	if err != nil || ok {
		return err
	}
	var name, profession, unit string
	err = q.queryRow(ctx, `SELECT `+registryName+`, COALESCE(p.profession, ''), COALESCE(pu.name, up.name, '')
		FROM `+registryFrom+` WHERE c.recipient_kind = ? AND c.recipient_id = ? LIMIT 1`, who.Kind, who.ID).Scan(&name, &profession, &unit)
	if err != nil {
		return err
	}
	return db.addSearchEntry(ctx, q, who, registrySearchText(name, profession, unit))
}

// addSearchEntry writes a recipient's row of the search index (and, on
// SQLite, its FTS row). A row written meanwhile by another transaction
// (PostgreSQL) is left as it is: it holds the same text.
func (db *DB) addSearchEntry(ctx context.Context, q querier, who stakhanov.Subject, text string) error {
	const ins = `INSERT INTO registry_search (recipient_kind, recipient_id, text) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`
	if db.dialect.Name() != "sqlite" {
		_, err := q.exec(ctx, ins, who.Kind, who.ID, text)
		return err
	}
	id, err := q.insert(ctx, ins, who.Kind, who.ID, text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	_, err = q.exec(ctx, `INSERT INTO registry_fts (docid, text) VALUES (?, ?)`, id, text)
	return err
}

// IndexRegistry adds to the registry's search index every recipient of a
// conferral that is missing from it, in one transaction, and returns how
// many it added. The store keeps the index itself; this is for data
// written around it, such as a benchmark's fixture loaded with plain SQL.
func (db *DB) IndexRegistry(ctx context.Context) (int, error) {
	n := 0
	err := db.inTx(ctx, func(q querier) error {
		type entry struct {
			who  stakhanov.Subject
			text string
		}
		rows, err := q.query(ctx, `SELECT DISTINCT c.recipient_kind, c.recipient_id, `+registryName+`, COALESCE(p.profession, ''), COALESCE(pu.name, up.name, '')
			FROM `+registryFrom+`
			LEFT JOIN registry_search s ON s.recipient_kind = c.recipient_kind AND s.recipient_id = c.recipient_id
			WHERE s.recipient_id IS NULL`)
		if err != nil {
			return err
		}
		var missing []entry
		for rows.Next() {
			var e entry
			var name, profession, unit string
			if err := rows.Scan(&e.who.Kind, &e.who.ID, &name, &profession, &unit); err != nil {
				rows.Close()
				return err
			}
			e.text = registrySearchText(name, profession, unit)
			missing = append(missing, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, e := range missing {
			if err := db.addSearchEntry(ctx, q, e.who, e.text); err != nil {
				return err
			}
		}
		n = len(missing)
		return nil
	})
	return n, err
}

// registryReader returns what Registry reads with, and a function to call
// when done. On PostgreSQL that is a read-only transaction planning each
// query for its own arguments (plan_cache_mode = force_custom_plan): the
// driver prepares statements, and once a search matching thousands made a
// generic plan look cheap, PostgreSQL kept it for every later search,
// scanning the whole table for one matching no one (0.2 s over a million
// conferrals instead of 2 ms).
func (db *DB) registryReader(ctx context.Context) (querier, func(), error) {
	if db.dialect.Name() != "postgres" {
		return db.reader(), func() {}, nil
	}
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return querier{}, nil, err
	}
	if _, err := tx.ExecContext(ctx, "SET LOCAL plan_cache_mode = force_custom_plan"); err != nil {
		tx.Rollback()
		return querier{}, nil, err
	}
	return querier{q: tx, d: db.dialect}, func() { tx.Rollback() }, nil
}
