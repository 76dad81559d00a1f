-- Plausibility flags and independent verification. All append-only: a
-- flag, once raised, stays; a report has at most one verification, never
-- changed; a good's plausibility rules are versions, the latest in force.

CREATE TABLE good_plausibility (
	good_id          BIGINT NOT NULL REFERENCES goods (id),
	version          BIGINT NOT NULL,
	multiple_of_norm DOUBLE PRECISION NOT NULL,
	peer_mads        DOUBLE PRECISION NOT NULL,
	peer_minimum     BIGINT NOT NULL,
	storm_share      DOUBLE PRECISION NOT NULL,
	storm_days       BIGINT NOT NULL,
	storm_min_shifts BIGINT NOT NULL,
	set_by           BIGINT,
	created_at       TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (good_id, version)
);

CREATE TABLE report_flags (
	report_id  BIGINT NOT NULL REFERENCES reports (id),
	rule       TEXT NOT NULL,
	figures    TEXT NOT NULL,
	message    TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (report_id, rule)
);

CREATE TABLE report_verifications (
	report_id   BIGINT PRIMARY KEY REFERENCES reports (id),
	decision    TEXT NOT NULL,
	note        TEXT NOT NULL,
	verifier_id BIGINT NOT NULL REFERENCES users (id),
	person_id   BIGINT REFERENCES people (id),
	created_at  TIMESTAMPTZ NOT NULL
);
