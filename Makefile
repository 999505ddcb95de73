# danvan — build, run and test.  See README.md.
#
#   make            build build/danvan
#   make run        install missing packages, build, create the demo database, serve :8080
#   make test       every suite: codecheck, unit (cmocka), HTTP (node), crash,
#                   security (cross-area table, slow clients) and browser
#                   (playwright + chromium) tests, and an ASan+UBSan build of unit + HTTP
#   make asan       build/asan/danvan and the sanitizer unit tests
#   make fuzz       run each libFuzzer target for FUZZ_SECONDS (or FUZZ_RUNS executions)
#   make clean
#
# Sources are found by wildcard: add a file under src/ and it is built.

CC      ?= gcc
PKGS    := libmicrohttpd sqlite3 libsodium libutf8proc jansson libcurl xlsxwriter vips
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-unused-parameter -Wformat=2 -Wvla
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c17 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Isrc -Ibuild/gen -pthread
LDLIBS  := $(PKG_LIBS) -pthread -lm

# V=1 shows whole compiler command lines
ifeq ($(V),1)
Q :=
else
Q = @echo "  CC $<";
endif

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRC     := $(wildcard src/base/*.c src/store/*.c src/domain/*.c src/web/*.c src/ui/*.c src/api/*.c src/export/*.c src/jobs/*.c src/cli/*.c)
MAIN    := src/main.c
ASSETS  := $(sort $(wildcard assets/*))
GEN     := build/gen/assets.c
UNIT_SRC := $(wildcard tests/unit/test_*.c)

OBJ      := $(SRC:%.c=build/obj/%.o) build/obj/gen/assets.o
SAN_OBJ  := $(SRC:%.c=build/asan/obj/%.o) build/asan/obj/gen/assets.o
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/test/%)
SAN_UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/asan/test/%)

.PHONY: all run test asan unit unit-asan http http-asan browser codecheck deps deps-test fuzz fuzz-replay clean demo-db faults crash security soak valgrind

all: build/danvan

build/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -std=c17 -O2 -Wall -Wextra -Werror -o $@ $<

# The load client of bench/cases.sh for public submissions (not the server).
build/submitload: bench/submitload.c
	@mkdir -p $(@D)
	$(CC) -std=c17 -O2 -Wall -Wextra -Werror -o $@ $<

$(GEN): build/tools/embed $(ASSETS)
	@mkdir -p $(@D)
	build/tools/embed $@ $(ASSETS)

build/obj/gen/assets.o: $(GEN)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

build/obj/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

build/libdanvan.a: $(OBJ)
	rm -f $@ && ar rcs $@ $^

build/danvan: build/obj/src/main.o build/libdanvan.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

build/test/%: tests/unit/%.c build/libdanvan.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< build/libdanvan.a $(LDLIBS) $(CMOCKA_LIBS)

# --- sanitizer build -------------------------------------------------------
build/asan/obj/gen/assets.o: $(GEN)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Wno-missing-prototypes -c -o $@ $<

build/asan/obj/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -MMD -MP -c -o $@ $<

build/asan/libdanvan.a: $(SAN_OBJ)
	rm -f $@ && ar rcs $@ $^

build/asan/danvan: build/asan/obj/src/main.o build/asan/libdanvan.a
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDLIBS)

build/asan/test/%: tests/unit/%.c build/asan/libdanvan.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Itests/unit -o $@ $< build/asan/libdanvan.a $(LDLIBS) $(CMOCKA_LIBS)

asan: build/asan/danvan $(SAN_UNIT_BIN)

# --- checks and suites -----------------------------------------------------
deps:
	@tools/deps.sh build

deps-test:
	@tools/deps.sh test

codecheck:
	@perl tools/codecheck.pl $(SRC) $(MAIN)
	@n=$$(perl tools/codecheck.pl tests/codecheck/src/ui/bad.c 2>&1 | sed -n 's/^codecheck: \([0-9]*\) problem(s)$$/\1/p'); \
	want=$$(sed -n 's/.*expected problems: \([0-9]*\).*/\1/p' tests/codecheck/src/ui/bad.c); \
	if [ "$${n:-0}" != "$$want" ]; then \
		echo "codecheck: found $${n:-0} problems in tests/codecheck/src/ui/bad.c, not $$want: the check is broken" >&2; exit 1; \
	else echo "codecheck: finds all $$want problems in tests/codecheck/src/ui/bad.c"; fi

# test_db again with fault injection compiled in (db_fault_set active)
build/faults/test_db: tests/unit/test_db.c src/store/db_sqlite.c build/libdanvan.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DDANVAN_FAULTS -Itests/unit -o $@ tests/unit/test_db.c src/store/db_sqlite.c build/libdanvan.a $(LDLIBS) $(CMOCKA_LIBS)

unit: $(UNIT_BIN) build/faults/test_db
	@tools/run-unit.sh $(UNIT_BIN) build/faults/test_db

unit-asan: $(SAN_UNIT_BIN)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		tools/run-unit.sh $(SAN_UNIT_BIN)

http: build/danvan
	DANVAN_BIN=$(CURDIR)/build/danvan node --test --test-concurrency=1 tests/http/

http-asan: build/asan/danvan
	DANVAN_BIN=$(CURDIR)/build/asan/danvan DANVAN_SANITIZED=1 \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		node --test --test-concurrency=1 tests/http/

browser: build/danvan
	DANVAN_BIN=$(CURDIR)/build/danvan node --test --test-concurrency=1 tests/e2e/

test: deps-test
	$(MAKE) codecheck
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) http
	$(MAKE) crash
	$(MAKE) security
	$(MAKE) browser
	$(MAKE) unit-asan
	$(MAKE) fuzz-replay
	$(MAKE) http-asan
	$(MAKE) faults
	@echo "make test: all suites passed"

