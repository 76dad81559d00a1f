package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/stakhanov/stakhanov"
)

// The operator's commands on accounts and tokens (user list|disable|
// enable|set-role|set-unit, token create|list|revoke), acting as the
// system with direct access to the database.

var userCommands map[string]func(context.Context, []string, *env) error

func init() {
	userCommands = map[string]func(context.Context, []string, *env) error{
		"passwd":   cmdUserPasswd,
		"list":     cmdUserList,
		"disable":  func(ctx context.Context, args []string, e *env) error { return cmdUserSwitch(ctx, args, e, true) },
		"enable":   func(ctx context.Context, args []string, e *env) error { return cmdUserSwitch(ctx, args, e, false) },
		"set-role": cmdUserSetRole,
		"set-unit": cmdUserSetUnit,
	}
}

// accountCommand parses a command's flags and opens the store; it returns
// the positional arguments.
func accountCommand(ctx context.Context, e *env, name, argsUsage, about string, nargs int, args []string, flags func(*flag.FlagSet)) (stakhanov.Store, []string, error) {
	c, err := config(e)
	if err != nil {
		return nil, nil, err
	}
	fs := newFlags(name, argsUsage, about, e)
	c.dbFlag(fs)
	if flags != nil {
		flags(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if nargs >= 0 && fs.NArg() != nargs {
		return nil, nil, fmt.Errorf("%w: stakhanov %s [flags] %s", errUsage, name, argsUsage)
	}
	s, err := openStore(ctx, c.DB, e.now, c.storeOptions()...)
	if err != nil {
		return nil, nil, err
	}
	return s, fs.Args(), nil
}

func cmdUserList(ctx context.Context, args []string, e *env) error {
	var name, role string
	s, _, err := accountCommand(ctx, e, "user list", "", "List the accounts, by name: id, name, role, unit, person, and whether disabled.", 0, args, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "", "only accounts whose name holds this, in any case")
		fs.StringVar(&role, "role", "", "only accounts of this role")
	})
	if err != nil {
		return err
	}
	defer s.Close()
	users, err := stakhanov.All(func(p stakhanov.Page) ([]*stakhanov.User, int, error) {
		return s.FindUsers(systemContext(ctx), stakhanov.UserFilter{Name: name, Role: role, Page: p})
	})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLE\tUNIT\tPERSON\tSTATE")
	for _, u := range users {
		state := "enabled"
		if u.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Name, u.Role, orAll(u.UnitID), orNone(u.PersonID), state)
	}
	return tw.Flush()
}

func orAll(id int64) string {
	if id == 0 {
		return "all"
	}
	return strconv.FormatInt(id, 10)
}

func orNone(id int64) string {
	if id == 0 {
		return "-"
	}
	return strconv.FormatInt(id, 10)
}

func cmdUserSwitch(ctx context.Context, args []string, e *env, disable bool) error {
	name, about := "user enable", "Enable an account again. Its old tokens stay revoked: issue a new one (token create)."
	if disable {
		name, about = "user disable", "Disable an account: it can no longer sign in, its sessions end and its tokens are revoked at once."
	}
	var reason string
	s, rest, err := accountCommand(ctx, e, name, "NAME", about, 1, args, func(fs *flag.FlagSet) {
		fs.StringVar(&reason, "reason", "", "why, kept with the change")
	})
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := s.FindUserByName(ctx, rest[0])
	if err != nil {
		return err
	}
	if err := s.SetUserDisabled(systemContext(ctx), u.ID, disable, reason); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s (id %d): %s\n", u.Name, u.ID, map[bool]string{true: "disabled; its sessions ended and its tokens revoked", false: "enabled"}[disable])
	return nil
}

func cmdUserSetRole(ctx context.Context, args []string, e *env) error {
	var reason string
	s, rest, err := accountCommand(ctx, e, "user set-role", "NAME ROLE", "Change an account's role: "+fmt.Sprint(stakhanov.Roles)+".", 2, args, func(fs *flag.FlagSet) {
		fs.StringVar(&reason, "reason", "", "why, kept with the change")
	})
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := s.FindUserByName(ctx, rest[0])
	if err != nil {
		return err
	}
	if err := s.SetUserRole(systemContext(ctx), u.ID, rest[1], reason); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s (id %d) is now a %s\n", u.Name, u.ID, rest[1])
	return nil
}

