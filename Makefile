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

# Every fuzz target, one after another, each for FUZZTIME (make fuzz FUZZTIME=30s).
# FUZZMINTIME bounds minimising each input that finds new code (Go's default is 60 s,
# during which a worker runs no new inputs).
FUZZTIME ?= 10s
FUZZMINTIME ?= 2s
FUZZ_TARGETS := \
	./exams/bank:FuzzParseAiken ./exams/bank:FuzzParseGIFT ./exams/bank:FuzzParseWorkbook \
	./exams/bank:FuzzParseWorkbookBytes ./exams:FuzzParseStandard ./exams:FuzzParseWeightWorkbook \
	./curriculum:FuzzRenderMarkdown ./exports:FuzzReadTable ./exports:FuzzReadParts ./exports:FuzzTableRoundTrip \
	./exports/pay:FuzzParseRatings ./exports/pay:FuzzParseWorkload ./exports/sheets:FuzzRosterParse

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; name=$${t##*:}; echo "== fuzz $$name in $$pkg for $(FUZZTIME)"; \
	  $(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINTIME) $$pkg; \
	done

bench:
	bash bench/run.sh
