package rbac

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/uptrace/bun"
)

// DemoPassword is the password of every demo account. Demo mode only.
const DemoPassword = "demo12345"

// DemoAccount is a login the demo prints for people to try.
type DemoAccount struct {
	Username string
	Role     string
	Org      string
}

type demoTownship struct{ code, slug, name string }

var demoTownships = []demoTownship{
	{"QS-CG", "chengguan", "城关镇"}, {"QS-DH", "donghu", "东湖街道"}, {"QS-XS", "xishan", "西山镇"},
	{"QS-NH", "nanhe", "南河乡"}, {"QS-BL", "beiling", "北岭镇"}, {"QS-LX", "liuxi", "柳溪镇"},
	{"QS-TY", "taoyuan", "桃源乡"}, {"QS-SQ", "shiqiao", "石桥镇"},
}

var demoVillages = []string{"幸福", "和平", "新民", "红星", "向阳", "建设", "团结", "光明", "前进", "胜利",
	"兴隆", "永安", "长青", "丰收", "清泉", "桂花", "梨园", "杏林", "青石", "白沙"}

// SeedDemo fills an empty store with one county centre, 8 township centres, 40 village
// stations, about 300 clerks with plausible names, and HR, trainer and admin logins. It is
// deterministic and does nothing when any org unit exists.
func (s *Store) SeedDemo(ctx context.Context) ([]DemoAccount, error) {
	n, err := s.db.NewSelect().Model((*OrgUnit)(nil)).Count(ctx)
	if err != nil || n > 0 {
		return nil, err
	}
	hash, err := HashPassword(ctx, DemoPassword) // one hash for all: demo accounts only
	if err != nil {
		return nil, err
	}
	d := &demoSeeder{s: s, hash: hash, rng: rand.New(rand.NewPCG(2026, 11))}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := d.seed(ctx, tx); err != nil {
			return err
		}
		return grantsChanged(ctx, tx)
	})
	if err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	return d.accounts, s.enf.Reload()
}

type demoSeeder struct {
	s        *Store
	hash     string
	rng      *rand.Rand
	clerks   int
	accounts []DemoAccount
}

func (d *demoSeeder) seed(ctx context.Context, tx bun.Tx) error {
	root, err := d.org(ctx, tx, nil, TierProvince, "YC", "云川省政务服务管理办公室")
	if err != nil {
		return err
	}
	city, err := d.org(ctx, tx, root, TierCity, "YC-LJ", "临江市政务服务管理局")
	if err != nil {
		return err
	}
	county, err := d.org(ctx, tx, city, TierCounty, "QS", "青山县政务服务中心")
	if err != nil {
		return err
	}
	if err := d.account(ctx, tx, "admin", "系统管理员", RoleAdmin, root); err != nil {
		return err
	}
	if err := d.account(ctx, tx, "hr", "县中心人事办", RoleHR, county); err != nil {
		return err
	}
	if err := d.account(ctx, tx, "trainer", "县中心培训师", RoleTrainer, county); err != nil {
		return err
	}
	if err := d.staffAt(ctx, tx, county, 60); err != nil {
		return err
	}
	for i, t := range demoTownships {
		if err := d.township(ctx, tx, county, i, t); err != nil {
			return err
		}
	}
	return nil
}

func (d *demoSeeder) township(ctx context.Context, tx bun.Tx, county *OrgUnit, i int, t demoTownship) error {
	town, err := d.org(ctx, tx, county, TierTownship, t.code, t.name+"便民服务中心")
	if err != nil {
		return err
	}
	if err := d.account(ctx, tx, "hr."+t.slug, t.name+"人事专员", RoleHR, town); err != nil {
		return err
	}
	if err := d.staffAt(ctx, tx, town, 20); err != nil {
		return err
	}
	for j := 0; j < 5; j++ {
		name := demoVillages[(i*5+j)%len(demoVillages)]
		kind := "村"
		if t.slug == "chengguan" || t.slug == "donghu" {
			kind = "社区"
		}
		code := fmt.Sprintf("%s-%02d", t.code, j+1)
		v, err := d.org(ctx, tx, town, TierVillage, code, name+kind+"便民服务站")
		if err != nil {
			return err
		}
		if err := d.staffAt(ctx, tx, v, 2); err != nil {
			return err
		}
	}
	return nil
}

