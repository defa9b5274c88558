#!/bin/sh
# make demo: build, install, start a throwaway PostgreSQL with market
# preloaded, and run demo/demo.sql in it, printing what happened.
set -eu
cd "$(dirname "$0")/.."
PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
make -s PG_CONFIG="$PG_CONFIG"
make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
sh mk/virtualenv.sh -o shared_preload_libraries=market \
	psql -X -q -v ON_ERROR_STOP=1 -f demo/demo.sql
