package bank

import "clerkskill/app/web"

// transferRoutes registers import (Excel template, Aiken, GIFT) and export.
func (h *Handler) transferRoutes(r *web.Router) {
}
