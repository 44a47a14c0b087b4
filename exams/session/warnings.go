package session

import (
	"fmt"
	"sort"

	"clerkskill/exams"
)

// Warnings lists where a session falls short of the standard's ratios: invigilators per
// room, the 综合评审 panel, assessors for marked parts, and durations below the minimum.
// They warn; scheduling goes ahead.
func Warnings(std *exams.Standard, ss *Session, cands []*Candidate, staff []*StaffMember) []string {
	var out []string
	out = append(out, roomWarnings(std, cands, staff)...)
	assessors := 0
	for _, m := range staff {
		if m.Role == RoleAssessor {
			assessors++
		}
	}
	lv := std.Level(ss.Level)
	for _, p := range ss.Parts {
		if lv != nil {
			if sp := lv.Part(p.Kind); sp != nil && p.DurationMinutes < sp.MinMinutes {
				out = append(out, fmt.Sprintf("%s时长 %d 分钟，低于标准要求的 %d 分钟", p.Label(), p.DurationMinutes, sp.MinMinutes))
			}
		}
		switch {
		case p.Kind == exams.PartReview && (assessors < std.ReviewPanel.MinMembers || (std.ReviewPanel.Odd && assessors%2 == 0)):
			out = append(out, fmt.Sprintf("综合评审须由不少于 %d 名考评员组成%s评审组，现有 %d 名", std.ReviewPanel.MinMembers, oddWord(std.ReviewPanel.Odd), assessors))
		case p.Kind == exams.PartSkill && assessors == 0:
			out = append(out, "技能考核需要考评员评分，尚未指定考评员")
		}
	}
	return out
}

func oddWord(odd bool) string {
	if odd {
		return "的单数"
	}
	return "的"
}

// roomWarnings checks each room's invigilators against the standard: invigilators without
// a room count for no room in particular, so they only help the unassigned candidates.
func roomWarnings(std *exams.Standard, cands []*Candidate, staff []*StaffMember) []string {
	perRoom, inv := map[string]int{}, map[string]int{}
	for _, c := range cands {
		perRoom[c.Room]++
	}
	for _, m := range staff {
		if m.Role == RoleInvigilator {
			inv[m.Room]++
		}
	}
	rooms := make([]string, 0, len(perRoom))
	for r := range perRoom {
		rooms = append(rooms, r)
	}
	sort.Strings(rooms)
	var out []string
	for _, r := range rooms {
		need := std.Invigilation.Invigilators(perRoom[r])
		if have := inv[r]; have < need {
			out = append(out, fmt.Sprintf("%s：考生 %d 人，按标准需监考员至少 %d 人，现有 %d 人", roomName(r), perRoom[r], need, have))
		}
	}
	return out
}

func roomName(r string) string {
	if r == "" {
		return "未分配考场"
	}
	return "考场“" + r + "”"
}
