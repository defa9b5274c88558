# Makefile for the market extension (PGXS).
#
#   make demo   install what is missing, build, install, run the demo
#   make test   install what is missing, build, install, run every suite
#
# Everything else is the usual PGXS: make, make install, make installcheck
# (pg_regress and isolation tests against a running server).

EXTENSION   = market
MODULE_big  = market
OBJS = \
	src/market.o \
	src/snowflake.o \
	src/snowflake_core.o \
	src/escrow.o \
	src/money.o \
	src/labels.o \
	src/security.o \
	src/spi_plans.o \
	src/events.o \
	src/ledger.o \
	src/locks.o \
	src/markets.o \
	src/orders.o \
	src/book_cancel.o \
	src/match.o \
	src/match_reach.o \
	src/positions.o \
	src/resolution.o \
	src/settlement.o \
	src/pools.o \
	src/bulk.o \
	src/auction_load.o \
	src/auction_write.o \
	src/auction.o \
	src/execute.o \
	src/invariants.o \
	src/fees.o \
	src/distribution_math.o \
	src/distribution.o \
	src/drop_guard.o

# every released script stays installed: 0.1 databases update in place
DATA = sql/market--0.1.sql sql/market--0.2.sql sql/market--0.1--0.2.sql

# pg_regress and isolation tests: sources in test/, expected output in
# expected/ (pg_regress looks in --outputdir/expected first).
REGRESS        = $(patsubst test/sql/%.sql,%,$(sort $(wildcard test/sql/*.sql)))
REGRESS_OPTS   = --inputdir=test --outputdir=. --load-extension=market
ISOLATION      = $(patsubst test/specs/%.spec,%,$(sort $(wildcard test/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test --outputdir=. --load-extension=market

SHLIB_LINK = -lm
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers

EXTRA_CLEAN = results output_iso regression.diffs regression.out \
	test/unit/*.o test/unit/test_snowflake test/unit/test_escrow test/unit/test_match test/unit/test_match_props test/unit/test_match_reach test/unit/test_positions \
	test/unit/test_distribution test/unit/test_distribution_props \
	test/fuzz/fuzz_match test/fuzz/fuzz_distribution test/fuzz/crash-* test/listen/listen_events

# Debian keeps one pg_config per major version; prefer PostgreSQL 15's.
ifeq ($(wildcard /usr/lib/postgresql/15/bin/pg_config),)
PG_CONFIG ?= pg_config
else
PG_CONFIG ?= /usr/lib/postgresql/15/bin/pg_config
endif
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

ifneq ($(PGXS),)
include $(PGXS)
else
all:
	@echo "PostgreSQL's server headers are missing: run 'make deps' (or 'make test')." >&2
	@exit 1
endif

# PGXS tracks no header dependencies (unless the server was configured
# with --enable-depend): rebuild every object when any of our headers
# changes, or a stale object keeps an old struct layout (MarketRow).
$(OBJS): $(wildcard src/*.h)

.PHONY: deps test demo unit bench fuzz

# Install missing Debian packages (needs root and the Debian mirror).
deps:
	@sh mk/deps.sh

# The C unit tests of the pure parts (no PostgreSQL server involved).
UNIT_CFLAGS = -std=c99 -O2 -g -Wall -Wextra -Werror -Isrc
test/unit/test_snowflake: test/unit/test_snowflake.c src/snowflake_core.c src/snowflake_core.h
	$(CC) $(UNIT_CFLAGS) -o $@ test/unit/test_snowflake.c src/snowflake_core.c

test/unit/test_escrow: test/unit/test_escrow.c src/escrow.c src/escrow.h
	$(CC) $(UNIT_CFLAGS) -o $@ test/unit/test_escrow.c src/escrow.c

test/unit/test_match: test/unit/test_match.c src/match.c src/match.h src/escrow.c src/escrow.h
	$(CC) $(UNIT_CFLAGS) -o $@ test/unit/test_match.c src/match.c src/escrow.c

test/unit/test_match_props: test/unit/test_match_props.c test/unit/match_check.h test/unit/match_gen.h src/match.c src/match.h src/escrow.c src/escrow.h
	$(CC) $(UNIT_CFLAGS) -Itest/unit -o $@ test/unit/test_match_props.c src/match.c src/escrow.c

test/unit/test_match_reach: test/unit/test_match_reach.c test/unit/match_check.h test/unit/match_gen.h src/match_reach.c src/match_reach.h src/match.c src/match.h src/escrow.c src/escrow.h
	$(CC) $(UNIT_CFLAGS) -Itest/unit -o $@ test/unit/test_match_reach.c src/match_reach.c src/match.c src/escrow.c

test/unit/test_positions: test/unit/test_positions.c src/positions.c src/positions.h
	$(CC) $(UNIT_CFLAGS) -Itest/unit -o $@ test/unit/test_positions.c src/positions.c

test/unit/test_distribution: test/unit/test_distribution.c src/distribution_math.c src/distribution_math.h
	$(CC) $(UNIT_CFLAGS) -o $@ test/unit/test_distribution.c src/distribution_math.c -lm

test/unit/test_distribution_props: test/unit/test_distribution_props.c test/unit/distribution_check.h src/distribution_math.c src/distribution_math.h
	$(CC) $(UNIT_CFLAGS) -Itest/unit -o $@ test/unit/test_distribution_props.c src/distribution_math.c -lm

unit: test/unit/test_snowflake test/unit/test_escrow test/unit/test_match test/unit/test_match_props test/unit/test_match_reach test/unit/test_positions \
	test/unit/test_distribution test/unit/test_distribution_props
	test/unit/test_snowflake
	test/unit/test_escrow
	test/unit/test_match
	test/unit/test_match_props
	test/unit/test_match_reach
	test/unit/test_positions
	test/unit/test_distribution
	test/unit/test_distribution_props 100000

# The libFuzzer target of the matching core (needs clang).  `make fuzz`
# grows test/fuzz/corpus; `make test` runs a short session on a copy.
FUZZ_SECONDS ?= 60
FUZZ_CORPUS ?= test/fuzz/corpus
test/fuzz/fuzz_match: test/fuzz/fuzz_match.c test/unit/match_check.h src/match.c src/match.h src/escrow.c src/escrow.h
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Isrc -Itest/unit test/fuzz/fuzz_match.c src/match.c src/escrow.c -o $@

# The distribution-market arithmetic's target, beside it (its own corpus).
FUZZ_DIST_CORPUS ?= test/fuzz/corpus_distribution
test/fuzz/fuzz_distribution: test/fuzz/fuzz_distribution.c test/unit/distribution_check.h src/distribution_math.c src/distribution_math.h
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Isrc -Itest/unit test/fuzz/fuzz_distribution.c src/distribution_math.c -lm -o $@

fuzz: test/fuzz/fuzz_match test/fuzz/fuzz_distribution
	test/fuzz/fuzz_match -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
		-artifact_prefix=test/fuzz/ $(FUZZ_CORPUS)
	test/fuzz/fuzz_distribution -max_total_time=$(FUZZ_SECONDS) -max_len=1024 \
		-artifact_prefix=test/fuzz/ $(FUZZ_DIST_CORPUS)

test: deps
	@sh test/run.sh

demo: deps
	@sh demo/run.sh

bench: deps
	@sh bench/run.sh
