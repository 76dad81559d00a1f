-- The registry's search index: one row per recipient of a conferral, its
-- text the recipient's name, profession and unit as the registry shows
-- them (a person's unit, or a unit's parent), lower-cased. People and units
-- are never renamed, so the store writes a recipient's row once, with its
-- first conferral, in the transaction that signs the decree; no trigger
-- keeps it (sqlstore/registry_search.go).
--
-- registry_fts indexes the text, an FTS4 table (compiled into go-sqlite3
-- by default; FTS5 would need a build tag) reading its content from
-- registry_search by docid = id. unicode61 folds case across scripts but,
-- with remove_diacritics=0, keeps diacritics, as PostgreSQL's 'simple'
-- configuration does.
CREATE TABLE registry_search (
	id             INTEGER PRIMARY KEY,
	recipient_kind TEXT NOT NULL,
	recipient_id   INTEGER NOT NULL,
	text           TEXT NOT NULL,
	UNIQUE (recipient_kind, recipient_id)
);
CREATE VIRTUAL TABLE registry_fts USING fts4 (content="registry_search", text, tokenize=unicode61 "remove_diacritics=0");

-- The registry's counts per award and per year read a matching recipient's
-- conferrals from this index alone, which now holds the date as well.
DROP INDEX conferrals_recipient;
CREATE INDEX conferrals_recipient ON conferrals (recipient_kind, recipient_id, award_id, date);

-- Existing recipients. LOWER folds only ASCII here; the FTS tokenizer folds
-- the rest.
INSERT INTO registry_search (recipient_kind, recipient_id, text)
SELECT DISTINCT c.recipient_kind, c.recipient_id,
	LOWER(COALESCE(p.name, u.name, '') || ' ' || COALESCE(p.profession, '') || ' ' || COALESCE(pu.name, up.name, ''))
FROM conferrals c
	LEFT JOIN people p ON c.recipient_kind = 'person' AND p.id = c.recipient_id
	LEFT JOIN units pu ON pu.id = p.unit_id
	LEFT JOIN units u ON c.recipient_kind = 'unit' AND u.id = c.recipient_id
	LEFT JOIN units up ON up.id = u.parent_id
ORDER BY c.recipient_kind, c.recipient_id;
INSERT INTO registry_fts (docid, text) SELECT id, text FROM registry_search;
