#!/bin/sh
# The suites that need a server; run by test/run.sh inside pg_virtualenv,
# which sets PGHOST, PGPORT, PGUSER and PGPASSWORD.  Runs every suite even
# when one fails, then exits non-zero if any did.
set -u
cd "$(dirname "$0")/.."
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
BINDIR=$("$PG_CONFIG" --bindir)
failed=""

# pg_cron runs jobs on minute boundaries: schedule now, check at the end.
cron_started=true
sh test/cron/run.sh start || cron_started=false
# traders leave a crossing book for that job (checked before the cron check)
roles_started=true
$cron_started && sh test/roles/run.sh start || roles_started=false

echo "=== pg_regress and isolation"
if ! make -s PG_CONFIG="$PG_CONFIG" installcheck; then
	[ -f regression.diffs ] && cat regression.diffs
	failed="$failed installcheck"
fi

echo "=== pgTAP"
dropdb --if-exists market_tap >/dev/null 2>&1
createdb market_tap
psql -X -q -d market_tap -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION market'
if ! pg_prove -d market_tap test/pgtap/*.sql; then
	failed="$failed pgtap"
fi

echo "=== LISTEN market_events"
if ! sh test/listen/run.sh; then
	failed="$failed listen"
fi

echo "=== backup and restore"
if ! sh test/backup/run.sh; then
	failed="$failed backup"
fi

echo "=== upgrade from 0.1: ALTER EXTENSION UPDATE equals a fresh install, and trades"
if ! sh test/upgrade/run.sh; then
	failed="$failed upgrade"
fi

echo "=== pgbench: concurrent cash movements and ids"
if ! sh test/pgbench/run.sh "$BINDIR"; then
	failed="$failed pgbench"
fi

echo "=== every workflow as the login role that performs it; the role matrix"
if ! sh test/roles/run.sh; then
	failed="$failed roles"
fi
if ! $roles_started || ! sh test/roles/run.sh check; then
	failed="$failed roles-cron"
fi

echo "=== pg_cron runs the auctions"
if ! $cron_started || ! sh test/cron/run.sh check; then
	failed="$failed cron"
fi

if [ -n "$failed" ]; then
	echo "FAILED:$failed"
	exit 1
fi
echo "all suites passed"
