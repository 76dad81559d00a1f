-- Plausibility flags and independent verification. All append-only: a
-- flag, once raised, stays; a report has at most one verification, never
-- changed; a good's plausibility rules are versions, the latest in force.

CREATE TABLE good_plausibility (
	good_id          INTEGER NOT NULL REFERENCES goods (id),
	version          INTEGER NOT NULL,
	multiple_of_norm REAL NOT NULL,
	peer_mads        REAL NOT NULL,
	peer_minimum     INTEGER NOT NULL,
	storm_share      REAL NOT NULL,
	storm_days       INTEGER NOT NULL,
	storm_min_shifts INTEGER NOT NULL,
	set_by           INTEGER,
	created_at       TIMESTAMP NOT NULL,
	PRIMARY KEY (good_id, version)
);

CREATE TABLE report_flags (
	report_id  INTEGER NOT NULL REFERENCES reports (id),
	rule       TEXT NOT NULL,
	figures    TEXT NOT NULL,
	message    TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	PRIMARY KEY (report_id, rule)
);

CREATE TABLE report_verifications (
	report_id   INTEGER PRIMARY KEY REFERENCES reports (id),
	decision    TEXT NOT NULL,
	note        TEXT NOT NULL,
	verifier_id INTEGER NOT NULL REFERENCES users (id),
	person_id   INTEGER REFERENCES people (id),
	created_at  TIMESTAMP NOT NULL
);
