-- The rolling fulfilment state (see state.go): kept up to date by every
-- write that changes a figure, in the same transaction, and always
-- recomputable from the reports (`stakhanov state verify|rebuild`).
-- Distributed, like the reports, by enterprise: every key holds it.

-- One row per subject, good and enterprise: the row each write locks
-- before it recomputes the subject's state, so that concurrent writes of
-- one subject take turns.
CREATE TABLE fulfilment_subjects (
	subject_kind  TEXT NOT NULL,
	subject_id    INTEGER NOT NULL,
	good_id       INTEGER NOT NULL,
	enterprise_id INTEGER NOT NULL,
	writes        INTEGER NOT NULL,
	PRIMARY KEY (subject_kind, subject_id, good_id, enterprise_id)
);

-- scope 'own': a subject's own credits; 'tree': a unit's whole subtree.
CREATE TABLE fulfilment_shifts (
	subject_kind    TEXT NOT NULL,
	subject_id      INTEGER NOT NULL,
	scope           TEXT NOT NULL,
	good_id         INTEGER NOT NULL,
	date            DATE NOT NULL,
	shift           INTEGER NOT NULL,
	enterprise_id   INTEGER NOT NULL,
	unit_id         INTEGER NOT NULL,
	produced        REAL NOT NULL,
	accepted        REAL NOT NULL,
	held_produced   REAL NOT NULL,
	held_accepted   REAL NOT NULL,
	credits         INTEGER NOT NULL,
	held_credits    INTEGER NOT NULL,
	own_norm        REAL,
	member_norm     REAL NOT NULL,
	member_normed   INTEGER NOT NULL,
	v_member_norm   REAL NOT NULL,
	v_member_normed INTEGER NOT NULL,
	PRIMARY KEY (subject_kind, subject_id, scope, good_id, date, shift, enterprise_id)
);
-- The leaderboard: people's own shifts by unit, good and date.
CREATE INDEX fulfilment_shifts_unit ON fulfilment_shifts (unit_id, good_id, date) WHERE scope = 'own' AND subject_kind = 'person';

-- Week, month and year totals of a person's own shifts and a unit's tree.
CREATE TABLE fulfilment_periods (
	subject_kind        TEXT NOT NULL,
	subject_id          INTEGER NOT NULL,
	good_id             INTEGER NOT NULL,
	period              TEXT NOT NULL,
	start               DATE NOT NULL,
	enterprise_id       INTEGER NOT NULL,
	unit_id             INTEGER NOT NULL,
	shifts              INTEGER NOT NULL,
	shifts_without_norm INTEGER NOT NULL,
	produced            REAL NOT NULL,
	accepted            REAL NOT NULL,
	held                REAL NOT NULL,
	norm                REAL NOT NULL,
	normed_accepted     REAL NOT NULL,
	PRIMARY KEY (subject_kind, subject_id, good_id, period, start, enterprise_id)
);
CREATE INDEX fulfilment_periods_unit ON fulfilment_periods (unit_id, good_id, period, start) WHERE subject_kind = 'person';

-- Whether each subject qualifies under an award's candidacy rule: one row
-- for a k_of_n or streak rule (period ''), one per period for a
-- period_total rule.
CREATE TABLE candidacy_state (
	award_id      INTEGER NOT NULL,
	subject_kind  TEXT NOT NULL,
	subject_id    INTEGER NOT NULL,
	period        TEXT NOT NULL,
	enterprise_id INTEGER NOT NULL,
	qualifies     INTEGER NOT NULL,
	met           INTEGER NOT NULL,
	considered    INTEGER NOT NULL,
	evidence      TEXT NOT NULL,
	updated_at    TIMESTAMP NOT NULL,
	PRIMARY KEY (award_id, subject_kind, subject_id, period, enterprise_id)
);
CREATE INDEX candidacy_state_qualifying ON candidacy_state (award_id, period, subject_kind, subject_id) WHERE qualifies = 1;

-- The build of each award's candidacy state: building, with its progress,
-- or ready. A reference table (one row per award).
CREATE TABLE candidacy_builds (
	award_id   INTEGER PRIMARY KEY REFERENCES awards (id),
	state      TEXT NOT NULL,
	done       INTEGER NOT NULL,
	total      INTEGER NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
