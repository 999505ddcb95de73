#!/bin/sh
# fuzz.sh SECONDS [TARGET...] — build the libFuzzer targets in tests/fuzz/
# with clang (-fsanitize=fuzzer,address,undefined) and run each for
# SECONDS.  Targets and their sources are listed in tests/fuzz/targets.txt;
# with no TARGET arguments all of them run, one after the other.
#
# The project sources are compiled here with clang rather than taken from
# build/libdanvan.a: that archive is gcc-built and lacks the coverage
# instrumentation libFuzzer needs.
#
# Inputs: the seed corpus tests/fuzz/corpus/<t>/ (read only).  New inputs
# go to build/fuzz/corpus-<t>/ and are never merged back automatically:
# to keep a good one, copy it into the seed corpus by hand (or run the
# binary with -merge=1, see docs/internals/forms.md).  Crashing inputs
# are written to tests/fuzz/crashers/<t>/, where tools/fuzz-replay.sh
# (part of `make test`) replays them until the bug is fixed.
#
# FUZZ_RUNS=N in the environment stops each target after N executions
# (for "at least ten million each": FUZZ_RUNS=10000000 with a generous
# SECONDS).
#
# Prints executions per target; exits non-zero if any target crashed,
# leaked, timed out or failed to build.
set -u
cd "$(dirname "$0")/.." || exit 2

if [ $# -lt 1 ]; then
	echo "usage: tools/fuzz.sh SECONDS [TARGET...]" >&2
	exit 2
fi
secs=$1
shift
case $secs in
''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a number" >&2; exit 2 ;;
esac

CC=${FUZZ_CC:-clang}
PKGS="libmicrohttpd sqlite3 libsodium libutf8proc jansson libcurl"
# shellcheck disable=SC2086 # PKGS is a list
PKG_CFLAGS=$(pkg-config --cflags $PKGS) || exit 2
# shellcheck disable=SC2086
PKG_LIBS=$(pkg-config --libs $PKGS) || exit 2
# No -Werror: the gcc build enforces warnings; a clang-only warning must
# not stop a fuzzing run.
CFLAGS="-std=c17 -D_GNU_SOURCE -g -O${FUZZ_OPT:-1} -fno-omit-frame-pointer
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-Wall -Wextra -Wno-unused-parameter -Isrc -Itests/fuzz $PKG_CFLAGS"

OUT=build/fuzz
mkdir -p "$OUT"
status=0
summary=""

targets=$*
[ -n "$targets" ] || targets=$(awk '!/^#/ && NF { print $1 }' tests/fuzz/targets.txt)

for t in $targets; do
	line=$(awk -v t="$t" '$1 == t' tests/fuzz/targets.txt)
	if [ -z "$line" ]; then
		echo "fuzz.sh: unknown target $t" >&2
		exit 2
	fi
	maxlen=$(echo "$line" | awk '{ print $2 }')
	srcs=$(echo "$line" | awk '{ for (i = 3; i <= NF; i++) printf "%s ", $i }')
	bin=$OUT/fuzz_$t

	echo "== $t: building $bin"
	# shellcheck disable=SC2086 # word splitting of flag lists is wanted
	if ! $CC $CFLAGS -o "$bin" "tests/fuzz/fuzz_$t.c" $srcs $PKG_LIBS -pthread -lm; then
		echo "fuzz.sh: $t failed to build" >&2
		summary="$summary$t build-failed -\n"
		status=1
		continue
	fi

	corpus=$OUT/corpus-$t
	crashers=tests/fuzz/crashers/$t
	mkdir -p "$corpus" "$crashers"
	dict=""
	[ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
	log=$OUT/$t.log
	echo "== $t: fuzzing for ${secs}s (log $log)"
	# The first corpus directory receives new inputs; the seed corpus
	# after it is only read.
	# shellcheck disable=SC2086
	# FUZZ_RUNS=N: stop after N executions instead (SECONDS still caps it)
	runs=""
	[ -n "${FUZZ_RUNS:-}" ] && runs="-runs=$FUZZ_RUNS"
	"$bin" -max_total_time="$secs" $runs -max_len="$maxlen" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crashers/" $dict \
		"$corpus" "tests/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	execs=$(awk '/^stat::number_of_executed_units:/ { print $2 }' "$log")
	[ -n "$execs" ] || execs="?"
	if [ $rc -eq 0 ]; then
		result=ok
	else
		result="FAILED(exit $rc)"
		status=1
		echo "fuzz.sh: $t failed; end of $log:" >&2
		tail -n 40 "$log" >&2
		echo "fuzz.sh: crashing input(s) kept in $crashers/:" >&2
		ls -1 "$crashers" >&2
	fi
	echo "== $t: $execs executions, $result"
	summary="$summary$t $result $execs\n"
done

echo
echo "target      result  executions"
printf '%b' "$summary" | awk '{ printf "%-11s %-7s %s\n", $1, $2, $3 }'
exit $status
