-- Closing a month: its figures become final (period_results), and a
-- report for it after the close is a late correction (reports.late),
-- counted as such in every figure that includes it (fulfilment_periods.late
-- and, in fulfilment_months, the shift states' own count). No report is
-- late before the first close: the defaults are true of every row.
ALTER TABLE reports ADD COLUMN late INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fulfilment_periods ADD COLUMN late INTEGER NOT NULL DEFAULT 0;

-- A close of a month for a unit's tree; never changed or removed. A
-- reference table: few rows, read by every report write.
CREATE TABLE period_closes (
	id        INTEGER PRIMARY KEY,
	unit_id   INTEGER NOT NULL REFERENCES units (id),
	month     DATE NOT NULL,
	reason    TEXT NOT NULL,
	closed_by INTEGER,
	closed_at TIMESTAMP NOT NULL,
	results   INTEGER NOT NULL,
	UNIQUE (unit_id, month)
);
CREATE INDEX period_closes_month ON period_closes (month);

-- The final figures a close kept: each subject's month total per good, as
-- the state held it at the close.
CREATE TABLE period_results (
	close_id            INTEGER NOT NULL REFERENCES period_closes (id),
	subject_kind        TEXT NOT NULL,
	subject_id          INTEGER NOT NULL,
	good_id             INTEGER NOT NULL,
	shifts              INTEGER NOT NULL,
	shifts_without_norm INTEGER NOT NULL,
	produced            REAL NOT NULL,
	accepted            REAL NOT NULL,
	held                REAL NOT NULL,
	norm                REAL NOT NULL,
	normed_accepted     REAL NOT NULL,
	late                INTEGER NOT NULL,
	PRIMARY KEY (close_id, subject_kind, subject_id, good_id)
);
