-- Credentials: the salt hashed with a conferral's recipient in its Open
-- Badges credential. It is made at random the first time the credential is
-- issued and never changed, so that every copy of the credential names the
-- recipient by the same hash.
CREATE TABLE credential_salts (
	conferral_id INTEGER PRIMARY KEY REFERENCES conferrals (id),
	salt         TEXT NOT NULL,
	created_at   TIMESTAMP NOT NULL
);
