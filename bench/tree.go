package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"clerkskill/rbac"
)

// tree is the planned org tree, ids assigned in insertion order from 1, paths filled the
// way rbac does it ("/1/7/42/": the ids from the root).
type tree struct {
	all                                   []*rbac.OrgUnit
	province                              *rbac.OrgUnit
	cities, counties, townships, villages []*rbac.OrgUnit
	children                              map[int64][]*rbac.OrgUnit
}

// planTree lays out n units: one province, n/1000 cities, 10 counties per city, 10
// townships per county and the rest as villages spread evenly over the townships.
func planTree(n int, now time.Time) *tree {
	t := &tree{children: map[int64][]*rbac.OrgUnit{}}
	t.province = t.add(nil, rbac.TierProvince, "云川省政务服务管理办公室", now)
	for c := 0; c < max(1, n/1000); c++ {
		city := t.add(t.province, rbac.TierCity, fmt.Sprintf("第%d市政务服务管理局", c+1), now)
		t.cities = append(t.cities, city)
		for k := 0; k < 10; k++ {
			county := t.add(city, rbac.TierCounty, fmt.Sprintf("%s第%d县政务服务中心", strings.TrimSuffix(city.Name, "政务服务管理局"), k+1), now)
			t.counties = append(t.counties, county)
			for w := 0; w < 10; w++ {
				t.townships = append(t.townships, t.add(county, rbac.TierTownship, fmt.Sprintf("%s第%d镇便民服务中心", strings.TrimSuffix(county.Name, "政务服务中心"), w+1), now))
			}
		}
	}
	for i := 0; len(t.all) < n; i++ {
		town := t.townships[i%len(t.townships)]
		t.villages = append(t.villages, t.add(town, rbac.TierVillage, fmt.Sprintf("%s第%d村便民服务站", strings.TrimSuffix(town.Name, "便民服务中心"), i/len(t.townships)+1), now))
	}
	return t
}

func (t *tree) add(parent *rbac.OrgUnit, tier rbac.Tier, name string, now time.Time) *rbac.OrgUnit {
	id := int64(len(t.all) + 1)
	o := &rbac.OrgUnit{ID: id, Tier: tier, Code: "U" + strconv.FormatInt(id, 10), Name: name,
		Path: "/", Active: true, CreatedAt: now, UpdatedAt: now}
	if parent != nil {
		o.ParentID, o.Path, o.Depth = &parent.ID, parent.Path, parent.Depth+1
		t.children[parent.ID] = append(t.children[parent.ID], o)
	}
	o.Path += strconv.FormatInt(id, 10) + "/"
	t.all = append(t.all, o)
	return o
}

// subtree returns the unit and everything under it.
func (t *tree) subtree(o *rbac.OrgUnit) []*rbac.OrgUnit {
	out := []*rbac.OrgUnit{o}
	for _, c := range t.children[o.ID] {
		out = append(out, t.subtree(c)...)
	}
	return out
}
