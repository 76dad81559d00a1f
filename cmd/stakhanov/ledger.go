package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/ledger"
)

const ledgerUsage = `Usage: stakhanov ledger verify|check|export [flags]

  verify   check the database against its ledger, naming everything that is wrong
  check    verify a checkpoint, a record's inclusion and a consistency proof
           offline, from files, with no database
  export   write the public key, a signed checkpoint, every record and the
           proofs as files, for check

Run 'stakhanov ledger SUBCOMMAND -h' for its flags.`

func cmdLedger(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, ledgerUsage)
	}
	switch args[0] {
	case "verify":
		return cmdLedgerVerify(ctx, args[1:], e)
	case "check":
		return cmdLedgerCheck(args[1:], e)
	case "export":
		return cmdLedgerExport(ctx, args[1:], e)
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(e.stderr, ledgerUsage)
		return nil
	}
	return fmt.Errorf("%w: unknown subcommand %q\n\n%s", errUsage, args[0], ledgerUsage)
}

// verifierFor returns the key that checks checkpoints: the public key file
// if given, else the one derived from the signing key, else none (with
// why).
func verifierFor(c Config, publicKey string) (note.Verifier, string, error) {
	if publicKey != "" {
		b, err := os.ReadFile(publicKey)
		if err != nil {
			return nil, "", err
		}
		v, err := note.NewVerifier(strings.TrimSpace(string(b)))
		if err != nil {
			return nil, "", fmt.Errorf("public key %s: %v", publicKey, err)
		}
		return v, strings.TrimSpace(string(b)), nil
	}
	k, _, err := ledger.LoadKey(c.LedgerKeyPath(), c.LedgerOrigin, false)
	if errors.Is(err, iofs.ErrNotExist) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	return k.Verifier, k.Public, nil
}

func cmdLedgerVerify(ctx context.Context, args []string, e *env) error {
	c, err := config(e)
	if err != nil {
		return err
	}
	fs := newFlags("ledger verify", "", `Check the database against its honours ledger: every signed decree, conferral
and revocation has its record and every record its row, each record equals the
row as it is now, the records hash to the stored tree, and the tree has the
root of every signed checkpoint issued. Each problem is named; the exit code
is 1 if there is any.`, e)
	c.dbFlag(fs)
	c.ledgerFlags(fs)
	publicKey := fs.String("public-key", "", "file of the ledger's public key, to check checkpoint signatures without the signing key")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%w: stakhanov ledger verify [-db DB] [-public-key FILE]", errUsage)
	}
	verifier, vkey, err := verifierFor(c, *publicKey)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, c.DB, e.now, c.storeOptions()...)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := ledger.Verify(ctx, s, verifier)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "ledger: %d records, root %s\n", rep.Size, rep.Root)
	fmt.Fprintf(e.stdout, "checked: %d signed decrees, %d conferrals, %d revocations, %d signed checkpoints (the largest of %d records)\n",
		rep.Decrees, rep.Conferrals, rep.Revocations, rep.Checkpoints, rep.Signed)
	if rep.SignaturesChecked {
		fmt.Fprintf(e.stdout, "signatures checked with %s\n", vkey)
	} else {
		fmt.Fprintf(e.stdout, "signatures NOT checked: no ledger key at %s (give -public-key FILE)\n", c.LedgerKeyPath())
	}
	if rep.Signed < rep.Size {
		fmt.Fprintf(e.stdout, "records %d to %d are not yet covered by a signed checkpoint\n", rep.Signed, rep.Size-1)
	}
	if rep.OK() {
		fmt.Fprintln(e.stdout, "OK: the database and its ledger agree")
		return nil
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(e.stdout, "PROBLEM:", p)
	}
	n := len(rep.Problems)
	return fmt.Errorf("%d problem%s: the database does not agree with its ledger", n, map[bool]string{true: "", false: "s"}[n == 1])
}

func readFile(name string) ([]byte, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return b, nil
}

