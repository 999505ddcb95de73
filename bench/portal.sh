#!/usr/bin/env bash
# bench/portal.sh — the public portal's two most read pages against nginx.
#
# In one run, with wrk, anonymous (no cookie, so both pages come from
# danvan's in-memory page cache, re-rendered after any write or every few
# seconds):
#   danvan /             the portal's home page
#   danvan /tin/<slug>   an article page (the source document's regional
#                        briefing: four figures, feedback, "Các tin khác")
#   nginx  /home.html    the same bytes as danvan's home page, a static file
#   nginx  /article.html the same bytes as the article page, a static file
# and writes requests/s, p50 and p99 with the ratios danvan/nginx against
# the targets (requests/s ≥ 1.0× nginx's, p99 ≤ 2× nginx's) into
# docs/performance.md, between <!-- bench/portal.sh --> and
# <!-- /bench/portal.sh -->.  Exits 1 when a target is missed.
#
# Rounds: on a small shared machine one wrk run of nginx differs from the
# next by ±15 %, so a single pair of runs could put the ratio on either
# side of 1.0.  The four runs are repeated ROUNDS times, interleaved (danvan
# home, nginx home, danvan article, nginx article), the ratio is taken in
# each round (the two runs of a pair are seconds apart), and the verdict
# is on the median round; every round's ratio is written out too.
#
# Usage: bench/portal.sh        (from anywhere; run `make` first)
# Environment:
#   DANVAN_BIN   the binary              (default build/danvan)
#   WRK_THREADS  wrk -t                  (default 2)
#   WRK_CONNS    wrk -c                  (default 50)
#   WRK_DURATION wrk -d                  (default 5s, per run)
#   ROUNDS       rounds of the four runs (default 5)
#   NGINX        the nginx binary        (default: nginx on PATH, or /usr/sbin/nginx)
#   BENCH_OUT    the markdown file       (default docs/performance.md)
#   BENCH_WRITE=0  do not write the markdown file
#
# The demo database is build/bench/portal.db (made once with `danvan demo
# --cases 1000`, which includes the demo's news).  Both servers listen on
# free loopback ports; nginx runs as this user from a config, pid file, logs
# and temp paths inside a temp dir that is removed on exit, as are both
# processes.  wrk sends no User-Agent, so its requests are not counted as
# article views (views.h): the runs write nothing to the database.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BIN=${DANVAN_BIN:-$ROOT/build/danvan}
THREADS=${WRK_THREADS:-2}
CONNS=${WRK_CONNS:-50}
DURATION=${WRK_DURATION:-5s}
ROUNDS=${ROUNDS:-5}
OUT=${BENCH_OUT:-$ROOT/docs/performance.md}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
BENCH_DIR=$ROOT/build/bench
DB=$BENCH_DIR/portal.db

die() { echo "bench/portal.sh: $*" >&2; exit 2; }
for tool in wrk curl sqlite3 "$NGINX"; do
	command -v "$tool" >/dev/null 2>&1 || [ -x "$tool" ] || die "$tool is not installed"
