-- Foundation: organisation tree, people, goods, norms, needs, shift reports,
-- accounts. History tables are append-only: nothing here is updated in place
-- but a unit's path, written once in the transaction that creates the unit.

CREATE TABLE units (
	id         INTEGER PRIMARY KEY,
	parent_id  INTEGER REFERENCES units (id),
	kind       TEXT NOT NULL,
	name       TEXT NOT NULL,
	path       TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	created_by INTEGER
);
CREATE INDEX units_parent ON units (parent_id);
CREATE INDEX units_path ON units (path);

CREATE TABLE people (
	id         INTEGER PRIMARY KEY,
	unit_id    INTEGER NOT NULL REFERENCES units (id),
	code       TEXT UNIQUE,
	name       TEXT NOT NULL,
	profession TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	created_by INTEGER
);
CREATE INDEX people_unit ON people (unit_id);

CREATE TABLE goods (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	measure    TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	created_by INTEGER
);

CREATE TABLE norms (
	id             INTEGER PRIMARY KEY,
	subject_kind   TEXT NOT NULL,
	subject_id     INTEGER NOT NULL,
	good_id        INTEGER NOT NULL REFERENCES goods (id),
	amount         REAL NOT NULL,
	effective_from DATE NOT NULL,
	reason         TEXT NOT NULL,
	version        INTEGER NOT NULL,
	set_by         INTEGER,
	created_at     TIMESTAMP NOT NULL,
	UNIQUE (subject_kind, subject_id, good_id, version)
);

CREATE TABLE needs (
	id         INTEGER PRIMARY KEY,
	unit_id    INTEGER NOT NULL REFERENCES units (id),
	good_id    INTEGER NOT NULL REFERENCES goods (id),
	date_from  DATE NOT NULL,
	date_to    DATE NOT NULL,
	quantity   REAL NOT NULL,
	note       TEXT NOT NULL,
	created_by INTEGER,
	created_at TIMESTAMP NOT NULL
);
CREATE INDEX needs_unit ON needs (unit_id, good_id);

CREATE TABLE reports (
	id            INTEGER PRIMARY KEY,
	subject_kind  TEXT NOT NULL,
	subject_id    INTEGER NOT NULL,
	unit_id       INTEGER NOT NULL,
	good_id       INTEGER NOT NULL,
	date          DATE NOT NULL,
	shift         INTEGER NOT NULL,
	minutes       INTEGER NOT NULL,
	produced      REAL NOT NULL,
	accepted      REAL NOT NULL,
	subject_share REAL NOT NULL,
	note          TEXT NOT NULL,
	idem_key      TEXT NOT NULL UNIQUE,
	corrects_id   INTEGER UNIQUE REFERENCES reports (id),
	reporter_id   INTEGER,
	created_at    TIMESTAMP NOT NULL
);
CREATE INDEX reports_subject ON reports (subject_kind, subject_id, date);
CREATE INDEX reports_unit ON reports (unit_id, date);

CREATE TABLE report_helpers (
	report_id INTEGER NOT NULL REFERENCES reports (id),
	person_id INTEGER NOT NULL,
	share     REAL NOT NULL,
	PRIMARY KEY (report_id, person_id)
);
CREATE INDEX report_helpers_person ON report_helpers (person_id);

CREATE TABLE report_witnesses (
	report_id INTEGER NOT NULL REFERENCES reports (id),
	person_id INTEGER NOT NULL,
	PRIMARY KEY (report_id, person_id)
);

CREATE TABLE users (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	role       TEXT NOT NULL,
	unit_id    INTEGER REFERENCES units (id),
	person_id  INTEGER REFERENCES people (id),
	created_at TIMESTAMP NOT NULL
);

CREATE TABLE tokens (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	hash       TEXT NOT NULL UNIQUE,
	created_at TIMESTAMP NOT NULL
);