func readJSONFile(name string, v any) error {
	b, err := readFile(name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	return nil
}

// readRecord reads a record file: the canonical bytes, or the API's
// answer for the record (whose data holds them).
func readRecord(name string) ([]byte, error) {
	b, err := readFile(name)
	if err != nil {
		return nil, err
	}
	var served struct {
		Data []byte `json:"data"`
	}
	if json.Unmarshal(b, &served) == nil && len(served.Data) > 0 {
		return served.Data, nil
	}
	return []byte(strings.TrimSuffix(string(b), "\n")), nil
}

func cmdLedgerCheck(args []string, e *env) error {
	fs := newFlags("ledger check", "", `Verify the ledger offline, from files, with no database: the checkpoint's
signature with the public key; with -record and -proof, that the record is in
the checkpoint's tree; with -old-checkpoint and -consistency-proof, that the
checkpoint's tree extends an older trusted one. A checkpoint signed by another
key, or a tree that shrank, is refused. The files are what the API serves
(/api/v1/ledger/...) or what 'stakhanov ledger export' writes.`, e)
	keyFile := fs.String("key", "", "file of the ledger's public key (GET /api/v1/ledger/key)")
	cpFile := fs.String("checkpoint", "", "file of the signed checkpoint to check (GET /api/v1/ledger/checkpoint)")
	recordFile := fs.String("record", "", "file of a record: its canonical bytes, or GET /api/v1/ledger/records/N")
	index := fs.Int64("index", -1, "the record's index (default: the proof's)")
	proofFile := fs.String("proof", "", "file of the record's inclusion proof (GET /api/v1/ledger/proof/inclusion)")
	oldFile := fs.String("old-checkpoint", "", "file of an older checkpoint, trusted before")
	consFile := fs.String("consistency-proof", "", "file of the consistency proof from the older checkpoint (GET /api/v1/ledger/proof/consistency)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	usage := "stakhanov ledger check -key FILE -checkpoint FILE [-record FILE [-index N] -proof FILE] [-old-checkpoint FILE -consistency-proof FILE]"
	if *keyFile == "" || *cpFile == "" || fs.NArg() != 0 || (*recordFile == "") != (*proofFile == "") || (*oldFile == "") != (*consFile == "") {
		return fmt.Errorf("%w: %s", errUsage, usage)
	}
	vkey, err := readFile(*keyFile)
	if err != nil {
		return err
	}
	msg, err := readFile(*cpFile)
	if err != nil {
		return err
	}
	cp, err := ledger.CheckCheckpoint(strings.TrimSpace(string(vkey)), msg)
	if err != nil {
		return fmt.Errorf("%s: %v", *cpFile, err)
	}
	fmt.Fprintf(e.stdout, "checkpoint: %s, %d records, root %s: signature OK\n", cp.Origin, cp.Size, cp.Hash)
	if *recordFile != "" {
		rec, err := readRecord(*recordFile)
		if err != nil {
			return err
		}
		var p ledger.InclusionProof
		if err := readJSONFile(*proofFile, &p); err != nil {
			return err
		}
		if *index >= 0 && *index != p.Index {
			return fmt.Errorf("the proof is for record %d, not %d", p.Index, *index)
		}
		if err := ledger.CheckInclusion(cp, rec, &p); err != nil {
			return err
		}
		r, _ := ledger.Decode(rec)
		fmt.Fprintf(e.stdout, "record %d (%s) is in the tree of %d records: inclusion OK\n", p.Index, r.Key(), cp.Size)
	}
	if *oldFile != "" {
		oldMsg, err := readFile(*oldFile)
		if err != nil {
			return err
		}
		old, err := ledger.CheckCheckpoint(strings.TrimSpace(string(vkey)), oldMsg)
		if err != nil {
			return fmt.Errorf("%s: %v", *oldFile, err)
		}
		var p ledger.ConsistencyProof
		if err := readJSONFile(*consFile, &p); err != nil {
			return err
		}
		if err := ledger.CheckConsistency(old, cp, &p); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "the tree of %d records extends the trusted tree of %d records: consistency OK\n", cp.Size, old.Size)
	}
	return nil
}

func cmdLedgerExport(ctx context.Context, args []string, e *env) error {
	c, err := config(e)
	if err != nil {
		return err
	}
	fs := newFlags("ledger export", "", `Write the ledger as files for 'stakhanov ledger check': the public key (key),
a signed checkpoint of the whole ledger (checkpoint), every record
(records/N), its inclusion proof (proofs/inclusion-N.json), every older
checkpoint issued (checkpoints/SIZE) and the proof that the ledger grew from it
(proofs/consistency-SIZE-NEW.json). Needs the signing key.`, e)
	c.dbFlag(fs)
	c.ledgerFlags(fs)
	dir := fs.String("dir", "", "directory to write to (required; made if missing)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() != 0 {
		return fmt.Errorf("%w: stakhanov ledger export -dir DIR [-db DB] [-ledger-key FILE]", errUsage)
	}
	key, _, err := ledger.LoadKey(c.LedgerKeyPath(), c.LedgerOrigin, false)
	if errors.Is(err, iofs.ErrNotExist) {
		return fmt.Errorf("no ledger key at %s: the server makes it at first start; or give -ledger-key", c.LedgerKeyPath())
	} else if err != nil {
		return err
	}
	s, err := openStore(ctx, c.DB, e.now, c.storeOptions()...)
	if err != nil {
		return err
	}
	defer s.Close()
	log := ledger.NewLog(s, key)
	msg, err := log.Checkpoint(ctx)
	if err != nil {
		return err
	}
	cp, err := ledger.OpenCheckpoint(msg, key.Verifier)
	if err != nil {
		return err
	}
	for _, sub := range []string{"records", "proofs", "checkpoints"} {
		if err := os.MkdirAll(filepath.Join(*dir, sub), 0o755); err != nil {
			return err
		}
	}
	write := func(name string, b []byte) error {
		return os.WriteFile(filepath.Join(*dir, name), b, 0o644)
	}
	writeJSON := func(name string, v any) error {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		return write(name, append(b, '\n'))
	}
	if err := write("key", []byte(key.Public+"\n")); err != nil {
		return err
	}
	if err := write("checkpoint", msg); err != nil {
		return err
	}
	for from := int64(0); from < cp.Size; {
		recs, err := s.LedgerRecords(ctx, from, 1000)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			break
		}
		for _, r := range recs {
			if r.Index >= cp.Size {
				break
			}
			if err := write(fmt.Sprintf("records/%d", r.Index), r.Data); err != nil {
				return err
			}
			p, err := ledger.ProveInclusion(ctx, s, r.Index, cp.Size)
			if err != nil {
				return err
			}
			if err := writeJSON(fmt.Sprintf("proofs/inclusion-%d.json", r.Index), p); err != nil {
				return err
			}
		}
		from = recs[len(recs)-1].Index + 1
	}
	olds := 0
	checkpoints := func(p stakhanov.Page) ([]*stakhanov.LedgerCheckpoint, int, error) { return s.LedgerCheckpoints(ctx, p) }
	for k, err := range stakhanov.Each(checkpoints) {
		if err != nil {
			return err
		}
		if k.Size >= cp.Size || k.Size == 0 {
			continue
		}
		if err := write(fmt.Sprintf("checkpoints/%d", k.Size), k.Text); err != nil {
			return err
		}
		p, err := ledger.ProveConsistency(ctx, s, k.Size, cp.Size)
		if err != nil {
			return err
		}
		if err := writeJSON(fmt.Sprintf("proofs/consistency-%d-%d.json", k.Size, cp.Size), p); err != nil {
			return err
		}
		olds++
	}
	fmt.Fprintf(e.stdout, "wrote %s: the key, a checkpoint of %d records (root %s), %d records with their inclusion proofs, %d older checkpoints with consistency proofs\n",
		*dir, cp.Size, cp.Hash, cp.Size, olds)
	if cp.Size > 0 {
		d := *dir
		fmt.Fprintf(e.stdout, "check one offline:\n  stakhanov ledger check -key %s -checkpoint %s -record %s -proof %s\n",
			filepath.Join(d, "key"), filepath.Join(d, "checkpoint"), filepath.Join(d, "records", "0"), filepath.Join(d, "proofs", "inclusion-0.json"))
	}
	return nil
}
