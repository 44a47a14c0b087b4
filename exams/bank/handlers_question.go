package bank

import "clerkskill/app/web"

// questionRoutes registers the authoring pages and API: list, show, create, edit, retire.
func (h *Handler) questionRoutes(r *web.Router) {
}
