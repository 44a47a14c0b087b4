package web

import "github.com/gofiber/fiber/v2"

// Guard is the access rule in front of a route; every route names one, even "public".
type Guard interface {
	Handle(c *fiber.Ctx) error
	// Rule describes the guard for the route table, e.g. "staff:write" or "public".
	Rule() string
}

// Route is one entry of the route table, kept so tests can walk every route and guard.
type Route struct {
	Method string
	Path   string
	Rule   string
}

// Router registers routes with their guard and records them in a table.
type Router struct {
	r      fiber.Router
	prefix string
	table  *[]Route
}

// NewRouter wraps a fiber router; routes registered through it land in table.
func NewRouter(r fiber.Router, table *[]Route) *Router { return &Router{r: r, table: table} }

// Group returns a router under prefix that shares the table.
func (rt *Router) Group(prefix string) *Router {
	return &Router{r: rt.r.Group(prefix), prefix: rt.prefix + prefix, table: rt.table}
}

func (rt *Router) add(method, path string, g Guard, h fiber.Handler) {
	*rt.table = append(*rt.table, Route{Method: method, Path: rt.prefix + path, Rule: g.Rule()})
	rt.r.Add(method, path, g.Handle, h)
}

// Get registers a GET route.
func (rt *Router) Get(path string, g Guard, h fiber.Handler) { rt.add(fiber.MethodGet, path, g, h) }

// Post registers a POST route.
func (rt *Router) Post(path string, g Guard, h fiber.Handler) { rt.add(fiber.MethodPost, path, g, h) }

// Patch registers a PATCH route.
func (rt *Router) Patch(path string, g Guard, h fiber.Handler) { rt.add(fiber.MethodPatch, path, g, h) }

// Put registers a PUT route.
func (rt *Router) Put(path string, g Guard, h fiber.Handler) { rt.add(fiber.MethodPut, path, g, h) }

// Delete registers a DELETE route.
func (rt *Router) Delete(path string, g Guard, h fiber.Handler) {
	rt.add(fiber.MethodDelete, path, g, h)
}
