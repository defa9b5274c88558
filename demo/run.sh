#!/bin/sh
# make demo: build, install, start a throwaway PostgreSQL with market
# preloaded, and run demo/demo.sql in it, printing what happened.
#
# demo.sql creates login roles with passwords and switches between them
# with \connect; this script gives psql a .pgpass holding those passwords
# (and the superuser's, which pg_virtualenv puts in PGPASSWORD: unset, or
# it would be sent for every role).  Exits non-zero if a step that is not
# a deliberate mistake fails.
set -eu
cd "$(dirname "$0")/.."
PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config

if [ "${1:-}" != inside ]; then
	make -s PG_CONFIG="$PG_CONFIG"
	make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
	exec sh mk/virtualenv.sh -o shared_preload_libraries=market sh demo/run.sh inside
fi

# Inside the throwaway cluster (PGHOST, PGPORT, PGUSER, PGPASSWORD set).
umask 077
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(
	echo "*:*:*:$PGUSER:$PGPASSWORD"
	for r in exchange_admin backend oracle alice bob carol; do
		echo "*:*:*:$r:demo-$r"
	done
) >"$tmp/pgpass"
env -u PGPASSWORD PGHOST=localhost PGPASSFILE="$tmp/pgpass" \
	"$($PG_CONFIG --bindir)/psql" -X -q -v ON_ERROR_STOP=1 -f demo/demo.sql 2>&1
