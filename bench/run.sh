#!/bin/sh
# make bench: throughput of market's cash calls against pgbench's own TPC-B
# script, measured in the same run on the same throwaway cluster, printed
# as ratios (absolute numbers on a shared machine are noise).
#
#   deposits, one account per client    must scale like TPC-B: no shared row
#   deposits, every client on one account  serialized by that account's row
#   deposits with market.notify off     what NOTIFY's commit lock costs
#
# Environment: CLIENTS (default 8), SECONDS (default 10).
set -eu
cd "$(dirname "$0")/.."
PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
make -s PG_CONFIG="$PG_CONFIG"
make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
pg_virtualenv -v 15 -o shared_preload_libraries=market -o max_connections=100 \
	sh bench/cash.sh "$($PG_CONFIG --bindir)"
