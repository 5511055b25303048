# FleetCore — build, run and test.
#
#   make          build/fleetcore-fcgi, build/fleetcore-jobs, build/fleetcore
#   make run      the whole stack in the foreground with demo data
#   make start    the same in the background; make stop ends it
#   make test     every test layer against a private stack; ends "N passed, N failed"
#   make bench    benchmarks (results in tests/bench/RESULTS.md)
#   make fuzz     each fuzz harness for FUZZ_SECONDS

SHELL		:= /bin/bash
BUILD		?= build
VAR		?= $(CURDIR)/var
HTTPS_PORT	?= 8443
HTTP_PORT	?= 8080
FUZZ_SECONDS	?= 60
export HTTPS_PORT HTTP_PORT VAR

# cairo and pango draw PDFs (statements, reports); libxml2 writes bank
# files (SEPA) and reads XML.
PKGS		:= jansson libsodium libcurl libpq xlsxwriter pangocairo cairo libxml-2.0
CC		?= cc
# Tables (routes, fields, statements) leave their trailing members zero,
# hence no -Wmissing-field-initializers.
WARN		:= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
		   -Wmissing-prototypes -Wpointer-arith -Wvla -Wformat=2 \
		   -Wno-missing-field-initializers
CPPFLAGS	+= -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Ifcgi -Ifcgi/core \
		   -Ifcgi/app
CFLAGS		?= -O2 -g
CFLAGS		+= -std=c11 $(WARN) -fno-strict-aliasing
PKG_CFLAGS	 = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS	 = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS		+= $(PKG_LIBS) -lfcgi -lcsv -lm
ifdef SANITIZE
CFLAGS		+= -fsanitize=address,undefined -fno-omit-frame-pointer \
		   -fno-sanitize-recover=undefined
LDFLAGS		+= -fsanitize=address,undefined
endif

LIB_SRC		:= $(sort $(wildcard fcgi/core/*.c fcgi/app/*.c fcgi/app/*/*.c fcgi/cli/*.c \
		     fcgi/connectors/*.c fcgi/jobs/*.c))
LIB_OBJ		:= $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
BINS		:= $(BUILD)/fleetcore-fcgi $(BUILD)/fleetcore-jobs $(BUILD)/fleetcore
UNIT_SRC	:= $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS	:= $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
SPEC_BIN	:= $(BUILD)/tests/spec_runner
FUZZ_SRC	:= $(sort $(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all deps deps-debian deps-npm run start stop test test-unit \
	test-spec bench bench-render bench-bank-files fuzz clean asan spec-shared

all: $(BINS) $(UNIT_BINS) $(SPEC_BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libfleetcore.a: $(LIB_OBJ)
	@rm -f $@
	@echo "  AR    $@"
	@ar rcs $@ $^

$(BUILD)/%: $(BUILD)/obj/fcgi/bin/%.o $(BUILD)/libfleetcore.a
	@echo "  LD    $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/libfleetcore.a
	@mkdir -p $(dir $@)
	@echo "  LD    $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

$(SPEC_BIN): $(BUILD)/obj/tests/spec/spec_runner.o $(BUILD)/libfleetcore.a
	@mkdir -p $(dir $@)
	@echo "  LD    $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

.SECONDARY:
-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# The same tree with AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	$(MAKE) BUILD=build/asan SANITIZE=1 all

# --- dependencies ----------------------------------------------------------
# Debian packages are installed only when missing; npm packages from the
# lock file into node_modules, then the browser assets into static/vendor.
deps: deps-debian deps-npm

deps-debian:
	@fcgi/bin/fleetcore-deps

deps-npm: node_modules/.installed static/vendor/htmx.min.js

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/vendor/htmx.min.js: node_modules/.installed
	@mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

# --- running ---------------------------------------------------------------
run: deps all
	fcgi/bin/fleetcore-stack run

start: deps all
	fcgi/bin/fleetcore-stack start

stop:
	fcgi/bin/fleetcore-stack stop

# --- tests -----------------------------------------------------------------
test: deps
	$(MAKE) all
	$(MAKE) asan
	tests/run-all

test-unit: all
	tests/run-all unit

test-spec: all
	tests/run-all spec

# Every test of the official specification, when the shared folder is there.
spec-shared: $(SPEC_BIN)
	$(SPEC_BIN) ../shared/spec/mustache/*.json

fuzz: deps
	tests/fuzz/run $(FUZZ_SECONDS)

bench: deps all bench-render bench-bank-files
	tests/bench/run
	tests/bench/run-fleet
	tests/bench/run-sources
	tests/bench/run-finance
	tests/bench/run-bolt

$(BUILD)/bench_render: $(BUILD)/obj/tests/bench/bench_render.o $(BUILD)/libfleetcore.a
	@echo "  LD    $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

bench-render: $(BUILD)/bench_render
	$(BUILD)/bench_render

# The bank files of a week's payouts (SEPA and WPS), against copying them.
$(BUILD)/bench_bank_files: $(BUILD)/obj/tests/bench/bench_bank_files.o $(BUILD)/libfleetcore.a
	@echo "  LD    $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

bench-bank-files: $(BUILD)/bench_bank_files
	$(BUILD)/bench_bank_files

clean:
	rm -rf build