func (d *demoSeeder) org(ctx context.Context, tx bun.Tx, parent *OrgUnit, tier Tier, code, name string) (*OrgUnit, error) {
	o := &OrgUnit{Tier: tier, Code: code, Name: name}
	if parent != nil {
		o.ParentID = &parent.ID
	}
	return o, d.s.createOrg(ctx, tx, 0, o)
}

func (d *demoSeeder) account(ctx context.Context, tx bun.Tx, username, name, role string, at *OrgUnit) error {
	u := &User{Username: username, DisplayName: name, PasswordHash: d.hash, Active: true}
	if err := d.s.insertUser(ctx, tx, u); err != nil {
		return err
	}
	d.accounts = append(d.accounts, DemoAccount{Username: username, Role: RoleLabel(role), Org: at.Name})
	return d.s.insertGrant(ctx, tx, 0, &Grant{UserID: u.ID, Role: role, OrgID: at.ID})
}

var demoPositions = map[Tier][]string{
	TierCounty:   {"综合受理窗口", "综合受理窗口", "出件窗口", "咨询导服台", "帮办代办窗口", "综窗组长"},
	TierTownship: {"综合受理窗口", "综合受理窗口", "帮办代办窗口", "咨询导服台"},
	TierVillage:  {"代办员", "便民服务专员"},
}

func (d *demoSeeder) staffAt(ctx context.Context, tx bun.Tx, o *OrgUnit, n int) error {
	for i := 0; i < n; i++ {
		d.clerks++
		st := d.person(o)
		u := &User{Username: fmt.Sprintf("clerk%03d", d.clerks), DisplayName: st.Name, PasswordHash: d.hash, Active: true}
		if err := d.s.createStaffTx(ctx, tx, 0, st, u); err != nil {
			return err
		}
		if d.clerks <= 3 || d.clerks%50 == 0 {
			d.accounts = append(d.accounts, DemoAccount{Username: u.Username, Role: RoleLabel(RoleTrainee), Org: o.Name})
		}
	}
	return nil
}

func (d *demoSeeder) person(o *OrgUnit) *Staff {
	r := d.rng
	id := demoIDNumber(r, d.clerks)
	hire := &Date{time.Date(2008+r.IntN(17), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)}
	return &Staff{
		EmpNo: fmt.Sprintf("QS%04d", d.clerks), Name: demoName(r), IDNumber: &id,
		Phone:          fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1_000_000_000)),
		OrgID:          o.ID,
		Position:       pick(r, demoPositions[o.Tier]),
		EmploymentType: pick(r, []EmploymentType{EmployEstablished, EmployNonEstablished, EmployNonEstablished, EmploySeconded, EmployDispatched, EmployDispatched}),
		HireDate:       hire,
		Education:      pick(r, []string{"高中/中专", "大专", "大专", "本科", "本科", "本科", "硕士研究生"}),
	}
}

var (
	demoSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
	demoGiven    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉宁晓燕鹏飞婷雪琳欣怡浩宇子涵思雨佳俊一诺嘉欣梦瑶")
)

func demoName(r *rand.Rand) string {
	name := string(demoSurnames[r.IntN(len(demoSurnames))]) + string(demoGiven[r.IntN(len(demoGiven))])
	if r.IntN(3) > 0 {
		name += string(demoGiven[r.IntN(len(demoGiven))])
	}
	return name
}

// demoIDNumber makes a well-formed resident ID with a fictional region code.
func demoIDNumber(r *rand.Rand, seq int) string {
	birth := time.Date(1972+r.IntN(30), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	body := fmt.Sprintf("990102%s%03d", birth.Format("20060102"), seq%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(body[i]-'0') * weights[i]
	}
	return body + string("10X98765432"[sum%11])
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }
