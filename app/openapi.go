package app

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/gofiber/fiber/v2"
	"go.yaml.in/yaml/v3"

	"clerkskill/curriculum"
	"clerkskill/curriculum/training"
	"clerkskill/exams"
	"clerkskill/exams/bank"
	"clerkskill/exams/certify"
	"clerkskill/exams/competency"
	"clerkskill/exams/marking"
	"clerkskill/exams/paper"
	"clerkskill/exams/practice"
	"clerkskill/exams/session"
	"clerkskill/exports/pay"
	"clerkskill/exports/sheets"
	"clerkskill/rbac"
)

//go:embed openapi.yaml
var openAPIBase []byte

// openAPIFragments are the packages' own path documents, merged into the base.
func openAPIFragments() [][]byte {
	return [][]byte{rbac.OpenAPI, exams.OpenAPI, bank.OpenAPI, paper.OpenAPI, practice.OpenAPI, session.OpenAPI, marking.OpenAPI, curriculum.OpenAPI, training.OpenAPI,
		certify.OpenAPI, certify.ApplyOpenAPI, competency.OpenAPI, pay.OpenAPI, sheets.OpenAPI}
}

var openAPIDoc = sync.OnceValues(buildOpenAPI)

// OpenAPIDocument returns the merged OpenAPI 3 document as JSON.
func OpenAPIDocument() ([]byte, error) { return openAPIDoc() }

func buildOpenAPI() ([]byte, error) {
	var doc map[string]any
	if err := yaml.Unmarshal(openAPIBase, &doc); err != nil {
		return nil, fmt.Errorf("openapi base: %w", err)
	}
	paths := map[string]any{}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for i, frag := range openAPIFragments() {
		var f struct {
			Paths   map[string]any `yaml:"paths"`
			Schemas map[string]any `yaml:"schemas"`
		}
		if err := yaml.Unmarshal(frag, &f); err != nil {
			return nil, fmt.Errorf("openapi fragment %d: %w", i, err)
		}
		for k, v := range f.Paths {
			paths[k] = v
		}
		for k, v := range f.Schemas {
			schemas[k] = v
		}
	}
	doc["paths"] = paths
	return json.Marshal(doc)
}

func (s *Server) openAPI(c *fiber.Ctx) error {
	b, err := OpenAPIDocument()
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(b)
}
