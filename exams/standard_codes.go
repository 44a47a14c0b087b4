package exams

import (
	"slices"
	"strings"
)

// Within reports whether code lies in the branch with code branch. Codes are dotted
// paths ("2.1.3" lies in "2.1" and in "2"), so membership is a prefix test.
func Within(code, branch string) bool {
	return code == branch || strings.HasPrefix(code, branch+".")
}

// CodeAt reports whether code names a tree node or requirement of the standard, and
// whether it is examined at level (it and every branch above it apply there).
func (s *Standard) CodeAt(code string, level int) (known, applies bool) {
	applies = true
	nodes := s.Tree
	for {
		n := childContaining(nodes, code)
		if n == nil {
			return false, false
		}
		applies = applies && n.AppliesTo(level)
		if n.Code == code {
			return true, applies
		}
		if r := requirement(n, code); r != nil {
			return true, applies && (len(r.Levels) == 0 || slices.Contains(r.Levels, level))
		}
		nodes = n.Children
	}
}

func childContaining(nodes []Node, code string) *Node {
	for i := range nodes {
		if Within(code, nodes[i].Code) {
			return &nodes[i]
		}
	}
	return nil
}

func requirement(n *Node, code string) *Requirement {
	for _, list := range [][]Requirement{n.Skills, n.Knowledge} {
		for i := range list {
			if list[i].Code == code {
				return &list[i]
			}
		}
	}
	return nil
}

// BranchName returns the name of the tree node with code, or "" when there is none.
func (s *Standard) BranchName(code string) string {
	if n := s.Node(code); n != nil {
		return n.Name
	}
	return ""
}