done
[ -x "$BIN" ] || die "$BIN not found: run 'make' first"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/danvan-portal-bench.XXXXXX")
DANVAN_PID= NGINX_PID=
cleanup() {
	local status=$?
	[ -n "$DANVAN_PID" ] && kill "$DANVAN_PID" 2>/dev/null && wait "$DANVAN_PID" 2>/dev/null
	[ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
	rm -rf "$TMP"
	exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- danvan on the demo database ------------------------------------------------
mkdir -p "$BENCH_DIR"
articles() { sqlite3 "$DB" "SELECT count(*) FROM article WHERE status = 'published'" 2>/dev/null || echo 0; }
if [ ! -s "$DB" ] || [ "$(articles)" -lt 50 ]; then
	echo "creating the demo database $DB"
	rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.vault-demo.key"
	DANVAN_FAST_HASH=1 DANVAN_JOBS_INTERVAL=-1 "$BIN" --db "$DB" --data "$ROOT/data" demo --cases 1000 >/dev/null
	[ "$(articles)" -ge 50 ] || die "the demo made no news: is demo_articles part of 'danvan demo'?"
fi
SLUG=$(sqlite3 "$DB" "SELECT slug FROM article WHERE status = 'published' AND author = 'Hoàng Phong' ORDER BY publish_at LIMIT 1")
[ -n "$SLUG" ] || SLUG=$(sqlite3 "$DB" "SELECT slug FROM article WHERE status = 'published' ORDER BY publish_at DESC LIMIT 1")
# Background jobs off: nothing but the benchmark touches the database.
DANVAN_JOBS_INTERVAL=-1 "$BIN" --db "$DB" --listen 127.0.0.1:0 serve --port-file "$TMP/danvan.port" 2>"$TMP/danvan.log" &
DANVAN_PID=$!
for _ in $(seq 1 200); do
	grep -qE '^[0-9]+$' "$TMP/danvan.port" 2>/dev/null && break
	kill -0 "$DANVAN_PID" 2>/dev/null || { cat "$TMP/danvan.log" >&2; die "danvan serve exited"; }
	sleep 0.05
done
DANVAN_PORT=$(cat "$TMP/danvan.port" 2>/dev/null) || die "danvan wrote no port"
DANVAN=http://127.0.0.1:$DANVAN_PORT
HOME_PATH=/
ARTICLE_PATH=/tin/$SLUG

# ---- nginx serving the same bytes ---------------------------------------------------
mkdir -p "$TMP/www" "$TMP/nginx/logs" "$TMP/nginx/tmp"
# Run as root, nginx's workers drop to an unprivileged user: they must be
# able to reach the files (mktemp makes the dir 0700).
chmod 0755 "$TMP" "$TMP/www"
curl -fsS "$DANVAN$HOME_PATH" -o "$TMP/www/home.html" || die "cannot fetch danvan's home page"
curl -fsS "$DANVAN$ARTICLE_PATH" -o "$TMP/www/article.html" || die "cannot fetch $ARTICLE_PATH"
chmod 0644 "$TMP/www/"*.html
HOME_BYTES=$(wc -c <"$TMP/www/home.html")
ARTICLE_BYTES=$(wc -c <"$TMP/www/article.html")
for p in "$HOME_PATH" "$ARTICLE_PATH"; do
	curl -fsS -o /dev/null -D - "$DANVAN$p" | grep -qi '^etag:' ||
		die "$p is not answered from the page cache (no ETag): the comparison would not be like for like"
done

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
		node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start_nginx() {
	NGINX_PORT=$(free_port)
	cat >"$TMP/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $TMP/nginx/tmp/body;
	proxy_temp_path $TMP/nginx/tmp/proxy;
	fastcgi_temp_path $TMP/nginx/tmp/fastcgi;
	uwsgi_temp_path $TMP/nginx/tmp/uwsgi;
	scgi_temp_path $TMP/nginx/tmp/scgi;
	default_type text/html;
	charset utf-8;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 100000;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $TMP/www;
	}
}
EOF
	"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/logs/error.log" 2>>"$TMP/nginx/logs/stderr" &
	NGINX_PID=$!
	for _ in $(seq 1 100); do
		curl -fsS -o /dev/null "http://127.0.0.1:$NGINX_PORT/home.html" 2>/dev/null && return 0
		kill -0 "$NGINX_PID" 2>/dev/null || break
		sleep 0.05
	done
	kill "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null || true
	NGINX_PID=
	return 1
}
started=
for _ in 1 2 3; do
	if start_nginx; then started=1; break; fi
done
[ -n "$started" ] || { tail -n 20 "$TMP/nginx/logs/"* >&2; die "nginx did not start"; }
NGINX_URL=http://127.0.0.1:$NGINX_PORT
for f in home article; do
	curl -fsS "$NGINX_URL/$f.html" | cmp -s - "$TMP/www/$f.html" || die "nginx does not serve the same bytes ($f)"
done

# ---- measure ------------------------------------------------------------------------
# "1.23ms" / "850.00us" / "1.02s" → milliseconds
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000;
		printf "%.3f", n }'
}

# run NAME URL → "rps p50_ms p99_ms errors"
run() {
	local name=$1 url=$2 out
	echo "wrk -t$THREADS -c$CONNS -d$DURATION --latency $url" >&2
	out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$url")
	echo "$out" >"$TMP/wrk-$name.txt"
	local rps p50 p99 errors non2xx
	rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
	p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
	p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
	errors=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' <<<"$out")
	non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
	[ -n "$rps" ] && [ -n "$p99" ] || { echo "$out" >&2; die "could not read wrk's output for $name"; }
	echo "$rps $p50 $p99 $(( ${errors:-0} + ${non2xx:-0} ))"
}

# A short warm-up of each, so page caches (danvan's and the kernel's) are hot.
for u in "$DANVAN$HOME_PATH" "$DANVAN$ARTICLE_PATH" "$NGINX_URL/home.html" "$NGINX_URL/article.html"; do
	wrk -t1 -c4 -d1s "$u" >/dev/null
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
fmt_rps() { awk -v v="$1" 'BEGIN { printf "%.0f", v }'; }
# verdict RPS_RATIO P99_RATIO ERRORS → "met" / "missed"
verdict() { awk -v r="$1" -v p="$2" -v e="$3" 'BEGIN { print (r >= 1.0 && p <= 2.0 && e == 0) ? "met" : "missed" }'; }
# median V... → the middle value (the lower middle of an even count)
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Interleaved, so a drift of the machine affects both servers alike; each
# round gives one ratio per page (see Rounds above).
declare -a DH_RPS_R DH_P50_R DH_P99_R NH_RPS_R NH_P50_R NH_P99_R DA_RPS_R DA_P50_R DA_P99_R \
	NA_RPS_R NA_P50_R NA_P99_R H_RR_R H_PR_R A_RR_R A_PR_R
DH_ERR=0 NH_ERR=0 DA_ERR=0 NA_ERR=0
for ((round = 0; round < ROUNDS; round++)); do
	echo "round $((round + 1)) of $ROUNDS" >&2
	read -r a b c e <<<"$(run dv-home "$DANVAN$HOME_PATH")"
	DH_RPS_R+=("$a"); DH_P50_R+=("$b"); DH_P99_R+=("$c"); DH_ERR=$((DH_ERR + e))
	read -r a b c e <<<"$(run ng-home "$NGINX_URL/home.html")"
	NH_RPS_R+=("$a"); NH_P50_R+=("$b"); NH_P99_R+=("$c"); NH_ERR=$((NH_ERR + e))
	read -r a b c e <<<"$(run dv-article "$DANVAN$ARTICLE_PATH")"
	DA_RPS_R+=("$a"); DA_P50_R+=("$b"); DA_P99_R+=("$c"); DA_ERR=$((DA_ERR + e))
	read -r a b c e <<<"$(run ng-article "$NGINX_URL/article.html")"
	NA_RPS_R+=("$a"); NA_P50_R+=("$b"); NA_P99_R+=("$c"); NA_ERR=$((NA_ERR + e))
	H_RR_R+=("$(ratio "${DH_RPS_R[round]}" "${NH_RPS_R[round]}")")
	H_PR_R+=("$(ratio "${DH_P99_R[round]}" "${NH_P99_R[round]}")")
	A_RR_R+=("$(ratio "${DA_RPS_R[round]}" "${NA_RPS_R[round]}")")
	A_PR_R+=("$(ratio "${DA_P99_R[round]}" "${NA_P99_R[round]}")")
	echo "round $((round + 1)): home ${H_RR_R[round]}x (p99 ${H_PR_R[round]}x), article ${A_RR_R[round]}x (p99 ${A_PR_R[round]}x)" >&2
done
# The table: each target's median over the rounds.
DH_RPS=$(median "${DH_RPS_R[@]}"); DH_P50=$(median "${DH_P50_R[@]}"); DH_P99=$(median "${DH_P99_R[@]}")
NH_RPS=$(median "${NH_RPS_R[@]}"); NH_P50=$(median "${NH_P50_R[@]}"); NH_P99=$(median "${NH_P99_R[@]}")
DA_RPS=$(median "${DA_RPS_R[@]}"); DA_P50=$(median "${DA_P50_R[@]}"); DA_P99=$(median "${DA_P99_R[@]}")
NA_RPS=$(median "${NA_RPS_R[@]}"); NA_P50=$(median "${NA_P50_R[@]}"); NA_P99=$(median "${NA_P99_R[@]}")
# The verdict: the median of the per-round ratios.
H_RR=$(median "${H_RR_R[@]}"); H_PR=$(median "${H_PR_R[@]}")
A_RR=$(median "${A_RR_R[@]}"); A_PR=$(median "${A_PR_R[@]}")
H_V=$(verdict "$H_RR" "$H_PR" "$DH_ERR"); A_V=$(verdict "$A_RR" "$A_PR" "$DA_ERR")
ROUND_LINES=$(for ((i = 0; i < ROUNDS; i++)); do
	echo "| $((i + 1)) | $(fmt_rps "${DH_RPS_R[i]}") / $(fmt_rps "${NH_RPS_R[i]}") = ${H_RR_R[i]} | ${H_PR_R[i]} | $(fmt_rps "${DA_RPS_R[i]}") / $(fmt_rps "${NA_RPS_R[i]}") = ${A_RR_R[i]} | ${A_PR_R[i]} |"
done)

CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || uname -m)
CORES=$(nproc 2>/dev/null || echo '?')
MEM=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo '?')
LOAD=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
KERNEL=$(uname -sr)
NGINX_VERSION=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')
WRK_VERSION=$( (wrk -v 2>&1 || true) | awk 'NR == 1 {print $1, $2}')
DANVAN_VERSION=$("$BIN" version)
WHEN=$(date -u '+%Y-%m-%d %H:%M UTC')
NARTICLES=$(articles)

TABLE=$(cat <<EOF
| target | bytes | requests/s | p50 latency | p99 latency | errors |
|---|---:|---:|---:|---:|---:|
| danvan \`/\` (home page) | $HOME_BYTES | $(fmt_rps "$DH_RPS") | $DH_P50 ms | $DH_P99 ms | $DH_ERR |
| nginx, the same bytes as a static file | $HOME_BYTES | $(fmt_rps "$NH_RPS") | $NH_P50 ms | $NH_P99 ms | $NH_ERR |
| danvan \`/tin/…\` (article page) | $ARTICLE_BYTES | $(fmt_rps "$DA_RPS") | $DA_P50 ms | $DA_P99 ms | $DA_ERR |
| nginx, the same bytes as a static file | $ARTICLE_BYTES | $(fmt_rps "$NA_RPS") | $NA_P50 ms | $NA_P99 ms | $NA_ERR |
EOF
)
RATIOS=$(cat <<EOF
| danvan/nginx, median of $ROUNDS rounds | requests/s (target ≥ 1.00) | p99 latency (target ≤ 2.00) | targets |
|---|---:|---:|---|
| home page | $H_RR | $H_PR | $H_V |
| article page | $A_RR | $A_PR | $A_V |

| round | home: danvan / nginx requests/s | home p99 ratio | article: danvan / nginx requests/s | article p99 ratio |
|---:|---:|---:|---:|---:|
$ROUND_LINES
EOF
)

echo
echo "$TABLE"
echo
echo "$RATIOS"
echo

SECTION=$(cat <<EOF
<!-- bench/portal.sh -->
Measured $WHEN with \`bench/portal.sh\` (wrk -t$THREADS -c$CONNS -d$DURATION --latency, client and
servers on the same machine over loopback, load average $LOAD before the run; a 1 s warm-up of
each target first, then $ROUNDS rounds of the four runs interleaved: danvan home, nginx home,
danvan article, nginx article).  The first table gives each target's median over the rounds;
the verdict is on the median of the per-round ratios, listed after it.

- Machine: $CPU, $CORES cores, $MEM, $KERNEL
- $DANVAN_VERSION (\`$(realpath --relative-to="$ROOT" "$BIN" 2>/dev/null || echo "$BIN")\`, eight worker threads per core), demo database \`build/bench/portal.db\` ($NARTICLES published articles)
- $NGINX_VERSION (\`worker_processes auto\`, sendfile, access log off), $WRK_VERSION
- Article: \`/tin/$SLUG\`

$TABLE

$RATIOS

Both danvan pages are anonymous, so they come from danvan's in-memory page cache (rendered
once, kept until a write commits or a few seconds pass, with an ETag); nginx serves files
holding exactly the bytes danvan sent.  wrk sends no User-Agent, which views.h does not count
as a reader, so the runs write nothing.
<!-- /bench/portal.sh -->
EOF
)

if [ "${BENCH_WRITE:-1}" != 0 ]; then
	mkdir -p "$(dirname "$OUT")"
	[ -f "$OUT" ] || printf '# Performance\n\n' >"$OUT"
	if grep -q '^<!-- bench/portal.sh -->$' "$OUT" && grep -q '^<!-- /bench/portal.sh -->$' "$OUT"; then
		SECTION_FILE="$TMP/section.md"
		printf '%s\n' "$SECTION" >"$SECTION_FILE"
		awk -v f="$SECTION_FILE" '
			/^<!-- bench\/portal.sh -->$/ { while ((getline l < f) > 0) print l; skip = 1; next }
			/^<!-- \/bench\/portal.sh -->$/ { skip = 0; next }
			!skip { print }' "$OUT" >"$TMP/out.md"
		cat "$TMP/out.md" >"$OUT"
	else
		printf '\n## The portal: home and article pages against nginx\n\nTo measure: `make && bench/portal.sh` (needs wrk, nginx, curl and sqlite3).\n\n%s\n' "$SECTION" >>"$OUT"
	fi
	echo "written: ${OUT#"$ROOT"/}"
fi
[ "$H_V" = met ] && [ "$A_V" = met ] || { echo "bench/portal.sh: a target was missed" >&2; exit 1; }