run: deps
	$(MAKE) all
	@build/danvan demo --if-absent --db "$${DANVAN_DB:-var/danvan.db}"
	build/danvan serve --db "$${DANVAN_DB:-var/danvan.db}" --listen "$${DANVAN_LISTEN:-127.0.0.1:8080}"

# --- fault injection (docs/reliability.md) ---------------------------------
# build/faults/danvan: the ASan+UBSan server with the DANVAN_FAULTS hooks.
# Only db_sqlite.c and server.c hold hooks: they are compiled again with
# them and linked before the sanitizer library, whose own copies of those
# two objects are then never pulled in.
FAULT_OBJ := build/faults/obj/src/store/db_sqlite.o build/faults/obj/src/web/server.o

build/faults/obj/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -DDANVAN_FAULTS -MMD -MP -c -o $@ $<

build/faults/danvan: build/asan/obj/src/main.o $(FAULT_OBJ) build/asan/libdanvan.a
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(LDLIBS)

# every db call path failed in turn (busy, I/O error, disk full) and every
# response write; FAULT_FULL=1 fails every call
faults: build/faults/danvan
	DANVAN_BIN=$(CURDIR)/build/faults/danvan DANVAN_SANITIZED=1 \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		node --test --test-concurrency=1 tests/faults/fault-pass.mjs

# CRASH_KILLS (default 20) SIGKILLs during public submissions; backup/restore drill
crash: build/danvan
	DANVAN_BIN=$(CURDIR)/build/danvan node --test --test-concurrency=1 tests/crash/

# about 2 min: the route table across areas, request-level attacks, slow clients
security: build/danvan
	DANVAN_BIN=$(CURDIR)/build/danvan node --test --test-concurrency=1 tests/security/

# on demand, about 11 min (SOAK_SECONDS=600), writes docs/reliability.md "## Soak"
soak: build/danvan
	bench/soak.sh

# on demand, about 17 min, writes docs/reliability.md "## Valgrind"
valgrind: build/danvan
	tools/valgrind-http.sh

# replay every kept fuzz input (corpus and crashers) under ASan+UBSan
fuzz-replay:
	@tools/fuzz-replay.sh

FUZZ_SECONDS ?= 60
FUZZ_RUNS ?=
fuzz:
	@FUZZ_RUNS=$(FUZZ_RUNS) tools/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf build

-include $(OBJ:.o=.d) $(SAN_OBJ:.o=.d) build/obj/src/main.d build/asan/obj/src/main.d $(FAULT_OBJ:.o=.d)
