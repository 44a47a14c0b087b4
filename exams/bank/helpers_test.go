package bank

import "clerkskill/app/web"

func fieldOf(err error, field string) bool {
	e, ok := err.(*web.Error)
	return ok && e.Fields[field] != ""
}
