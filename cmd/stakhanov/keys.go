package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/credential"
	"github.com/stakhanov/stakhanov/ledger"
)

// The server starts only with the keys the database already signs with:
// a key made by accident (the server started from another directory, with
// PostgreSQL, where keys default to the working directory) would sign
// checkpoints no one can check against the old ones, and every credential
// issued before would fail. The database records the key in use of each
// purpose (signing_keys); a key is made only for a database that has none.

// noteKeyID names a note verifier key, name+hash, as a signature line
// does.
func noteKeyID(public string) string {
	parts := strings.SplitN(public, "+", 3)
	if len(parts) < 2 {
		return public
	}
	return parts[0] + "+" + parts[1]
}

// ledgerKey loads the ledger's key and checks it against the database.
func (m *Main) ledgerKey(ctx context.Context) (*ledger.Key, error) {
	path := m.Config.LedgerKeyPath()
	keys, err := m.Store.SigningKeys(ctx, stakhanov.KeyLedger)
	if err != nil {
		return nil, err
	}
	inUse := stakhanov.KeyInUse(keys)
	cps, signed, err := m.Store.LedgerCheckpoints(ctx, stakhanov.Page{Limit: 1})
	if err != nil {
		return nil, err
	}
	expected := ""
	switch {
	case inUse != nil:
		expected = inUse.KeyID
	case signed > 0:
		expected = checkpointSigner(cps[0].Text)
	}
	key, created, err := ledger.LoadKey(path, m.Config.LedgerOrigin, expected == "")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("the database's ledger is signed with the key %s, and there is no key file %s: start with -ledger-key naming the file that holds that key (see the README, Keys)", expected, path)
	} else if err != nil {
		return nil, err
	}
	id := noteKeyID(key.Public)
	if expected != "" && id != expected {
		return nil, fmt.Errorf("the ledger key in %s is %s, but the database's ledger is signed with %s: start with -ledger-key naming the file that holds that key (see the README, Keys)", path, id, expected)
	}
	if inUse == nil && signed > 0 {
		if _, err := note.Open(cps[0].Text, note.VerifierList(key.Verifier)); err != nil {
			return nil, fmt.Errorf("the ledger key in %s does not verify the database's latest checkpoint: %v", path, err)
		}
	}
	if err := m.Store.UseSigningKey(ctx, &stakhanov.SigningKey{Purpose: stakhanov.KeyLedger, KeyID: id, Public: key.Public}, false); err != nil {
		return nil, err
	}
	if created {
		m.Logger.Info("made the ledger's signing key", "file", path, "origin", key.Origin(), "public_key", key.Public)
	}
	return key, nil
}

// checkpointSigner names the key that signed a checkpoint, name+hash.
func checkpointSigner(text []byte) string {
	_, err := note.Open(text, note.VerifierList())
	var unverified *note.UnverifiedNoteError
	if errors.As(err, &unverified) && len(unverified.Note.UnverifiedSigs) > 0 {
		s := unverified.Note.UnverifiedSigs[0]
		return fmt.Sprintf("%s+%08x", s.Name, s.Hash)
	}
	return "(unreadable)"
}

// credentialKey loads the key that signs credentials and checks it
// against the database; it makes one only for a database that has none.
func (m *Main) credentialKey(ctx context.Context, base string) (*credential.Issuer, error) {
	path := m.Config.credentialKeyPath()
	keys, err := m.Store.SigningKeys(ctx, stakhanov.KeyCredential)
	if err != nil {
		return nil, err
	}
	inUse := stakhanov.KeyInUse(keys)
	if inUse != nil {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("the database's credentials are signed with the key %s, and there is no key file %s: start with -credential-key naming the file that holds that key (see the README, Keys)", inUse.KeyID, path)
		}
	}
	key, created, err := credential.LoadOrCreateKey(path)
	if err != nil {
		return nil, fmt.Errorf("credential key %s: %w", path, err)
	}
	is, err := credential.NewIssuer(base, key)
	if err != nil {
		return nil, err
	}
	if inUse != nil && inUse.KeyID != is.KeyID() {
		return nil, fmt.Errorf("the credential key in %s is %s, but the database's credentials are signed with %s: start with -credential-key naming the file that holds that key, or rotate it (stakhanov keys rotate-credential)", path, is.KeyID(), inUse.KeyID)
	}
	jwk, err := json.Marshal(is.JWKS().Keys[0])
	if err != nil {
		return nil, err
	}
	if err := m.Store.UseSigningKey(ctx, &stakhanov.SigningKey{Purpose: stakhanov.KeyCredential, KeyID: is.KeyID(), Public: string(jwk)}, false); err != nil {
		return nil, err
	}
	if created {
		m.Logger.Info("created the key that signs credentials", "path", path)
	} else if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		m.Logger.Warn("the key that signs credentials is readable by others: chmod 600 it", "path", path, "mode", fmt.Sprintf("%o", st.Mode().Perm()))
	}
	return is, nil
}

func cmdKeys(ctx context.Context, args []string, e *env) error {
	return dispatch(ctx, args, e, "keys", []subcommand{{"list", cmdKeysList}, {"rotate-credential", cmdKeysRotate}})
}

func cmdKeysList(ctx context.Context, args []string, e *env) error {
	s, _, err := accountCommand(ctx, e, "keys list", "", "List the keys that sign the ledger and the credentials, as the database knows them: the one in use and those retired.", 0, args, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	for _, purpose := range []string{stakhanov.KeyLedger, stakhanov.KeyCredential} {
		keys, err := s.SigningKeys(ctx, purpose)
		if err != nil {
			return err
		}
		for _, k := range keys {
			state := "in use"
			if k.RetiredAt != nil {
				state = "retired " + k.RetiredAt.UTC().Format("2006-01-02")
			}
			fmt.Fprintf(e.stdout, "%-10s  %s  since %s  %s\n", purpose, k.KeyID, k.FirstUsed.UTC().Format("2006-01-02"), state)
		}
	}
	return nil
}

func cmdKeysRotate(ctx context.Context, args []string, e *env) error {
	var newKey string
	s, _, err := accountCommand(ctx, e, "keys rotate-credential", "",
		"Put a new key in use to sign credentials, made in -new-key (or taken from it, if it exists). The key before is retired,\n"+
			"not forgotten: its public part stays in the key set (jwks.json), so every credential it signed still verifies.\n"+
			"Then start the server with -credential-key naming the new file.", 0, args, func(fs *flag.FlagSet) {
			fs.StringVar(&newKey, "new-key", "", "file of the new key (required)")
		})
	if err != nil {
		return err
	}
	defer s.Close()
	if newKey == "" {
		return stakhanov.FieldErrorf("new-key", "-new-key is required: the file of the new key")
	}
	key, created, err := credential.LoadOrCreateKey(newKey)
	if err != nil {
		return fmt.Errorf("credential key %s: %w", newKey, err)
	}
	is, err := credential.NewIssuer("http://localhost", key)
	if err != nil {
		return err
	}
	jwk, err := json.Marshal(is.JWKS().Keys[0])
	if err != nil {
		return err
	}
	if err := s.UseSigningKey(ctx, &stakhanov.SigningKey{Purpose: stakhanov.KeyCredential, KeyID: is.KeyID(), Public: string(jwk)}, true); err != nil {
		return err
	}
	made := "taken from"
	if created {
		made = "made in"
	}
	fmt.Fprintf(e.stdout, "the credential key %s (%s %s) is in use; the key before is retired and still verifies what it signed.\nStart the server with -credential-key %s\n", is.KeyID(), made, newKey, newKey)
	return nil
}