func cmdUserSetUnit(ctx context.Context, args []string, e *env) error {
	var reason string
	s, rest, err := accountCommand(ctx, e, "user set-unit", "NAME UNIT", "Limit an account to a unit's tree, by the unit's id (0: the whole organisation).", 2, args, func(fs *flag.FlagSet) {
		fs.StringVar(&reason, "reason", "", "why, kept with the change")
	})
	if err != nil {
		return err
	}
	defer s.Close()
	unit, err := strconv.ParseInt(rest[1], 10, 64)
	if err != nil || unit < 0 {
		return stakhanov.FieldErrorf("unit", "unit %s is not a unit id (0: the whole organisation)", stakhanov.ShortQuote(rest[1]))
	}
	u, err := s.FindUserByName(ctx, rest[0])
	if err != nil {
		return err
	}
	if err := s.SetUserUnit(systemContext(ctx), u.ID, unit, reason); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s (id %d) is now limited to %s\n", u.Name, u.ID, map[bool]string{true: "the whole organisation", false: "unit " + rest[1]}[unit == 0])
	return nil
}

func cmdToken(ctx context.Context, args []string, e *env) error {
	return dispatch(ctx, args, e, "token", []subcommand{{"create", cmdTokenCreate}, {"list", cmdTokenList}, {"revoke", cmdTokenRevoke}})
}

// subcommand is one word of a command with subcommands (token create).
type subcommand struct {
	name string
	run  func(context.Context, []string, *env) error
}

// dispatch runs the subcommand args name, or says which there are.
func dispatch(ctx context.Context, args []string, e *env, command string, subs []subcommand) error {
	names := make([]string, len(subs))
	for i, s := range subs {
		if len(args) > 0 && args[0] == s.name {
			return s.run(ctx, args[1:], e)
		}
		names[i] = s.name
	}
	usage := fmt.Sprintf("stakhanov %s %s [flags] ...", command, strings.Join(names, "|"))
	fmt.Fprintln(e.stderr, "Usage: "+usage)
	return fmt.Errorf("%w: %s", errUsage, usage)
}

func cmdTokenCreate(ctx context.Context, args []string, e *env) error {
	var days int
	s, rest, err := accountCommand(ctx, e, "token create", "USER",
		fmt.Sprintf("Issue a new bearer token for a user and print it. Only its hash is kept. It works for %d days unless -expires-days says otherwise.",
			int(stakhanov.DefaultTokenLifetime/(24*time.Hour))), 1, args, func(fs *flag.FlagSet) {
			fs.IntVar(&days, "expires-days", 0, fmt.Sprintf("the token's lifetime in days, at most %d (0: the default)", int(stakhanov.MaxTokenLifetime/(24*time.Hour))))
		})
	if err != nil {
		return err
	}
	defer s.Close()
	lifetime, err := stakhanov.TokenLifetimeDays("expires-days", days)
	if err != nil {
		return err
	}
	u, err := s.FindUserByName(ctx, rest[0])
	if err != nil {
		return err
	}
	token, info, err := s.IssueToken(systemContext(ctx), u.ID, lifetime)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "token %d for %s, until %s; shown once:\n", info.ID, u.Name, info.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintln(e.stdout, token)
	return nil
}

func cmdTokenList(ctx context.Context, args []string, e *env) error {
	s, rest, err := accountCommand(ctx, e, "token list", "[USER]", "List the tokens, newest first (of one user if named): id, user, issued, expires, and whether revoked or expired.", -1, args, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	if len(rest) > 1 {
		return fmt.Errorf("%w: stakhanov token list [flags] [USER]", errUsage)
	}
	var f stakhanov.TokenFilter
	if len(rest) == 1 {
		u, err := s.FindUserByName(ctx, rest[0])
		if err != nil {
			return err
		}
		f.UserID = u.ID
	}
	tokens, err := stakhanov.All(func(p stakhanov.Page) ([]*stakhanov.Token, int, error) {
		f.Page = p
		return s.FindTokens(systemContext(ctx), f)
	})
	if err != nil {
		return err
	}
	now := e.now()
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER\tISSUED\tEXPIRES\tSTATE")
	for _, t := range tokens {
		state := "live"
		switch {
		case t.RevokedAt != nil:
			state = "revoked " + t.RevokedAt.UTC().Format("2006-01-02 15:04")
		case !t.Live(now):
			state = "expired"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.User, t.CreatedAt.UTC().Format("2006-01-02 15:04"), t.ExpiresAt.UTC().Format("2006-01-02 15:04"), state)
	}
	return tw.Flush()
}

func cmdTokenRevoke(ctx context.Context, args []string, e *env) error {
	s, rest, err := accountCommand(ctx, e, "token revoke", "ID", "Revoke a token at once, by its id (token list shows them).", 1, args, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := strconv.ParseInt(rest[0], 10, 64)
	if err != nil || id <= 0 {
		return stakhanov.FieldErrorf("id", "%s is not a token id", stakhanov.ShortQuote(rest[0]))
	}
	if err := s.RevokeToken(systemContext(ctx), id); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "token %d revoked\n", id)
	return nil
}
