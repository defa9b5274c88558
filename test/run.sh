#!/bin/sh
# make test: build, install, then run every suite against a throwaway
# PostgreSQL 15 cluster (pg_virtualenv), with market preloaded; and, in a
# second one without it, check that CREATE EXTENSION market refuses.
# Exits non-zero if anything fails.
set -eu
cd "$(dirname "$0")/.."

PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
export PG_CONFIG

make -s PG_CONFIG="$PG_CONFIG"
make -s PG_CONFIG="$PG_CONFIG" install >/dev/null

echo "=== C unit tests"
make -s PG_CONFIG="$PG_CONFIG" unit

echo "=== fuzzing the matching core and the distribution arithmetic (short sessions on copies of the corpora)"
fuzzdir=$(mktemp -d)
fuzzdist=$(mktemp -d)
cp -r test/fuzz/corpus/. "$fuzzdir/"
cp -r test/fuzz/corpus_distribution/. "$fuzzdist/"
make -s PG_CONFIG="$PG_CONFIG" fuzz FUZZ_SECONDS=${FUZZ_SECONDS:-20} FUZZ_CORPUS="$fuzzdir" \
	FUZZ_DIST_CORPUS="$fuzzdist" 2>&1 |
	grep -E "^#[0-9]+ +DONE|^Done|ERROR|SUMMARY|crash" || true
rm -rf "$fuzzdir" "$fuzzdist"
# libFuzzer exits non-zero and leaves crash-* behind when a property fails
if ls test/fuzz/crash-* >/dev/null 2>&1; then
	echo "the fuzzer found a failing book: test/fuzz/crash-*"
	exit 1
fi

echo "=== without preloading: CREATE EXTENSION refuses (a second throwaway cluster)"
preload=ok
sh mk/virtualenv.sh sh test/preload/run.sh || preload=failed

echo "=== server suites (throwaway cluster)"
sh mk/virtualenv.sh \
	-o shared_preload_libraries=market,pg_cron \
	-o cron.database_name=market_cron \
	-o cron.use_background_workers=on \
	-o max_connections=60 \
	-o market.node_id=7 \
	sh test/suites.sh
[ $preload = ok ] || { echo "FAILED: preload (test/preload/run.sh)"; exit 1; }
