-- Web accounts: passwords and sign-in sessions. Append-only like the rest:
-- setting a password adds a row (the user's newest row is the one in
-- force, so the history of who set it and when is kept); signing out adds
-- a row to session_ends instead of changing the session. Only hashes are
-- kept: argon2id for passwords, SHA-256 for session tokens (256 random
-- bits each).

CREATE TABLE passwords (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	hash       TEXT NOT NULL,
	set_at     TIMESTAMP NOT NULL,
	set_by     INTEGER
);
CREATE INDEX passwords_user ON passwords (user_id, id);

CREATE TABLE sessions (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id),
	hash       TEXT NOT NULL UNIQUE,
	created_at TIMESTAMP NOT NULL,
	expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE session_ends (
	session_id INTEGER PRIMARY KEY REFERENCES sessions (id),
	ended_at   TIMESTAMP NOT NULL
);
