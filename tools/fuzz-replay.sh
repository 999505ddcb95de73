#!/bin/sh
# fuzz-replay.sh [TARGET...] — replay every seed input and every kept
# crasher of the fuzz targets under gcc's ASan + UBSan, without libFuzzer.
#
# For each target in tests/fuzz/targets.txt (or those named) it links
# tests/fuzz/fuzz_<t>.c and tests/fuzz/replay_main.c with the target's
# sources into build/fuzz-replay/fuzz_<t>, then runs it on all files in
# tests/fuzz/corpus/<t>/ and tests/fuzz/crashers/<t>/.  Meant for
# `make test`: objects are rebuilt only when a source or header changed,
# so a run takes seconds, and any sanitizer report, leak or broken
# invariant fails the script loudly.
set -eu
cd "$(dirname "$0")/.."

CC=${REPLAY_CC:-gcc}
PKGS="libmicrohttpd sqlite3 libsodium libutf8proc jansson libcurl"
# shellcheck disable=SC2086 # PKGS is a list
PKG_CFLAGS=$(pkg-config --cflags $PKGS)
# shellcheck disable=SC2086
PKG_LIBS=$(pkg-config --libs $PKGS)
WARN="-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
	-Wno-unused-parameter -Wformat=2 -Wvla"
CFLAGS="-std=c17 -D_GNU_SOURCE -O1 -g -fno-omit-frame-pointer
	-fsanitize=address,undefined -fno-sanitize-recover=all
	$WARN -Isrc -Itests/fuzz $PKG_CFLAGS"
OUT=build/fuzz-replay

# newer A B: file A was modified after file B (POSIX sh has no -nt).
newer() { [ -n "$(find "$1" -newer "$2")" ]; }

# An object is stale when older than its source or than any header a
# project or fuzz source can include.
headers=$(ls src/base/*.h src/web/*.h tests/fuzz/*.h 2>/dev/null)
compile() { # compile SRC -> prints the object path
	src=$1
	obj=$OUT/obj/$(echo "$src" | sed 's/\.c$/.o/')
	stale=0
	# shellcheck disable=SC2086 # headers is a list
	if [ ! -f "$obj" ] || [ -n "$(find "$src" $headers -newer "$obj" | head -n 1)" ]; then
		stale=1
	fi
	if [ $stale -eq 1 ]; then
		mkdir -p "$(dirname "$obj")"
		# shellcheck disable=SC2086
		$CC $CFLAGS -c -o "$obj" "$src" >&2
	fi
	echo "$obj"
}

targets=$*
[ -n "$targets" ] || targets=$(awk '!/^#/ && NF { print $1 }' tests/fuzz/targets.txt)

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"

driver=$(compile tests/fuzz/replay_main.c)
total=0
for t in $targets; do
	line=$(awk -v t="$t" '$1 == t' tests/fuzz/targets.txt)
	if [ -z "$line" ]; then
		echo "fuzz-replay: unknown target $t" >&2
		exit 2
	fi
	objs=""
	for src in $(echo "$line" | awk '{ for (i = 3; i <= NF; i++) print $i }') \
			"tests/fuzz/fuzz_$t.c"; do
		objs="$objs $(compile "$src")"
	done
	bin=$OUT/fuzz_$t
	relink=0
	[ -f "$bin" ] || relink=1
	if [ $relink -eq 0 ]; then
		for o in $objs $driver; do
			if newer "$o" "$bin"; then relink=1; fi
		done
	fi
	if [ $relink -eq 1 ]; then
		# shellcheck disable=SC2086
		$CC $CFLAGS -o "$bin" $objs "$driver" $PKG_LIBS -pthread -lm
	fi

	dirs=""
	for d in "tests/fuzz/corpus/$t" "tests/fuzz/crashers/$t"; do
		[ -d "$d" ] && dirs="$dirs $d"
	done
	if [ -z "$dirs" ]; then
		echo "fuzz-replay: $t has no corpus (tests/fuzz/corpus/$t/)" >&2
		exit 1
	fi
	# shellcheck disable=SC2086 # dirs is a list
	n=$(find $dirs -type f | wc -l)
	# One process per target, all files as arguments (xargs splits only
	# if the list ever outgrows the command line).
	# shellcheck disable=SC2086
	if ! find $dirs -type f -print0 | sort -z | xargs -0 "$bin" 2>"$OUT/$t.log"; then
		cat "$OUT/$t.log" >&2
		echo "fuzz-replay: $t FAILED (log: $OUT/$t.log)" >&2
		exit 1
	fi
	echo "fuzz-replay: $t: $n inputs ok"
	total=$((total + n))
done
echo "fuzz-replay: all $total inputs replayed cleanly"
