#!/bin/sh
# run-unit.sh — run each cmocka test binary given, stop at the first failure.
set -e
for t in "$@"; do
	echo "== $t"
	"$t"
done
echo "unit: $# suites passed"
