package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/credential"
)

// credentialKeyPath is where the credential key is kept.
func (c Config) credentialKeyPath() string {
	switch {
	case c.CredentialKey != "":
		return c.CredentialKey
	case isPostgres(c.DB):
		return "stakhanov.credential-key.pem"
	}
	return c.DB + ".credential-key.pem"
}

// credentialIssuer loads the key that signs credentials, making it at
// first start (readable only by its owner), and returns the issuer under
// the configured base URL or, by default, the listener's.
func (m *Main) credentialIssuer(ctx context.Context) (*credential.Issuer, error) {
	base := m.Config.BaseURL
	if base == "" {
		base = m.URL()
	}
	return m.credentialKey(ctx, base)
}

// errVerdict is a verification that failed: the verdict is printed
// already; the exit code is 1.
type errVerdict string

func (e errVerdict) Error() string { return string(e) }

func cmdCredential(ctx context.Context, args []string, e *env) error {
	about := "Verify a conferral's Open Badges credential: FILE is a VC-JWT, a JSON {\"jwt\": ...},\n" +
		"or an insignia SVG with the credential baked in. The signature is checked against\n" +
		"the issuer's key (fetched from ISSUER/api/v1/credentials/jwks.json, or -jwks FILE),\n" +
		"and the status against the credential's credentialStatus (unless -offline).\n" +
		"Exit code 0: valid and not revoked; 1: invalid, revoked or not verifiable."
	fs := newFlags("credential verify", "FILE", about, e)
	jwksFile := fs.String("jwks", "", "the issuer's JWK Set from a file, instead of fetching it")
	issuer := fs.String("issuer", "", "require this issuer (its URL); default: the one the credential names")
	offline := fs.Bool("offline", false, "use no network: needs -jwks; the status is not checked")
	recipient := fs.String("recipient", "", "also check that the credential is this recipient's (person:ID or unit:ID)")
	timeout := fs.Duration("timeout", 30*time.Second, "time allowed for each request to the issuer")
	if len(args) == 0 || args[0] != "verify" {
		fs.Usage()
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return flag.ErrHelp
		}
		return fmt.Errorf("%w: stakhanov credential verify [flags] FILE", errUsage)
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: stakhanov credential verify [flags] FILE", errUsage)
	}
	if *offline && *jwksFile == "" {
		return fmt.Errorf("%w: -offline needs the issuer's keys: -jwks FILE", errUsage)
	}
	if *recipient != "" {
		if _, err := stakhanov.ParseSubject(*recipient); err != nil {
			return fmt.Errorf("%w: -recipient: %v", errUsage, err)
		}
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	invalid := func(format string, args ...any) error {
		msg := fmt.Sprintf(format, args...)
		fmt.Fprintln(e.stdout, "INVALID: "+msg)
		return errVerdict("the credential is invalid: " + msg)
	}
	jwt, err := credential.Extract(data)
	if err != nil {
		return invalid("%v", err)
	}
	claimed, _, err := credential.Parse(jwt)
	if err != nil {
		// Unreadable: one changed character in the header can do this.
		return invalid("%v", credential.ErrSignature)
	}
	if *issuer != "" {
		want, err := credential.NormalizeBaseURL(*issuer)
		if err != nil {
			return fmt.Errorf("%w: -issuer: %v", errUsage, err)
		}
		if claimed.Issuer.ID != want {
			return invalid("issued by %q, not by %s", claimed.Issuer.ID, want)
		}
	}
	client := &credential.Client{HTTP: &http.Client{Timeout: *timeout}}
	var keys *jose.JSONWebKeySet
	if *jwksFile != "" {
		b, err := os.ReadFile(*jwksFile)
		if err != nil {
			return err
		}
		if keys, err = credential.ReadJWKS(b); err != nil {
			return fmt.Errorf("-jwks %s: %w", *jwksFile, err)
		}
	} else {
		// The key is the one the named issuer serves: whoever controls
		// that URL vouches for the credential.
		if keys, err = client.JWKS(ctx, claimed.Issuer.ID); err != nil {
			return fmt.Errorf("cannot fetch the keys of the issuer %s: %w", claimed.Issuer.ID, err)
		}
	}
	c, err := credential.Verify(jwt, keys, e.now())
	if err != nil {
		if errors.Is(err, credential.ErrSignature) || errors.Is(err, credential.ErrUnknownKey) {
			fmt.Fprintln(e.stdout, "INVALID: "+credential.ErrSignature.Error())
			return errVerdict("the credential is invalid: " + err.Error())
		}
		return invalid("%v", err)
	}
	if c.Issuer.ID != claimed.Issuer.ID {
		return invalid("issued by %q, not by %q", c.Issuer.ID, claimed.Issuer.ID)
	}
	if *recipient != "" && !c.MatchesRecipient(*recipient) {
		return invalid("%s is not its recipient: the hashed identifier does not match", *recipient)
	}
	who := ""
	if *recipient != "" {
		who = ", recipient " + *recipient
	}
	summary := fmt.Sprintf("%s%s; issuer %s (%s)", c.Summary(), who, c.Issuer.Name, c.Issuer.ID)
	if *offline {
		fmt.Fprintf(e.stdout, "valid: %s; status: not checked (offline)\n", summary)
		return nil
	}
	st, err := client.Status(ctx, c)
	if err != nil {
		fmt.Fprintf(e.stdout, "signature valid: %s; status: UNKNOWN\n", summary)
		return fmt.Errorf("cannot check the status: %w", err)
	}
	if st.Revoked {
		fmt.Fprintf(e.stdout, "%s: %s\n", st, summary)
		return errVerdict("the credential is revoked")
	}
	fmt.Fprintf(e.stdout, "valid: %s; status: %s\n", summary, st)
	return nil
}
