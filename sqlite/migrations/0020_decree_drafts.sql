-- A draft decree that fails can be mended or given up, each on record: an
-- entry removed from a draft (its row stays, marked removed), a draft
-- discarded (it stays, marked discarded, and can no longer be signed).
ALTER TABLE decree_entries ADD COLUMN removed_at TIMESTAMP;
ALTER TABLE decree_entries ADD COLUMN removed_by INTEGER;
ALTER TABLE decree_entries ADD COLUMN removal_reason TEXT;

CREATE TABLE decree_discards (
	decree_id    INTEGER PRIMARY KEY REFERENCES decrees (id),
	discarded_at TIMESTAMP NOT NULL,
	discarded_by INTEGER,
	reason       TEXT NOT NULL
);
