#!/bin/sh
# deps.sh — make sure the Debian (and, for tests, npm) packages danvan needs
# are present.  As root, installs what is missing; otherwise prints the exact
# command to run and fails.  Usage: tools/deps.sh build|test
set -e
mode=${1:-build}
BUILD_PKGS="gcc make pkg-config perl libmicrohttpd-dev libsqlite3-dev libsodium-dev libutf8proc-dev libjansson-dev libcurl4-openssl-dev libxlsxwriter-dev libvips-dev"
TEST_PKGS="$BUILD_PKGS libcmocka-dev nodejs chromium sqlite3 libxml2-utils"
[ "$mode" = test ] && want=$TEST_PKGS || want=$BUILD_PKGS

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
# nodejs may come from elsewhere (nodesource): accept any node >= 18 on PATH.
if echo "$missing" | grep -q nodejs && command -v node >/dev/null 2>&1; then
	missing=$(echo "$missing" | sed 's/ nodejs//')
fi
# npm is needed when node came from Debian.
if [ "$mode" = test ] && ! command -v npm >/dev/null 2>&1; then
	missing="$missing npm"
fi

if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "deps: installing$missing"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
	else
		echo "danvan needs these Debian packages:$missing" >&2
		echo "run as root:  apt-get install -y$missing" >&2
		exit 1
	fi
fi

if [ "$mode" = test ]; then
	if [ ! -d node_modules/playwright-core ]; then
		echo "deps: npm ci (playwright-core)"
		npm ci --no-audit --no-fund --loglevel=error
	fi
fi
