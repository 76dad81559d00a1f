-- A ministry's choice to publish its shortages on the public page.
-- Append-only, as unit_settings: each change a new row numbered per unit
-- by seq, the highest in force; a unit with no row does not publish.
-- Only a ministry chooses (the store checks), for itself alone.
CREATE TABLE shortage_publications (
	unit_id BIGINT NOT NULL REFERENCES units (id),
	seq     BIGINT NOT NULL,
	publish BOOLEAN NOT NULL,
	set_by  BIGINT,
	set_at  TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (unit_id, seq)
);
