# The README's two commands: `make run` (or go run ./cmd/clerkskill serve --demo) and `make test`.
GO ?= go
PKGS := ./...

.PHONY: run build test test-short vet fmt bench fuzz

run:
	$(GO) run ./cmd/clerkskill serve --demo

build:
	$(GO) build -o bin/clerkskill ./cmd/clerkskill

# Every store test runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set.
test: vet
	$(GO) test -count=1 -timeout 20m $(PKGS)

test-short:
	$(GO) test -short -count=1 $(PKGS)

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

bench:
	bash bench/run.sh
