-- stakhanov: foreign keys off
-- One current report per shift. A report is current until superseded:
-- superseded_by names the report that replaced it (its correction, or the
-- later of two reports for one shift written before this rule). It is the
-- one column of a history row written after the row: once, from NULL, in
-- the transaction that writes the replacer, so that a unique index over
-- the current reports can hold the rule. enterprise_id is the enterprise of
-- the subject's unit when the report was written (the nearest unit of kind
-- enterprise on its path, or the root): reports are distributed by it.
--
-- Client keys move to report_keys, written only when a key is given; the
-- keys the CSV import used to make up ("csv:" and a hash) are dropped.
--
-- SQLite cannot drop a UNIQUE column constraint: the table is rebuilt,
-- keeping every id, with foreign keys off (the runner turns them off
-- before the transaction and checks them before the commit).

CREATE TABLE reports_new (
	id            INTEGER PRIMARY KEY,
	subject_kind  TEXT NOT NULL,
	subject_id    INTEGER NOT NULL,
	unit_id       INTEGER NOT NULL,
	enterprise_id INTEGER NOT NULL,
	good_id       INTEGER NOT NULL,
	date          DATE NOT NULL,
	shift         INTEGER NOT NULL,
	minutes       INTEGER NOT NULL,
	produced      REAL NOT NULL,
	accepted      REAL NOT NULL,
	subject_share REAL NOT NULL,
	note          TEXT NOT NULL,
	idem_key      TEXT,
	corrects_id   INTEGER UNIQUE REFERENCES reports (id),
	superseded_by INTEGER,
	reporter_id   INTEGER,
	created_at    TIMESTAMP NOT NULL
);

INSERT INTO reports_new (id, subject_kind, subject_id, unit_id, enterprise_id, good_id, date, shift, minutes,
	produced, accepted, subject_share, note, idem_key, corrects_id, superseded_by, reporter_id, created_at)
SELECT r.id, r.subject_kind, r.subject_id, r.unit_id, e.enterprise_id, r.good_id, r.date, r.shift, r.minutes,
	r.produced, r.accepted, r.subject_share, r.note,
	CASE WHEN r.idem_key LIKE 'csv:%' THEN NULL ELSE r.idem_key END,
	r.corrects_id, (SELECT c.id FROM reports c WHERE c.corrects_id = r.id), r.reporter_id, r.created_at
FROM reports r JOIN (
	SELECT u.id AS unit_id, COALESCE(
		(SELECT e.id FROM units e WHERE e.kind = 'enterprise' AND u.path LIKE e.path || '%' ORDER BY length(e.path) DESC LIMIT 1),
		(SELECT e.id FROM units e WHERE e.parent_id IS NULL AND u.path LIKE e.path || '%')) AS enterprise_id
	FROM units u) e ON e.unit_id = r.unit_id
ORDER BY r.id;

-- Earlier reports of a shift that has several current ones are set aside,
-- superseded by its latest; `stakhanov reports duplicates` lists them.
UPDATE reports_new SET superseded_by = d.keep
FROM (SELECT id, MAX(id) OVER (PARTITION BY subject_kind, subject_id, good_id, date, shift, enterprise_id) AS keep
	FROM reports_new WHERE superseded_by IS NULL) d
WHERE reports_new.id = d.id AND d.keep <> d.id;

CREATE TABLE report_keys (
	idem_key      TEXT PRIMARY KEY,
	report_id     INTEGER NOT NULL,
	enterprise_id INTEGER NOT NULL
);
INSERT INTO report_keys (idem_key, report_id, enterprise_id)
SELECT idem_key, id, enterprise_id FROM reports_new WHERE idem_key IS NOT NULL;

DROP TABLE reports;
ALTER TABLE reports_new RENAME TO reports;

-- The natural key, over the current reports only. Credits reads a
-- subject's current reports through it.
CREATE UNIQUE INDEX reports_shift ON reports (subject_kind, subject_id, good_id, date, shift, enterprise_id)
	WHERE superseded_by IS NULL;
CREATE INDEX reports_subject ON reports (subject_kind, subject_id, date);
CREATE INDEX reports_unit ON reports (unit_id, date);
