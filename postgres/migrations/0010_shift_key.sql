-- One current report per shift. A report is current until superseded:
-- superseded_by names the report that replaced it (its correction, or the
-- later of two reports for one shift written before this rule). It is the
-- one column of a history row written after the row: once, from NULL, in
-- the transaction that writes the replacer, so that a unique index over
-- the current reports can hold the rule. enterprise_id is the enterprise of
-- the subject's unit when the report was written (the nearest unit of kind
-- enterprise on its path, or the root): reports are distributed by it.
--
-- Client keys move to report_keys (distributed by the key), written only
-- when a key is given; the keys the CSV import used to make up ("csv:" and
-- a hash) are dropped.

ALTER TABLE reports ADD COLUMN enterprise_id BIGINT;
ALTER TABLE reports ADD COLUMN superseded_by BIGINT;
ALTER TABLE reports DROP CONSTRAINT reports_idem_key_key;
ALTER TABLE reports ALTER COLUMN idem_key DROP NOT NULL;

UPDATE reports r SET enterprise_id = e.enterprise_id,
	superseded_by = (SELECT c.id FROM reports c WHERE c.corrects_id = r.id),
	idem_key = CASE WHEN r.idem_key LIKE 'csv:%' THEN NULL ELSE r.idem_key END
FROM (
	SELECT u.id AS unit_id, COALESCE(
		(SELECT e.id FROM units e WHERE e.kind = 'enterprise' AND u.path LIKE e.path || '%' ORDER BY length(e.path) DESC LIMIT 1),
		(SELECT e.id FROM units e WHERE e.parent_id IS NULL AND u.path LIKE e.path || '%')) AS enterprise_id
	FROM units u) e
WHERE e.unit_id = r.unit_id;
ALTER TABLE reports ALTER COLUMN enterprise_id SET NOT NULL;

-- Earlier reports of a shift that has several current ones are set aside,
-- superseded by its latest; `stakhanov reports duplicates` lists them.
UPDATE reports r SET superseded_by = d.keep
FROM (SELECT id, MAX(id) OVER (PARTITION BY subject_kind, subject_id, good_id, date, shift, enterprise_id) AS keep
	FROM reports WHERE superseded_by IS NULL) d
WHERE r.id = d.id AND d.keep <> d.id;

CREATE TABLE report_keys (
	idem_key      TEXT PRIMARY KEY,
	report_id     BIGINT NOT NULL,
	enterprise_id BIGINT NOT NULL
);
INSERT INTO report_keys (idem_key, report_id, enterprise_id)
SELECT idem_key, id, enterprise_id FROM reports WHERE idem_key IS NOT NULL;

-- The natural key, over the current reports only.
CREATE UNIQUE INDEX reports_shift ON reports (subject_kind, subject_id, good_id, date, shift, enterprise_id)
	WHERE superseded_by IS NULL;
