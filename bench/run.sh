#!/usr/bin/env bash
# Runs every measurement of bench/: on SQLite, then on PostgreSQL when it answers.
# Extra arguments go to both runs, e.g. bench/run.sh -duration 20s.
# PG_URL names the server (default: local trust auth); the run creates and drops its own database.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}

# Vet and build both programs once, up front, from the committed HEAD (other work in progress in
# this tree is not measured) plus this bench/ directory as it is now.
REV=$(git rev-parse --short HEAD)
SRC=$(mktemp -d)
trap 'rm -rf "$SRC"' EXIT
git archive "$REV" | tar -x -C "$SRC"
rm -rf "$SRC/bench" && cp -r bench "$SRC/bench" && rm -rf "$SRC/bench/out"
mkdir -p bench/out
OUT=$(cd bench/out && pwd)
(cd "$SRC" && go vet ./bench/ && go build -o "$OUT/bench" ./bench && go build -o "$OUT/clerkskill" ./cmd/clerkskill)
set -- -bin bench/out/clerkskill -rev "$REV (committed tree) + bench/ as run" "$@"

echo "### SQLite: bench/out/bench $*"
bench/out/bench "$@"

if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
	echo
	echo "### PostgreSQL: bench/out/bench -pg \$PG_URL $*"
	bench/out/bench -pg "$PG_URL" "$@"
else
	echo "PostgreSQL is not reachable on 127.0.0.1:5432: skipped" \
		"(start it with: pg_ctlcluster --skip-systemctl-redirect 15 main start)"
fi
