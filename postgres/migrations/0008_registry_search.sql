-- The registry's search index: one row per recipient of a conferral, its
-- text the recipient's name, profession and unit as the registry shows
-- them (a person's unit, or a unit's parent), lower-cased. People and units
-- are never renamed, so the store writes a recipient's row once, with its
-- first conferral, in the transaction that signs the decree; no trigger
-- keeps it (sqlstore/registry_search.go).
--
-- The GIN index on to_tsvector('simple', text) (built in; no extension)
-- answers word-prefix queries ('gerg':* & 'coal':*). fastupdate is off:
-- with it, new entries wait in a pending list (up to 4 MB) that every
-- search reads through until a vacuum merges it, which cost each search
-- 0.3 s after a bulk load; conferrals are written rarely, so each insert
-- updating the index in place costs little. CockroachDB has inverted
-- indexes on tsvector expressions too (without the storage parameter).
CREATE TABLE registry_search (
	recipient_kind TEXT NOT NULL,
	recipient_id   BIGINT NOT NULL,
	text           TEXT NOT NULL,
	PRIMARY KEY (recipient_kind, recipient_id)
);
CREATE INDEX registry_search_text ON registry_search USING GIN (to_tsvector('simple', text)) WITH (fastupdate = off);

-- The registry's counts per award and per year read a matching recipient's
-- conferrals from this index alone, which now holds the date as well.
DROP INDEX conferrals_recipient;
CREATE INDEX conferrals_recipient ON conferrals (recipient_kind, recipient_id, award_id, date);

-- Existing recipients. LOWER folds by the database's locale (only ASCII
-- under the C locale); the store lower-cases new rows itself.
INSERT INTO registry_search (recipient_kind, recipient_id, text)
SELECT DISTINCT c.recipient_kind, c.recipient_id,
	LOWER(COALESCE(p.name, u.name, '') || ' ' || COALESCE(p.profession, '') || ' ' || COALESCE(pu.name, up.name, ''))
FROM conferrals c
	LEFT JOIN people p ON c.recipient_kind = 'person' AND p.id = c.recipient_id
	LEFT JOIN units pu ON pu.id = p.unit_id
	LEFT JOIN units u ON c.recipient_kind = 'unit' AND u.id = c.recipient_id
	LEFT JOIN units up ON up.id = u.parent_id;
