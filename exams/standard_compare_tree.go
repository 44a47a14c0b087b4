package exams

import (
	"fmt"
	"strings"
)

// treeItem is a node or requirement flattened for comparison.
type treeItem struct {
	kind, text, levels string
}

// flattenTree maps every code in the tree to what it says, in tree order.
func flattenTree(s *Standard) (codes []string, items map[string]treeItem) {
	items = map[string]treeItem{}
	put := func(code string, it treeItem) {
		if _, dup := items[code]; !dup {
			codes = append(codes, code)
		}
		items[code] = it
	}
	s.Walk(func(n *Node, _ int) {
		put(n.Code, treeItem{DiffNode, n.Name, levelsText(n.Levels)})
		for _, r := range n.Skills {
			put(r.Code, treeItem{DiffRequirement, "技能要求：" + r.Text, levelsText(r.Levels)})
		}
		for _, r := range n.Knowledge {
			put(r.Code, treeItem{DiffRequirement, "相关知识要求：" + r.Text, levelsText(r.Levels)})
		}
	})
	return codes, items
}

func levelsText(levels []int) string {
	if len(levels) == 0 {
		return "全部等级"
	}
	names := make([]string, len(levels))
	for i, l := range levels {
		names[i] = LevelName(l)
	}
	return strings.Join(names, "、")
}

// compareTree reports nodes and requirements added, removed, renamed or moved between levels.
func compareTree(d *differ, a, b *Standard) {
	codesA, itemsA := flattenTree(a)
	codesB, itemsB := flattenTree(b)
	for _, code := range append(codesA, codesB...) {
		ia, inA := itemsA[code]
		ib, inB := itemsB[code]
		if !inA && !inB {
			continue // already reported
		}
		delete(itemsA, code)
		delete(itemsB, code)
		compareTreeItem(d, code, ia, ib, inA, inB)
	}
}

func compareTreeItem(d *differ, code string, a, b treeItem, inA, inB bool) {
	kind := b.kind
	if !inB {
		kind = a.kind
	}
	diff := Difference{Kind: kind, Code: code, Field: "text"}
	if inA {
		diff.Old = a.text
	}
	if inB {
		diff.New = b.text
	}
	d.add(diff, "代码 "+code)
	if inA && inB {
		lv := Difference{Kind: kind, Code: code, Field: "levels", Old: a.levels, New: b.levels}
		d.add(lv, fmt.Sprintf("代码 %s 适用等级", code))
	}
}
