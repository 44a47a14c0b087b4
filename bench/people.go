package main

import (
	"fmt"
	"time"

	"clerkskill/rbac"
)

// benchPassword is every generated account's password.
const benchPassword = "bench12345"

// people is the planned staff, their accounts and grants, plus HR accounts at every
// county and township and one admin at the province.
type people struct {
	staff  []*rbac.Staff
	users  []*rbac.User
	grants []*rbac.Grant
	hr     map[int64]*rbac.User // by org unit id
}

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given    = []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
		"涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "晓东", "海燕", "建华", "文博", "子涵", "雨欣", "浩然"}
	employment = []rbac.EmploymentType{rbac.EmployEstablished, rbac.EmployNonEstablished, rbac.EmployNonEstablished,
		rbac.EmploySeconded, rbac.EmployDispatched}
)

// planPeople puts 5% of the staff at counties, 25% at townships and the rest at villages.
func planPeople(t *tree, n int, hash string, now time.Time) *people {
	p := &people{hr: map[int64]*rbac.User{}}
	for i := 0; i < n; i++ {
		p.addStaff(i, unitFor(t, i), hash, now)
	}
	for _, o := range append([]*rbac.OrgUnit{t.province}, append(t.counties, t.townships...)...) {
		p.addHR(o, hash, now)
	}
	return p
}

func unitFor(t *tree, i int) *rbac.OrgUnit {
	switch {
	case i%20 == 0:
		return t.counties[(i/20)%len(t.counties)]
	case i%4 == 1:
		return t.townships[(i/4)%len(t.townships)]
	}
	return t.villages[(i*7/10)%len(t.villages)]
}

func (p *people) addStaff(i int, o *rbac.OrgUnit, hash string, now time.Time) {
	id := int64(i + 1)
	idNo := idNumber(i)
	st := &rbac.Staff{ID: id, EmpNo: fmt.Sprintf("E%06d", id), Name: personName(i), IDNumber: &idNo,
		Phone: fmt.Sprintf("138%08d", i), OrgID: o.ID, Position: "综合窗口受理",
		EmploymentType: employment[i%len(employment)], Education: rbac.EducationLevels[2+i%3],
		Active: true, CreatedAt: now, UpdatedAt: now}
	u := &rbac.User{ID: id, Username: fmt.Sprintf("e%06d", id), DisplayName: st.Name, PasswordHash: hash,
		StaffID: &st.ID, Active: true, CreatedAt: now, UpdatedAt: now}
	p.staff = append(p.staff, st)
	p.users = append(p.users, u)
	p.grants = append(p.grants, &rbac.Grant{ID: id, UserID: id, Role: rbac.RoleTrainee, OrgID: o.ID, CreatedAt: now})
}

func (p *people) addHR(o *rbac.OrgUnit, hash string, now time.Time) {
	id := int64(len(p.users) + 1)
	role, name := rbac.RoleHR, fmt.Sprintf("hr.u%d", o.ID)
	if o.ParentID == nil {
		role, name = rbac.RoleAdmin, "admin"
	}
	u := &rbac.User{ID: id, Username: name, DisplayName: o.Name + "人事", PasswordHash: hash,
		Active: true, CreatedAt: now, UpdatedAt: now}
	p.users = append(p.users, u)
	p.grants = append(p.grants, &rbac.Grant{ID: int64(len(p.grants) + 1), UserID: id, Role: role, OrgID: o.ID, CreatedAt: now})
	p.hr[o.ID] = u
}

func personName(i int) string {
	return string(surnames[i%len(surnames)]) + given[(i/len(surnames))%len(given)]
}

// idNumber makes a distinct, valid 18-character resident ID for person i.
func idNumber(i int) string {
	birth := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%12000)
	body := fmt.Sprintf("530102%s%03d", birth.Format("20060102"), (i/12000)%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k, w := range weights {
		sum += int(body[k]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}
