-- The rolling fulfilment state (see state.go): kept up to date by every
-- write that changes a figure, in the same transaction, and always
-- recomputable from the reports (`stakhanov state verify|rebuild`).
-- Distributed, like the reports, by enterprise: every key holds it.

-- One row per subject, good and enterprise: the row each write locks
-- before it recomputes the subject's state, so that concurrent writes of
-- one subject take turns.
CREATE TABLE fulfilment_subjects (
	subject_kind  TEXT NOT NULL,
	subject_id    BIGINT NOT NULL,
	good_id       BIGINT NOT NULL,
	enterprise_id BIGINT NOT NULL,
	writes        BIGINT NOT NULL,
	PRIMARY KEY (subject_kind, subject_id, good_id, enterprise_id)
);

-- scope 'own': a subject's own credits; 'tree': a unit's whole subtree.
CREATE TABLE fulfilment_shifts (
	subject_kind    TEXT NOT NULL,
	subject_id      BIGINT NOT NULL,
	scope           TEXT NOT NULL,
	good_id         BIGINT NOT NULL,
	date            DATE NOT NULL,
	shift           BIGINT NOT NULL,
	enterprise_id   BIGINT NOT NULL,
	unit_id         BIGINT NOT NULL,
	produced        DOUBLE PRECISION NOT NULL,
	accepted        DOUBLE PRECISION NOT NULL,
	held_produced   DOUBLE PRECISION NOT NULL,
	held_accepted   DOUBLE PRECISION NOT NULL,
	credits         BIGINT NOT NULL,
	held_credits    BIGINT NOT NULL,
	own_norm        DOUBLE PRECISION,
	member_norm     DOUBLE PRECISION NOT NULL,
	member_normed   BIGINT NOT NULL,
	v_member_norm   DOUBLE PRECISION NOT NULL,
	v_member_normed BIGINT NOT NULL,
	PRIMARY KEY (subject_kind, subject_id, scope, good_id, date, shift, enterprise_id)
);
-- The leaderboard: people's own shifts by unit, good and date.
CREATE INDEX fulfilment_shifts_unit ON fulfilment_shifts (unit_id, good_id, date) WHERE scope = 'own' AND subject_kind = 'person';

-- Week, month and year totals of a person's own shifts and a unit's tree.
CREATE TABLE fulfilment_periods (
	subject_kind        TEXT NOT NULL,
	subject_id          BIGINT NOT NULL,
	good_id             BIGINT NOT NULL,
	period              TEXT NOT NULL,
	start               DATE NOT NULL,
	enterprise_id       BIGINT NOT NULL,
	unit_id             BIGINT NOT NULL,
	shifts              BIGINT NOT NULL,
	shifts_without_norm BIGINT NOT NULL,
	produced            DOUBLE PRECISION NOT NULL,
	accepted            DOUBLE PRECISION NOT NULL,
	held                DOUBLE PRECISION NOT NULL,
	norm                DOUBLE PRECISION NOT NULL,
	normed_accepted     DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (subject_kind, subject_id, good_id, period, start, enterprise_id)
);
CREATE INDEX fulfilment_periods_unit ON fulfilment_periods (unit_id, good_id, period, start) WHERE subject_kind = 'person';

-- Whether each subject qualifies under an award's candidacy rule: one row
-- for a k_of_n or streak rule (period ''), one per period for a
-- period_total rule.
CREATE TABLE candidacy_state (
	award_id      BIGINT NOT NULL,
	subject_kind  TEXT NOT NULL,
	subject_id    BIGINT NOT NULL,
	period        TEXT NOT NULL,
	enterprise_id BIGINT NOT NULL,
	qualifies     BIGINT NOT NULL,
	met           BIGINT NOT NULL,
	considered    BIGINT NOT NULL,
	evidence      TEXT NOT NULL,
	updated_at    TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (award_id, subject_kind, subject_id, period, enterprise_id)
);
CREATE INDEX candidacy_state_qualifying ON candidacy_state (award_id, period, subject_kind, subject_id) WHERE qualifies = 1;

-- The build of each award's candidacy state: building, with its progress,
-- or ready. A reference table (one row per award).
CREATE TABLE candidacy_builds (
	award_id   BIGINT PRIMARY KEY REFERENCES awards (id),
	state      TEXT NOT NULL,
	done       BIGINT NOT NULL,
	total      BIGINT NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);
