#!/bin/sh
# Build and run the LISTEN test (inside pg_virtualenv).
set -eu
HERE=$(dirname "$0")
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
cc -std=c99 -O1 -Wall -Wextra -Werror -I"$($PG_CONFIG --includedir)" \
	-o "$HERE/listen_events" "$HERE/listen_events.c" \
	-L"$($PG_CONFIG --libdir)" -lpq
dropdb --if-exists market_listen >/dev/null 2>&1
createdb market_listen
psql -X -q -d market_listen -c 'CREATE EXTENSION market'
"$HERE/listen_events" market_listen
