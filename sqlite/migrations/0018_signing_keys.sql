-- The keys that sign the ledger's checkpoints and the credentials, by
-- purpose: the one in use (retired_at NULL) and those retired by a
-- rotation, whose public part still verifies what they signed. The server
-- refuses to start with a key other than the one in use, so that a key
-- made by accident (started from another directory) cannot sign.
CREATE TABLE signing_keys (
	purpose    TEXT NOT NULL,
	key_id     TEXT NOT NULL,
	public     TEXT NOT NULL,
	first_used TIMESTAMP NOT NULL,
	retired_at TIMESTAMP,
	PRIMARY KEY (purpose, key_id)
);
