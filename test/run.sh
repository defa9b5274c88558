#!/bin/sh
# make test: build, install, then run every suite against a throwaway
# PostgreSQL 15 cluster (pg_virtualenv), with market preloaded.
# Exits non-zero if anything fails.
set -eu
cd "$(dirname "$0")/.."

PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
export PG_CONFIG

make -s PG_CONFIG="$PG_CONFIG"
make -s PG_CONFIG="$PG_CONFIG" install >/dev/null

echo "=== C unit tests"
make -s PG_CONFIG="$PG_CONFIG" unit

echo "=== server suites (throwaway cluster)"
pg_virtualenv -v 15 \
	-o shared_preload_libraries=market \
	-o max_connections=60 \
	-o market.node_id=7 \
	sh test/suites.sh
