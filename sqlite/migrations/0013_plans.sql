-- Plans: the output of a good a collective or an enterprise is to deliver
-- in a month, a quarter or a year; versions as norms' (never changed, the
-- latest in force). Distributed, like the state they are read beside, by
-- the unit's enterprise.
CREATE TABLE plans (
	id            INTEGER PRIMARY KEY,
	unit_id       INTEGER NOT NULL REFERENCES units (id),
	enterprise_id INTEGER NOT NULL,
	good_id       INTEGER NOT NULL REFERENCES goods (id),
	period        TEXT NOT NULL,
	start         DATE NOT NULL,
	quantity      REAL NOT NULL,
	phases        TEXT NOT NULL,
	reason        TEXT NOT NULL,
	version       INTEGER NOT NULL,
	set_by        INTEGER,
	created_at    TIMESTAMP NOT NULL,
	UNIQUE (unit_id, good_id, period, start, version, enterprise_id)
);
CREATE INDEX plans_good ON plans (good_id, period, start);
