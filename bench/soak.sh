#!/usr/bin/env bash
# bench/soak.sh — a mixed workload for SOAK_SECONDS against danvan on the
# full demo database, at the rate a closed loop of SOAK_CONCURRENCY
# clients gets out of it: public reading (home, units, tracking pages),
# submissions through the public form (with CSRF), staff work (queues, case
# pages, notes; signed in once per province) and search (/cases?q=,
# /units?q=), plus the JSON API.  The load generator is bench/soak.mjs.
#
# Reports throughput, p50/p99 per kind of request, every error (any answer
# that is not 2xx/3xx: must be 0) and the server's VmRSS every 10 s with a
# verdict: flat when the peak of the last third of the run is within 10 %
# of the peak of the first third after the warm-up.  Writes the results
# into docs/reliability.md under "## Soak" (that section only: from its
# heading to the next "## ").  Exits 1 when there were errors or memory grew.
#
# Usage: bench/soak.sh           (from anywhere; run `make` first)
# Environment:
#   DANVAN_BIN         the binary                       (default build/danvan)
#   SOAK_SECONDS       how long                         (default 600)
#   SOAK_CONCURRENCY   clients in the closed loop       (default 24)
#   SOAK_OUT           the markdown file                (default docs/reliability.md)
#   SOAK_WRITE=0       do not write the markdown file
#
# The server runs on a copy of build/soak/demo.db (made once with
# `danvan demo`, 5,000 cases) in a temp dir, on a free loopback port, with
# its background jobs on as in production; both are removed on exit.
# Citizens come from loopback addresses 127.0.100.1–250 (the public form
# and tracking pages are rate limited per address).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BIN=$(realpath "${DANVAN_BIN:-$ROOT/build/danvan}")
SECONDS_=${SOAK_SECONDS:-600}
CONC=${SOAK_CONCURRENCY:-24}
OUT=${SOAK_OUT:-$ROOT/docs/reliability.md}
SOAK_DIR=$ROOT/build/soak

die() { echo "bench/soak.sh: $*" >&2; exit 2; }
for tool in node sqlite3; do command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"; done
[ -x "$BIN" ] || die "$BIN not found: run 'make' first"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/danvan-soak.XXXXXX")
DANVAN_PID=
cleanup() {
	local status=$?
	if [ -n "$DANVAN_PID" ]; then kill "$DANVAN_PID" 2>/dev/null && wait "$DANVAN_PID" 2>/dev/null; fi
	rm -rf "$TMP"
	exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the database: the full demo, made once per binary ---------------------------
mkdir -p "$SOAK_DIR"
if [ ! -s "$SOAK_DIR/demo.db" ] || [ "$BIN" -nt "$SOAK_DIR/demo.db" ]; then
	echo "creating the demo database $SOAK_DIR/demo.db"
	rm -f "$SOAK_DIR"/demo.db*
	DANVAN_FAST_HASH=1 DANVAN_JOBS_INTERVAL=-1 "$BIN" --db "$SOAK_DIR/demo.db.tmp" --data "$ROOT/data" demo >/dev/null
	mv "$SOAK_DIR/demo.db.tmp" "$SOAK_DIR/demo.db"
	[ -f "$SOAK_DIR/demo.db.tmp.vault-demo.key" ] && mv "$SOAK_DIR/demo.db.tmp.vault-demo.key" "$SOAK_DIR/demo.db.vault-demo.key"
fi
cp "$SOAK_DIR/demo.db" "$TMP/danvan.db"
CASES0=$(sqlite3 "$TMP/danvan.db" 'SELECT count(*) FROM cases')

# ---- the server ------------------------------------------------------------------------
# The access log (a line a request) is only counted, by status, not kept.
"$BIN" --db "$TMP/danvan.db" --listen 127.0.0.1:0 serve --port-file "$TMP/port" \
	2> >(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^status=/) { s[substr($i, 8)]++ } }
		/level=(warn|error)/ && n++ < 20 { print > "/dev/stderr" }
		/ msg=memory / { print > "'"$TMP/memory.log"'" }
		END { for (k in s) print k, s[k] }' >"$TMP/statuses") &
DANVAN_PID=$!
for _ in $(seq 1 200); do
	grep -qE '^[0-9]+$' "$TMP/port" 2>/dev/null && break
	kill -0 "$DANVAN_PID" 2>/dev/null || die "danvan serve exited"
	sleep 0.05
done
PORT=$(cat "$TMP/port" 2>/dev/null) || die "danvan wrote no port"

# ---- the load ----------------------------------------------------------------------------
echo "soak: $SECONDS_ s, $CONC clients, http://127.0.0.1:$PORT/ (pid $DANVAN_PID)"
DANVAN_BIN=$BIN node "$ROOT/bench/soak.mjs" --base "http://127.0.0.1:$PORT" --pid "$DANVAN_PID" \
	--db "$TMP/danvan.db" --seconds "$SECONDS_" --concurrency "$CONC" --out "$TMP/results.json"
CASES1=$(sqlite3 "$TMP/danvan.db" 'SELECT count(*) FROM cases')
kill "$DANVAN_PID"
wait "$DANVAN_PID" && SERVER_EXIT=0 || SERVER_EXIT=$?
DANVAN_PID=
sleep 0.5 # the log counter finishes
STATUSES=$(sort -n "$TMP/statuses" | awk '{ printf "%s%s: %s", (NR > 1 ? ", " : ""), $1, $2 }')
CHECK=$("$BIN" --db "$TMP/danvan.db" check 2>&1 | tail -n 1) || CHECK="FAILED: $CHECK"
cp "$TMP/results.json" "$SOAK_DIR/results.json"

