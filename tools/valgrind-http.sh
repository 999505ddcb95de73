#!/usr/bin/env bash
# tools/valgrind-http.sh — the HTTP suite (tests/http) against build/danvan
# running under valgrind memcheck: every `danvan serve` and every CLI call
# the suite makes (fixture build, tokens, backup, check…).
#
# A wrapper script stands in for the binary (DANVAN_BIN cannot carry
# arguments):
#   exec valgrind --error-exitcode=99 --leak-check=full
#        --errors-for-leak-kinds=definite,indirect … build/danvan "$@"
# so a leak or an invalid access makes that process exit 99, which fails
# the test that ran it (server.stop() and cli() check the exit status),
# and each process writes its report to its own log file.  At the end the
# logs are summed up: processes, errors, bytes definitely/indirectly lost,
# and every error's stack.
#
# Usage: tools/valgrind-http.sh [TEST FILE…]   (default: every tests/http/*.test.mjs)
# Environment:
#   DANVAN_BIN        the real binary              (default build/danvan)
#   VALGRIND_OUT      the markdown file            (default docs/reliability.md)
#   VALGRIND_WRITE=0  do not write the "## Valgrind" section
#   VALGRIND_KEEP=1   keep the logs (printed path)
# Timeouts: DANVAN_SANITIZED=1 makes tests/http/lib/server.mjs wait 4× longer
# (SLOW); DANVAN_SLOW, when server.mjs supports it, overrides the factor.
#
# Exit status: 0 when every process was clean and the suite passed;
# 1 otherwise.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
REAL=$(realpath "${DANVAN_BIN:-$ROOT/build/danvan}")
OUT=${VALGRIND_OUT:-$ROOT/docs/reliability.md}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
[ -x "$REAL" ] || { echo "$REAL not found: run 'make' first" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/danvan-valgrind.XXXXXX")
LOGS=$WORK/logs
mkdir -p "$LOGS"
cleanup() { [ "${VALGRIND_KEEP:-0}" = 1 ] && echo "logs kept in $LOGS" || rm -rf "$WORK"; }
trap cleanup EXIT

# The stand-in binary.  It lives in build/valgrind so the fixture cache
# (keyed by the binary's path) is built once under valgrind and reused.
# The real binary is copied beside it: a rebuild during the run (make in
# another terminal) must not change, or briefly remove, what is tested.
WRAP_DIR=$ROOT/build/valgrind
mkdir -p "$WRAP_DIR"
WRAP=$WRAP_DIR/danvan
if ! cmp -s "$REAL" "$WRAP_DIR/danvan.bin" 2>/dev/null; then
	cp "$REAL" "$WRAP_DIR/danvan.bin.tmp" && mv "$WRAP_DIR/danvan.bin.tmp" "$WRAP_DIR/danvan.bin"
fi
TESTED=$REAL
REAL=$WRAP_DIR/danvan.bin
cat >"$WRAP.new" <<EOF
#!/bin/sh
# made by tools/valgrind-http.sh: danvan under valgrind memcheck
exec valgrind --quiet --error-exitcode=99 --leak-check=full \\
	--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \\
	--track-origins=no --num-callers=30 --child-silent-after-fork=yes \\
	--log-file="\${DANVAN_VALGRIND_LOGS:-/tmp}/vg.%p.log" \\
	"$REAL" "\$@"
EOF
chmod +x "$WRAP.new"
# Keep the wrapper's mtime (the fixture's cache key) unless it changed.
if ! cmp -s "$WRAP.new" "$WRAP" 2>/dev/null || [ "$REAL" -nt "$WRAP" ]; then mv "$WRAP.new" "$WRAP"; else rm "$WRAP.new"; fi

if [ $# -gt 0 ]; then FILES=("$@"); else FILES=(tests/http/*.test.mjs); fi
echo "valgrind-http: ${#FILES[@]} test files against $TESTED (copied to $REAL) under valgrind $(valgrind --version)"
START=$(date +%s)
# One file at a time (node runs each in its own process anyway), so that a
# failure can be traced to its file and tried again without valgrind.
SUITE=0 TESTS=0 PASS=0 FAIL=0
FAILED_FILES=()
: >"$WORK/tap.txt"
for f in "${FILES[@]}"; do
	DANVAN_BIN=$WRAP DANVAN_SANITIZED=1 DANVAN_SLOW=${DANVAN_SLOW:-20} DANVAN_VALGRIND_LOGS=$LOGS \
		node --test --test-concurrency=1 "$f" >"$WORK/one.txt" 2>&1
	st=$?
	cat "$WORK/one.txt" >>"$WORK/tap.txt"
	cp "$WORK/one.txt" "$WORK/tap-$(basename "$f").txt"
	TESTS=$(( TESTS + $(awk '/^# tests /{print $3}' "$WORK/one.txt") ))
	PASS=$(( PASS + $(awk '/^# pass /{print $3}' "$WORK/one.txt") ))
	n=$(awk '/^# fail /{print $3}' "$WORK/one.txt")
	FAIL=$(( FAIL + n ))
	echo "  $f: $(awk '/^# pass /{print $3}' "$WORK/one.txt") passed, $n failed"
	if [ "$st" != 0 ]; then SUITE=1; FAILED_FILES+=("$f"); fi
done
SECS=$(( $(date +%s) - START ))

# A failing file again without valgrind: a test that fails there too is not
# valgrind's finding (work in progress, or a bug of its own).
NATIVE_NOTES=()
for f in "${FAILED_FILES[@]}"; do
	DANVAN_BIN=$REAL node --test --test-concurrency=1 "$f" >"$WORK/native.txt" 2>&1
	while IFS= read -r line; do
		name=${line#not ok }
		name=${name#* - }
		if grep '^not ok' "$WORK/native.txt" | grep -qF -- "- $name"; then
			NATIVE_NOTES+=("$f: $name — fails without valgrind too")
		else
			NATIVE_NOTES+=("$f: $name — passes without valgrind (a time limit too tight for valgrind's slowdown, or a real difference: see its message)")
		fi
	done < <(grep '^not ok' "$WORK/tap-$(basename "$f").txt" | grep -v '# TODO')
	[ -s "$WORK/tap-$(basename "$f").txt" ] && ! grep -q '^not ok' "$WORK/tap-$(basename "$f").txt" &&
		NATIVE_NOTES+=("$f: the file failed without a failing test (a crash or a timeout of the file)")
done

# ---- the reports ---------------------------------------------------------------------------
PROCS=$(ls "$LOGS" | wc -l)
DIRTY=()
for f in "$LOGS"/vg.*.log; do
	[ -s "$f" ] || continue
	grep -qE 'Invalid (read|write|free)|uninitialised|Mismatched free|definitely lost: [1-9]|indirectly lost: [1-9]|Syscall param|Source and destination overlap|ERROR SUMMARY: [1-9]' "$f" && DIRTY+=("$f")
done
sum() { cat "$LOGS"/vg.*.log 2>/dev/null | awk -v k="$1" '$0 ~ k { gsub(/,/, "", $4); s += $4 } END { print s + 0 }'; }
DEF=$(sum 'definitely lost:')
IND=$(sum 'indirectly lost:')
ERRS=$(cat "$LOGS"/vg.*.log 2>/dev/null | awk '/ERROR SUMMARY:/ { s += $4 } END { print s + 0 }')

echo
echo "suite: $TESTS tests, $PASS passed, $FAIL failed ($SECS s)"
echo "valgrind: $PROCS danvan processes, ${#DIRTY[@]} with a report; $ERRS errors; definitely lost $DEF bytes, indirectly lost $IND bytes"
for f in "${DIRTY[@]}"; do
	echo
	echo "==== $(head -c 2000 "$f" | grep -m1 'Command:' | sed 's/^==[0-9]*== //')"
	grep -v '^==[0-9]*== *$' "$f" | sed 's/^==[0-9]*== //' | head -n 120
done
if [ "$SUITE" != 0 ]; then
	echo
	echo "failing tests:"
	printf '  %s\n' "${NATIVE_NOTES[@]}" | sort -u
	grep -E "exited with 99" "$WORK/tap.txt" | head -20
fi
STATUS=0
{ [ "$SUITE" = 0 ] && [ "${#DIRTY[@]}" = 0 ]; } || STATUS=1

# ---- docs/reliability.md ----------------------------------------------------------------------
if [ "${VALGRIND_WRITE:-1}" != 0 ]; then
	SECTION=$WORK/section.md
	{
		echo '## Valgrind'
		echo
		echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') with \`tools/valgrind-http.sh\`: the HTTP suite (\`tests/http\`, ${#FILES[@]} files)"
		echo "against \`$(realpath --relative-to="$ROOT" "$TESTED" 2>/dev/null || echo "$TESTED")\` ($("$REAL" version)) under $(valgrind --version) memcheck"
		echo '(`--leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99`),'
		echo "every \`danvan serve\` and CLI call of the suite included, in $SECS s."
		echo
		echo "- Suite: $TESTS tests, $PASS passed, $FAIL failed."
		echo "- Processes checked: $PROCS; with a report: ${#DIRTY[@]}."
		echo "- Errors (invalid reads/writes, uninitialised values, bad frees): $ERRS."
		echo "- Definitely lost: $DEF bytes; indirectly lost: $IND bytes."
		if [ "${#DIRTY[@]}" -gt 0 ]; then
			echo
			echo 'Reports (first lines of each):'
			echo
			echo '```'
			for f in "${DIRTY[@]}"; do
				grep -v '^==[0-9]*== *$' "$f" | sed 's/^==[0-9]*== //' | grep -v '^Copyright\|^Using Valgrind\|^Parent PID' | head -n 40
				echo
			done
			echo '```'
		fi
		if [ "$SUITE" != 0 ]; then
			echo
			echo 'Tests that failed under valgrind, each file run again without it:'
			echo
			printf -- '- %s\n' "${NATIVE_NOTES[@]}" | sort -u | head -20
		fi
		echo
		echo 'To run it: `make && tools/valgrind-http.sh` (about the time above; a test file as argument runs that file only).'
		echo
	} >"$SECTION"
	mkdir -p "$(dirname "$OUT")"
	[ -f "$OUT" ] || printf '# Reliability\n\nHow danvan holds up over time and under stress: soak runs, memory, memory checkers.\n\n' >"$OUT"
	awk -v f="$SECTION" '
		/^## Valgrind[[:space:]]*$/ { while ((getline l < f) > 0) print l; skip = 1; done = 1; next }
		skip && /^## / { skip = 0 }
		!skip { print }
		END { if (!done) { while ((getline l < f) > 0) print l } }' "$OUT" >"$WORK/out.md"
	cat "$WORK/out.md" >"$OUT"
	echo "written: ${OUT#"$ROOT"/}"
fi
exit $STATUS
