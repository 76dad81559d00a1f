-- The honours ledger: every decree signed, conferral made and conferral
-- revoked, as a canonical record in a transparency log (RFC 6962 hashing,
-- stored as golang.org/x/mod/sumdb/tlog stores it), and the signed
-- checkpoints issued over it. Hashes are base64 text, the same in every
-- engine.

-- One row: the ledger's size. Appending updates it first, which orders
-- concurrent appends.
CREATE TABLE ledger_head (
	id   INTEGER PRIMARY KEY,
	size INTEGER NOT NULL
);
INSERT INTO ledger_head (id, size) VALUES (1, 0);

CREATE TABLE ledger_records (
	idx        INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL,
	ref_id     INTEGER NOT NULL,
	record     TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL
);
CREATE INDEX ledger_records_ref ON ledger_records (kind, ref_id);

CREATE TABLE ledger_hashes (
	idx  INTEGER PRIMARY KEY,
	hash TEXT NOT NULL
);

CREATE TABLE ledger_checkpoints (
	size       INTEGER PRIMARY KEY,
	checkpoint TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL
);
