package ledger

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// DefaultOrigin names the log when the configuration names none. It is the
// checkpoint's first line and the signing key's name.
const DefaultOrigin = "stakhanov.example/ledger"

// Checkpoint is a tree head: the log's origin, its size and its root hash,
// in the C2SP tlog-checkpoint format.
type Checkpoint struct {
	Origin string
	Size   int64
	Hash   tlog.Hash
}

// Format returns the checkpoint's note text: origin, size and base64 root
// hash, one a line.
func (c Checkpoint) Format() []byte {
	return fmt.Appendf(nil, "%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Hash[:]))
}

// ParseCheckpoint parses a checkpoint's note text (without signatures).
// Extension lines after the hash are allowed and ignored.
func ParseCheckpoint(text string) (Checkpoint, error) {
	var c Checkpoint
	lines := strings.SplitN(text, "\n", 4)
	if len(lines) < 4 {
		return c, errors.New("a checkpoint has an origin line, a size line and a root hash line")
	}
	c.Origin = lines[0]
	if c.Origin == "" {
		return c, errors.New("checkpoint: empty origin line")
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != lines[1] {
		return c, fmt.Errorf("checkpoint: size %q is not a whole number", lines[1])
	}
	c.Size = n
	h, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(h) != len(c.Hash) {
		return c, fmt.Errorf("checkpoint: root hash %q is not 32 bytes in base64", lines[2])
	}
	copy(c.Hash[:], h)
	return c, nil
}

// SignCheckpoint signs a checkpoint with the log's key.
func SignCheckpoint(c Checkpoint, signer note.Signer) ([]byte, error) {
	return note.Sign(&note.Note{Text: string(c.Format())}, signer)
}

// OpenCheckpoint checks a signed checkpoint against the log's public key
// and parses it. It refuses a checkpoint not signed by that key, and one
// whose origin is not the key's name.
func OpenCheckpoint(msg []byte, verifier note.Verifier) (Checkpoint, error) {
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		var unverified *note.UnverifiedNoteError
		var invalid *note.InvalidSignatureError
		switch {
		case errors.As(err, &unverified):
			var by []string
			for _, s := range unverified.Note.UnverifiedSigs {
				by = append(by, fmt.Sprintf("%s (key %08x)", s.Name, s.Hash))
			}
			return Checkpoint{}, fmt.Errorf("checkpoint is not signed by the log's key %s (%08x): signed by %s",
				verifier.Name(), verifier.KeyHash(), strings.Join(by, ", "))
		case errors.As(err, &invalid):
			return Checkpoint{}, fmt.Errorf("checkpoint signature by %s does not verify: the checkpoint was altered or forged", verifier.Name())
		}
		return Checkpoint{}, fmt.Errorf("checkpoint: %v", err)
	}
	c, err := ParseCheckpoint(n.Text)
	if err != nil {
		return c, err
	}
	if c.Origin != verifier.Name() {
		return c, fmt.Errorf("checkpoint is for log %q, not %q", c.Origin, verifier.Name())
	}
	return c, nil
}

// Key is the log's signing key.
type Key struct {
	// Secret is the note signer key, PRIVATE+KEY+name+hash+data.
	Secret string
	// Public is the note verifier key, name+hash+data.
	Public   string
	Signer   note.Signer
	Verifier note.Verifier
}

// Origin is the log's name: the key's name.
func (k *Key) Origin() string { return k.Signer.Name() }

// ParseKey reads a note signer key and derives its public key.
func ParseKey(secret string) (*Key, error) {
	secret = strings.TrimSpace(secret)
	signer, err := note.NewSigner(secret)
	if err != nil {
		return nil, fmt.Errorf("not a ledger signing key (PRIVATE+KEY+...): %v", err)
	}
	// PRIVATE+KEY+name+hash+base64(alg || seed): derive the public key.
	// The name holds no '+' but the base64 data may.
	parts := strings.SplitN(secret, "+", 5)
	raw, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return nil, errors.New("the ledger signing key is not an Ed25519 key")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	public, err := note.NewEd25519VerifierKey(signer.Name(), pub)
	if err != nil {
		return nil, err
	}
	verifier, err := note.NewVerifier(public)
	if err != nil {
		return nil, err
	}
	return &Key{Secret: secret, Public: public, Signer: signer, Verifier: verifier}, nil
}

// GenerateKey makes a new Ed25519 signing key named origin.
func GenerateKey(origin string) (*Key, error) {
	secret, _, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		return nil, fmt.Errorf("ledger origin %q: %v (a name without spaces or '+')", origin, err)
	}
	return ParseKey(secret)
}

// LoadKey returns the signing key configured by spec: the key itself
// (PRIVATE+KEY+...), or the path of a file holding it. A file must be
// readable by its owner only. If the file does not exist and create is
// set, a new key named origin is written to it (mode 0600); created
// reports that. A key whose name is not origin is refused, unless origin
// is empty.
func LoadKey(spec, origin string, create bool) (k *Key, created bool, err error) {
	if strings.HasPrefix(spec, "PRIVATE+KEY+") {
		k, err = ParseKey(spec)
	} else {
		k, created, err = loadKeyFile(spec, origin, create)
	}
	if err != nil {
		return nil, false, err
	}
	if origin != "" && k.Origin() != origin {
		return nil, false, fmt.Errorf("the ledger key is named %q but the ledger origin is %q: a log keeps its name", k.Origin(), origin)
	}
	return k, created, nil
}

func loadKeyFile(path, origin string, create bool) (*Key, bool, error) {
	if path == "" {
		return nil, false, errors.New("no ledger key file configured")
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		if origin == "" {
			origin = DefaultOrigin
		}
		k, err := GenerateKey(origin)
		if err != nil {
			return nil, false, err
		}
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, false, err
			}
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, false, fmt.Errorf("create ledger key: %w", err)
		}
		if _, err := f.WriteString(k.Secret + "\n"); err != nil {
			f.Close()
			return nil, false, fmt.Errorf("write ledger key %s: %w", path, err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, false, err
		}
		if err := f.Close(); err != nil {
			return nil, false, err
		}
		return k, true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("ledger key: %w", err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, false, err
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, false, fmt.Errorf("ledger key %s is readable by others (mode %04o): make it readable by its owner only (chmod 600)", path, info.Mode().Perm())
	}
	k, err := ParseKey(string(b))
	if err != nil {
		return nil, false, fmt.Errorf("ledger key %s: %w", path, err)
	}
	return k, false, nil
}