R=$(node "$ROOT/bench/soak.mjs" --render "$TMP/results.json")
field() { node -e 'const r = JSON.parse(process.argv[1]); process.stdout.write(String(r[process.argv[2]]))' "$R" "$1"; }
echo
field table; echo; echo
field memory; echo; echo
field verdict; echo
field cpu; echo
echo "server: exit $SERVER_EXIT; statuses in its access log: $STATUSES; danvan check: $CHECK"
# The server's own account of its memory, once a minute (jobs' msg=memory):
# SQLite's page caches against their budget, malloc's bytes in use and free.
MIB() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
memfield() { sed -n "$1p" "$TMP/memory.log" 2>/dev/null | tr ' ' '\n' | sed -n "s/^$2=//p"; }
if [ -s "$TMP/memory.log" ]; then
	NMEM=$(wc -l <"$TMP/memory.log")
	MEMORY_NOTE="Inside the server (its msg=memory log line, $NMEM samples): SQLite's page caches $(MIB "$(memfield 1 sqlite_bytes)") MiB at the first sample and $(MIB "$(memfield '$' sqlite_bytes)") MiB at the last (peak $(MIB "$(memfield '$' sqlite_peak_bytes)") MiB, budget 48 MiB); malloc in use $(MIB "$(memfield 1 malloc_in_use_bytes)") → $(MIB "$(memfield '$' malloc_in_use_bytes)") MiB, kept free $(MIB "$(memfield 1 malloc_free_bytes)") → $(MIB "$(memfield '$' malloc_free_bytes)") MiB."
else
	MEMORY_NOTE="(the server logged no msg=memory line)"
fi
echo "$MEMORY_NOTE"
ERRORS=$(field errors)
[ -n "$ERRORS" ] && { echo "errors:"; echo "$ERRORS"; }
OK=$(field ok)
[ "$SERVER_EXIT" = 0 ] || OK=false

# ---- docs/reliability.md -------------------------------------------------------------------
if [ "${SOAK_WRITE:-1}" != 0 ]; then
	CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || uname -m)
	CORES=$(nproc 2>/dev/null || echo '?')
	MEM=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo '?')
	SECTION=$TMP/section.md
	{
		echo '## Soak'
		echo
		echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') with \`bench/soak.sh\`: $(field seconds) s, a closed loop of $CONC clients"
		echo "on the same machine as the server ($CPU, $CORES cores, $MEM, $(uname -sr)),"
		echo "$("$BIN" version) (\`$(realpath --relative-to="$ROOT" "$BIN" 2>/dev/null || echo "$BIN")\`, the default pool of eight worker threads per core and 48 MiB of SQLite page cache, background jobs on),"
		echo "on a copy of the full demo database ($CASES0 cases at the start, $CASES1 at the end)."
		echo
		echo "Mix: public reading (home, units, tracking pages by code), submissions through the"
		echo "public form with its CSRF token, staff work (the 7 provinces' handling officers,"
		echo "signed in once: queues, case pages, notes), search, and the JSON API. Citizens come"
		echo "from 250 loopback addresses, each within its rate limit (30 a minute per route)."
		echo "Every answer that is not 2xx/3xx counts as an error. Throughput here is what one"
		echo "node process driving the load gets while sharing the cores with the server: a"
		echo "floor for the server, not its capacity."
		echo
		field table; echo
		echo
		echo "Verdict: $(field verdict)"
		echo
		echo "$MEMORY_NOTE"
		echo
		echo "CPU: $(field cpu). A load average above the core count means other"
		echo "work shared the machine during the run, and the latencies above include that wait."
		echo "The server exited with status $SERVER_EXIT; its access log counted $STATUSES;"
		echo "\`danvan check\` afterwards: $CHECK."
		if [ -n "$ERRORS" ]; then echo; echo "Errors:"; echo; echo "$ERRORS"; fi
		echo
		echo "Memory (VmRSS of the server process, sampled every 10 s):"
		echo
		field memory; echo
		echo
		echo "To run it: \`make && bench/soak.sh\` (SOAK_SECONDS, SOAK_CONCURRENCY to change the run)."
		echo
	} >"$SECTION"
	mkdir -p "$(dirname "$OUT")"
	[ -f "$OUT" ] || printf '# Reliability\n\nHow danvan holds up over time and under stress: soak runs, memory, memory checkers.\n\n' >"$OUT"
	# Replace "## Soak" up to the next "## " heading (or the end), else append.
	awk -v f="$SECTION" '
		/^## Soak[[:space:]]*$/ { while ((getline l < f) > 0) print l; skip = 1; done = 1; next }
		skip && /^## / { skip = 0 }
		!skip { print }
		END { if (!done) { while ((getline l < f) > 0) print l } }' "$OUT" >"$TMP/out.md"
	cat "$TMP/out.md" >"$OUT"
	echo "written: ${OUT#"$ROOT"/}"
fi
[ "$OK" = true ] || { echo "bench/soak.sh: FAILED (errors, memory growth or server exit)" >&2; exit 1; }
