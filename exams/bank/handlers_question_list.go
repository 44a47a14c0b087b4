package bank

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"clerkskill/app/web"
	"clerkskill/rbac"
)

// questionQuery is the list's query string, shared by the page and the API.
type questionQuery struct {
	Type       string `query:"type"`
	Level      int    `query:"level"`
	Code       string `query:"code"`
	Difficulty int    `query:"difficulty"`
	Pool       string `query:"pool"`
	Status     string `query:"status"`
	Q          string `query:"q"`
	Offset     int    `query:"offset"`
	Limit      int    `query:"limit"`
}

// questionFilter reads the query into a store filter limited to the caller's read scope.
func questionFilter(c *fiber.Ctx) (Filter, questionQuery, error) {
	var q questionQuery
	if err := c.QueryParser(&q); err != nil {
		return Filter{}, q, web.Errorf(web.EINVALID, "查询参数无效")
	}
	q.Type, q.Code, q.Pool = strings.Clone(q.Type), strings.Clone(q.Code), strings.Clone(q.Pool)
	q.Status, q.Q = strings.Clone(q.Status), strings.Clone(strings.TrimSpace(q.Q))
	if err := q.validate(); err != nil {
		return Filter{}, q, err
	}
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	q.Offset = max(q.Offset, 0)
	f := Filter{OwnerScope: rbac.ScopeOf(c, "question", "read"), Type: Type(q.Type), Level: q.Level, Code: q.Code,
		Difficulty: q.Difficulty, Pool: Pool(q.Pool), Status: q.Status, Query: q.Q, Offset: q.Offset, Limit: q.Limit}
	return f, q, nil
}

// validate refuses filter values that name nothing, so a typo is not an empty list.
func (q questionQuery) validate() error {
	f := map[string]string{}
	if q.Type != "" && Type(q.Type).Label() == "" {
		f["type"] = "题型无效"
	}
	if q.Level < 0 || q.Level > 5 {
		f["level"] = "等级须为1至5"
	}
	if q.Difficulty < 0 || q.Difficulty > 5 {
		f["difficulty"] = "难度须为1至5"
	}
	if q.Pool != "" && Pool(q.Pool).Label() == "" {
		f["pool"] = "题池须为 exam、practice 或 both"
	}
	if q.Status != "" && q.Status != StatusActive && q.Status != StatusRetired {
		f["status"] = "状态须为 active 或 retired"
	}
	return web.Invalid(f)
}

// encode is the query string of the filter without paging, for the pager's links.
func (q questionQuery) encode() string {
	v := url.Values{}
	for k, x := range map[string]string{"type": q.Type, "code": q.Code, "pool": q.Pool, "status": q.Status, "q": q.Q} {
		if x != "" {
			v.Set(k, x)
		}
	}
	for k, n := range map[string]int{"level": q.Level, "difficulty": q.Difficulty} {
		if n > 0 {
			v.Set(k, strconv.Itoa(n))
		}
	}
	if q.Limit != 50 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	return v.Encode()
}

// Filtered reports whether any filter is set, to offer clearing them.
func (q questionQuery) Filtered() bool {
	return q.Type != "" || q.Level > 0 || q.Code != "" || q.Difficulty > 0 || q.Pool != "" || q.Status != "" || q.Q != ""
}

type questionListPage struct {
	Questions []*Question
	Pager     web.Pager
	Filter    questionQuery
	Types     []Type
	Levels    []levelOption
	Branches  []codeOption
	CanAdd    bool
}

func (h *Handler) listQuestions(c *fiber.Ctx) error {
	f, q, err := questionFilter(c)
	if err != nil {
		return err
	}
	list, total, err := h.store.FindQuestions(c.UserContext(), f)
	if err != nil {
		return err
	}
	if err := h.store.FillOwners(c.UserContext(), list); err != nil {
		return err
	}
	std, err := h.store.Standard(c.UserContext())
	if err != nil {
		return err
	}
	data := questionListPage{Questions: list, Filter: q, Types: Types, Levels: levelOptions(LevelsOf(q.Level)),
		Branches: codeOptions(std, false), CanAdd: h.canAdd(c),
		Pager: web.Pager{Offset: q.Offset, Limit: q.Limit, Total: total, Query: q.encode()}}
	return h.render(c, fiber.StatusOK, "question_list", "题库", data)
}

// questionList is the API's page of questions.
type questionList struct {
	Items  []*Question `json:"items"`
	Total  int         `json:"total"`
	Offset int         `json:"offset"`
	Limit  int         `json:"limit"`
}

func (h *Handler) apiListQuestions(c *fiber.Ctx) error {
	f, q, err := questionFilter(c)
	if err != nil {
		return err
	}
	list, total, err := h.store.FindQuestions(c.UserContext(), f)
	if err != nil {
		return err
	}
	if err := h.store.FillOwners(c.UserContext(), list); err != nil {
		return err
	}
	if list == nil {
		list = []*Question{}
	}
	return c.JSON(questionList{Items: list, Total: total, Offset: q.Offset, Limit: q.Limit})
}
