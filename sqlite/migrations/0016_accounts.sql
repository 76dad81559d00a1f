-- Accounts that can be switched off, tokens that expire and can be
-- revoked. An account's current state is on users (disabled, role,
-- unit_id); every change to it is kept in account_changes. A token issued
-- before tokens had an expiry (expires_at NULL) expires the default
-- lifetime (90 days) after it was issued. Revocations, like the ends of
-- sessions, are rows of their own.
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tokens ADD COLUMN expires_at TIMESTAMP;
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE token_revocations (
	token_id   INTEGER PRIMARY KEY REFERENCES tokens (id),
	revoked_at TIMESTAMP NOT NULL,
	revoked_by INTEGER
);

CREATE TABLE account_changes (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	change     TEXT NOT NULL,
	value      TEXT NOT NULL,
	reason     TEXT NOT NULL,
	changed_by INTEGER,
	changed_at TIMESTAMP NOT NULL
);
CREATE INDEX account_changes_user ON account_changes (user_id, id);
