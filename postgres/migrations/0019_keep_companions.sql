-- A revocation's entry may keep the companion conferrals made with the
-- one it revokes; by default they are revoked with it.
ALTER TABLE decree_entries ADD COLUMN keep_companions INTEGER NOT NULL DEFAULT 0;
