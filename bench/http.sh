#!/usr/bin/env bash
# bench/http.sh — throughput and tail latency of danvan against nginx.
#
# In one run, with wrk:
#   danvan /healthz          (no database work)
#   danvan /                 (the home page, anonymous)
#   nginx  /home.html        (a static file with exactly the bytes of danvan's
#                             home page, fetched first with curl)
# and writes the table with the ratios danvan/nginx into docs/performance.md,
# between the markers <!-- bench/http.sh --> and <!-- /bench/http.sh -->.
#
# Usage: bench/http.sh          (from anywhere; run `make` first)
# Environment:
#   DANVAN_BIN   the binary              (default build/danvan)
#   WRK_THREADS  wrk -t                  (default 2)
#   WRK_CONNS    wrk -c                  (default 50)
#   WRK_DURATION wrk -d                  (default 10s)
#   NGINX        the nginx binary        (default: nginx on PATH, or /usr/sbin/nginx)
#   BENCH_OUT    the markdown file       (default docs/performance.md)
#
# Both servers listen on free loopback ports; nginx runs as this user with a
# config, pid file, logs and temp paths inside a temp dir that is removed on
# exit, as are both processes.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BIN=${DANVAN_BIN:-$ROOT/build/danvan}
THREADS=${WRK_THREADS:-2}
CONNS=${WRK_CONNS:-50}
DURATION=${WRK_DURATION:-10s}
OUT=${BENCH_OUT:-$ROOT/docs/performance.md}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
BENCH_DIR=$ROOT/build/bench
DB=$BENCH_DIR/danvan.db

die() { echo "bench/http.sh: $*" >&2; exit 1; }
for tool in wrk curl "$NGINX"; do
	command -v "$tool" >/dev/null 2>&1 || [ -x "$tool" ] || die "$tool is not installed"
done
[ -x "$BIN" ] || die "$BIN not found: run 'make' first"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/danvan-bench.XXXXXX")
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
if [ ! -s "$DB" ]; then
	echo "creating the demo database $DB"
	DANVAN_FAST_HASH=1 "$BIN" --db "$DB" --data "$ROOT/data" demo >/dev/null
fi
"$BIN" --db "$DB" --listen 127.0.0.1:0 serve --port-file "$TMP/danvan.port" 2>"$TMP/danvan.log" &
DANVAN_PID=$!
for _ in $(seq 1 200); do
	grep -qE '^[0-9]+$' "$TMP/danvan.port" 2>/dev/null && break
	kill -0 "$DANVAN_PID" 2>/dev/null || { cat "$TMP/danvan.log" >&2; die "danvan serve exited"; }
	sleep 0.05
done
DANVAN_PORT=$(cat "$TMP/danvan.port" 2>/dev/null) || die "danvan wrote no port"
DANVAN=http://127.0.0.1:$DANVAN_PORT

# ---- nginx serving the same bytes ---------------------------------------------------
mkdir -p "$TMP/www" "$TMP/nginx/logs" "$TMP/nginx/tmp"
# Run as root, nginx's workers drop to an unprivileged user: they must be
# able to reach the file (mktemp makes the dir 0700).
chmod 0755 "$TMP" "$TMP/www"
curl -fsS "$DANVAN/" -o "$TMP/www/home.html" || die "cannot fetch danvan's home page"
chmod 0644 "$TMP/www/home.html"
HOME_BYTES=$(wc -c <"$TMP/www/home.html")
# Is the anonymous home page answered from danvan's page cache (it then
# carries an ETag)?  Said in the report, since it changes what "/" measures.
if curl -fsS -o /dev/null -D - "$DANVAN/" | grep -qi '^etag:'; then
	HOME_NOTE="danvan answers the anonymous \`/\` from its in-memory page cache (src/web/pagecache.c: rendered once, dropped after any write or a few seconds), so this row measures the HTTP path more than the rendering."
else
	HOME_NOTE="danvan renders the anonymous \`/\` on every request (four counts from SQLite)."
fi

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
curl -fsS "$NGINX_URL/home.html" | cmp -s - "$TMP/www/home.html" || die "nginx does not serve the same bytes"

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

# A short warm-up of each, so page caches and SQLite's are hot.
for u in "$DANVAN/healthz" "$DANVAN/" "$NGINX_URL/home.html"; do
	wrk -t1 -c4 -d1s "$u" >/dev/null
done

