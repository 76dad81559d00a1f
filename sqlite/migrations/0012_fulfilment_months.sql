-- Shift states a month to a row: one row per subject, scope, good and
-- month, its shifts column holding the month's shift states (encoded by
-- the store, state_months.go). A row per shift made every imported report
-- a second row to write. Distributed, like the reports, by enterprise.
-- Without a rowid the key is the table: one b-tree fewer to write, and
-- no lookup from the key to the row.
CREATE TABLE fulfilment_months (
	subject_kind  TEXT NOT NULL,
	subject_id    INTEGER NOT NULL,
	scope         TEXT NOT NULL,
	good_id       INTEGER NOT NULL,
	month         DATE NOT NULL,
	enterprise_id INTEGER NOT NULL,
	unit_id       INTEGER NOT NULL,
	shifts        BLOB NOT NULL,
	PRIMARY KEY (subject_kind, subject_id, scope, good_id, month, enterprise_id)
) WITHOUT ROWID;
-- The leaderboard over a window that is not a whole month or year:
-- people's own months by unit, good and month.
CREATE INDEX fulfilment_months_unit ON fulfilment_months (unit_id, good_id, month) WHERE scope = 'own' AND subject_kind = 'person';

DROP TABLE fulfilment_shifts;
-- The state is built again from the reports when the store next opens
-- (EnsureState finds no fulfilment_subjects).
DELETE FROM fulfilment_periods;
DELETE FROM candidacy_state;
DELETE FROM fulfilment_subjects;
