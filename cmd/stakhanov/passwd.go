package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// cmdUserPasswd sets an account's web sign-in password, read from the
// first line of standard input so that it shows in no process list or
// shell history.
func cmdUserPasswd(ctx context.Context, args []string, e *env) error {
	c, err := config(e)
	if err != nil {
		return err
	}
	fs := newFlags("user passwd", "NAME", "Set the web sign-in password of an account, read from the first line of standard input.", e)
	c.dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: stakhanov user passwd [flags] NAME < password-file", errUsage)
	}
	password, err := readPassword(e.stdin)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, c.DB, e.now, c.storeOptions()...)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := s.FindUserByName(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	if err := s.SetPassword(systemContext(ctx), u.ID, password); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "password of %s set\n", u.Name)
	return nil
}

// readPassword reads one line from r, without its line ending.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if len(line) < stakhanov.MinPasswordLength {
		return "", fmt.Errorf("%w: the password (first line of standard input) must have at least %d characters", errUsage, stakhanov.MinPasswordLength)
	}
	return line, nil
}
