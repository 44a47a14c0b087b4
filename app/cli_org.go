package app

import (
	"flag"
	"strings"

	"clerkskill/rbac"
)

func runOrg(env Env, args []string) error {
	sub, rest, err := subcommand(args, "add", "list")
	if err != nil {
		return err
	}
	if sub == "add" {
		return orgAdd(env, rest)
	}
	return orgList(env, rest)
}

// orgAdd: clerkskill org add --code C --name N --tier T [--parent CODE]
func orgAdd(env Env, args []string) error {
	var code, name, tier, parent string
	store, d, _, err := opCommand(env, "org add", args, func(fs *flag.FlagSet) {
		fs.StringVar(&code, "code", "", "unique unit code")
		fs.StringVar(&name, "name", "", "unit name, e.g. 城关镇便民服务中心")
		fs.StringVar(&tier, "tier", "", "province|city|county|township|village")
		fs.StringVar(&parent, "parent", "", "code of the parent unit (none for a root)")
	})
	if err != nil {
		return err
	}
	defer d.Close()
	o := &rbac.OrgUnit{Code: code, Name: name, Tier: rbac.Tier(tier)}
	if parent != "" {
		p, err := store.FindOrgByCode(env.Ctx, parent)
		if err != nil {
			return err
		}
		o.ParentID = &p.ID
	}
	if err := store.CreateOrg(env.Ctx, 0, o); err != nil {
		return err
	}
	writeln(env.Stdout, "created %s %s (%s), id %d", o.Tier.Label(), o.Name, o.Code, o.ID)
	return nil
}

// orgList: clerkskill org list [--tier T]
func orgList(env Env, args []string) error {
	var tier string
	store, d, _, err := opCommand(env, "org list", args, func(fs *flag.FlagSet) {
		fs.StringVar(&tier, "tier", "", "only this tier")
	})
	if err != nil {
		return err
	}
	defer d.Close()
	units, err := store.FindOrgs(env.Ctx, rbac.OrgFilter{Scope: rbac.Scope{"/"}, Tier: rbac.Tier(tier), WithCounts: true})
	if err != nil {
		return err
	}
	for _, u := range units {
		state := ""
		if !u.Active {
			state = "  [停用]"
		}
		writeln(env.Stdout, "%-12s %s%s  %s  在岗%d人%s", u.Code, strings.Repeat("  ", u.Depth), u.Name,
			u.Tier.Label(), u.StaffCount, state)
	}
	writeln(env.Stdout, "%d unit(s)", len(units))
	return nil
}