R=$(run healthz "$DANVAN/healthz"); read -r H_RPS H_P50 H_P99 H_ERR <<<"$R"
R=$(run home "$DANVAN/"); read -r D_RPS D_P50 D_P99 D_ERR <<<"$R"
R=$(run nginx "$NGINX_URL/home.html"); read -r N_RPS N_P50 N_P99 N_ERR <<<"$R"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
fmt_rps() { awk -v v="$1" 'BEGIN { printf "%.0f", v }'; }

CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || uname -m)
CORES=$(nproc 2>/dev/null || echo '?')
MEM=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || echo '?')
KERNEL=$(uname -sr)
NGINX_VERSION=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')
WRK_VERSION=$( (wrk -v 2>&1 || true) | awk 'NR == 1 {print $1, $2}')
DANVAN_VERSION=$("$BIN" version)
WHEN=$(date -u '+%Y-%m-%d %H:%M UTC')

TABLE=$(cat <<EOF
| target | requests/s | p50 latency | p99 latency | errors |
|---|---:|---:|---:|---:|
| danvan \`/healthz\` | $(fmt_rps "$H_RPS") | $H_P50 ms | $H_P99 ms | $H_ERR |
| danvan \`/\` (home page, anonymous, $HOME_BYTES bytes) | $(fmt_rps "$D_RPS") | $D_P50 ms | $D_P99 ms | $D_ERR |
| nginx, the same $HOME_BYTES bytes as a static file | $(fmt_rps "$N_RPS") | $N_P50 ms | $N_P99 ms | $N_ERR |
EOF
)
RATIOS=$(cat <<EOF
| ratio danvan/nginx | requests/s | p99 latency |
|---|---:|---:|
| \`/healthz\` | $(ratio "$H_RPS" "$N_RPS") | $(ratio "$H_P99" "$N_P99") |
| \`/\` (home page) | $(ratio "$D_RPS" "$N_RPS") | $(ratio "$D_P99" "$N_P99") |
EOF
)

echo
echo "$TABLE"
echo
echo "$RATIOS"
echo

SECTION=$(cat <<EOF
<!-- bench/http.sh -->
Measured $WHEN with \`bench/http.sh\` (wrk -t$THREADS -c$CONNS -d$DURATION --latency, client and
servers on the same machine over loopback; a 1 s warm-up of each target first).

- Machine: $CPU, $CORES cores, $MEM, $KERNEL
- $DANVAN_VERSION (\`$(realpath --relative-to="$ROOT" "$BIN" 2>/dev/null || echo "$BIN")\`, eight worker threads per core), demo database \`build/bench/danvan.db\`
- $NGINX_VERSION (\`worker_processes auto\`, sendfile, access log off), $WRK_VERSION

$TABLE

$RATIOS

Ratios above 1 for requests/s mean danvan is faster; for p99 latency, that danvan is slower.
$HOME_NOTE
<!-- /bench/http.sh -->
EOF
)

mkdir -p "$(dirname "$OUT")"
if [ ! -f "$OUT" ]; then
	cat >"$OUT" <<'EOF'
# Performance

How fast danvan answers over HTTP, measured against nginx serving the same
bytes as a static file: nginx is the ceiling for "send these bytes", so the
ratio shows what danvan's request path (routing, headers, page cache or
rendering from SQLite) costs on top of that.

To measure on your machine: `make && bench/http.sh` (needs wrk, nginx and curl).
Both servers listen on free loopback ports; nginx runs as you, with its
config, pid file, logs and temp paths in a temp dir that is removed
afterwards.  The script replaces the section below with its results; numbers
from a machine where wrk shares the cores with the servers (as here) are a
comparison, not a capacity figure.

EOF
fi
if grep -q '^<!-- bench/http.sh -->$' "$OUT" && grep -q '^<!-- /bench/http.sh -->$' "$OUT"; then
	SECTION_FILE="$TMP/section.md"
	printf '%s\n' "$SECTION" >"$SECTION_FILE"
	awk -v f="$SECTION_FILE" '
		/^<!-- bench\/http.sh -->$/ { while ((getline l < f) > 0) print l; skip = 1; next }
		/^<!-- \/bench\/http.sh -->$/ { skip = 0; next }
		!skip { print }' "$OUT" >"$TMP/out.md"
	cat "$TMP/out.md" >"$OUT"
else
	printf '%s\n' "$SECTION" >>"$OUT"
fi
echo "written: ${OUT#"$ROOT"/}"
