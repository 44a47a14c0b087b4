package app

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"clerkskill/rbac"
)

func runUser(env Env, args []string) error {
	sub, rest, err := subcommand(args, "add", "passwd", "roles", "token")
	if err != nil {
		return err
	}
	switch sub {
	case "add":
		return userAdd(env, rest)
	case "passwd":
		return userPasswd(env, rest)
	case "roles":
		return userRoles(env, rest)
	}
	return userToken(env, rest)
}

// userAdd: clerkskill user add [--name N] [--password P] [--grant ROLE@ORGCODE] USERNAME
func userAdd(env Env, args []string) error {
	var name, password, grant string
	store, d, rest, err := opCommand(env, "user add", args, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "", "display name (default: the username)")
		fs.StringVar(&password, "password", "", "password (default: a generated one-time password)")
		fs.StringVar(&grant, "grant", "", "role@org-code to grant, e.g. hr@QS")
	})
	if err != nil {
		return err
	}
	defer d.Close()
	username, err := needArg(rest, "USERNAME")
	if err != nil {
		return err
	}
	if name == "" {
		name = username
	}
	oneTime := password == ""
	if oneTime {
		password = rbac.RandomPassword()
	}
	u := &rbac.User{Username: username, DisplayName: name, MustChangePassword: oneTime}
	if err := store.CreateUser(env.Ctx, 0, u, password); err != nil {
		return err
	}
	writeln(env.Stdout, "created account %s (id %d)", u.Username, u.ID)
	if oneTime {
		writeln(env.Stdout, "one-time password: %s", password)
	}
	if grant != "" {
		return grantByCode(env, store, u, grant)
	}
	return nil
}

func grantByCode(env Env, store *rbac.Store, u *rbac.User, spec string) error {
	role, code, ok := strings.Cut(spec, "@")
	if !ok {
		return fmt.Errorf("grant %q: want ROLE@ORG-CODE, e.g. hr@QS", spec)
	}
	o, err := store.FindOrgByCode(env.Ctx, code)
	if err != nil {
		return err
	}
	if err := store.AddGrant(env.Ctx, 0, &rbac.Grant{UserID: u.ID, Role: role, OrgID: o.ID}); err != nil {
		return err
	}
	writeln(env.Stdout, "granted %s at %s (%s) to %s", role, o.Name, o.Code, u.Username)
	return nil
}

// userPasswd: clerkskill user passwd [--password P] USERNAME
func userPasswd(env Env, args []string) error {
	var password string
	store, u, done, err := userCommand(env, "user passwd", args, func(fs *flag.FlagSet) {
		fs.StringVar(&password, "password", "", "new password (default: a generated one-time password)")
	})
	if err != nil {
		return err
	}
	defer done()
	oneTime := password == ""
	if oneTime {
		password = rbac.RandomPassword()
	}
	revoked, err := store.SetPassword(env.Ctx, 0, u.ID, password, oneTime)
	if err != nil {
		return err
	}
	writeln(env.Stdout, "password of %s replaced; every session of the account ended, %d API token(s) revoked", u.Username, revoked)
	if oneTime {
		writeln(env.Stdout, "one-time password: %s (must be changed at next login)", password)
	}
	return nil
}

// userRoles: clerkskill user roles [--grant ROLE@ORG] [--revoke ROLE@ORG] USERNAME
func userRoles(env Env, args []string) error {
	var grant, revoke string
	store, u, done, err := userCommand(env, "user roles", args, func(fs *flag.FlagSet) {
		fs.StringVar(&grant, "grant", "", "role@org-code to grant")
		fs.StringVar(&revoke, "revoke", "", "role@org-code to revoke")
	})
	if err != nil {
		return err
	}
	defer done()
	if grant != "" {
		if err := grantByCode(env, store, u, grant); err != nil {
			return err
		}
	}
	if revoke != "" {
		if err := revokeByCode(env, store, u, revoke); err != nil {
			return err
		}
	}
	return printGrants(env, store, u)
}

func revokeByCode(env Env, store *rbac.Store, u *rbac.User, spec string) error {
	role, code, _ := strings.Cut(spec, "@")
	grants, err := store.FindGrants(env.Ctx, u.ID)
	if err != nil {
		return err
	}
	for _, g := range grants {
		o, err := store.FindOrgByID(env.Ctx, g.OrgID)
		if err == nil && g.Role == role && o.Code == code {
			return store.RemoveGrant(env.Ctx, 0, g)
		}
	}
	return fmt.Errorf("%s holds no %s grant at %s", u.Username, role, code)
}

func printGrants(env Env, store *rbac.Store, u *rbac.User) error {
	grants, err := store.FindGrants(env.Ctx, u.ID)
	if err != nil {
		return err
	}
	writeln(env.Stdout, "%s (%s) holds %d grant(s):", u.Username, u.DisplayName, len(grants))
	for _, g := range grants {
		writeln(env.Stdout, "  %-8s %s  at %s", g.Role, rbac.RoleLabel(g.Role), g.OrgName)
	}
	return nil
}

// userToken: clerkskill user token --name N [--days D] USERNAME
func userToken(env Env, args []string) error {
	var name string
	var days int
	store, u, done, err := userCommand(env, "user token", args, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "", "what the token is for, e.g. 人社系统对接")
		fs.IntVar(&days, "days", 365, "days until it expires (0: never)")
	})
	if err != nil {
		return err
	}
	defer done()
	token, err := store.CreateAPIToken(env.Ctx, 0, u.ID, name, time.Duration(days)*24*time.Hour)
	if err != nil {
		return err
	}
	writeln(env.Stdout, "API token for %s (shown once; send as Authorization: Bearer …):\n%s", u.Username, token)
	return nil
}

// userCommand opens the store for a command that acts on one existing account, named by
// its single argument; done closes the store.
func userCommand(env Env, name string, args []string, flags func(*flag.FlagSet)) (*rbac.Store, *rbac.User, func(), error) {
	store, d, rest, err := opCommand(env, name, args, flags)
	if err != nil {
		return nil, nil, nil, err
	}
	username, err := needArg(rest, "USERNAME")
	if err == nil {
		var u *rbac.User
		if u, err = store.FindUserByUsername(env.Ctx, username); err == nil {
			return store, u, func() { d.Close() }, nil
		}
	}
	d.Close()
	return nil, nil, nil, err
}
