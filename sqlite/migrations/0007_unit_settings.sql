-- Unit settings: a unit's choices about what its people see. Append-only:
-- each change is a new row, numbered per unit by seq; the row with the
-- highest seq is in force. hide_ranks: the unit hides its people's places
-- on leaderboards. A unit with no row of its own takes the setting of the
-- nearest unit above it that has one (see sqlstore/unit_settings.go).
CREATE TABLE unit_settings (
	unit_id    INTEGER NOT NULL REFERENCES units (id),
	seq        INTEGER NOT NULL,
	hide_ranks BOOLEAN NOT NULL,
	set_by     INTEGER,
	set_at     TIMESTAMP NOT NULL,
	PRIMARY KEY (unit_id, seq)
);
