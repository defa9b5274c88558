#!/bin/sh
# Every workflow as the role that performs it: login roles with passwords,
# connecting over TCP with a .pgpass, never as the superuser after setup.
#
#   run.sh start   (right after test/cron/run.sh start) traders place a
#                  crossing book in the pg_cron database, for the job the
#                  README's runbook schedules
#   run.sh         the login roles, the whole lifecycle (lifecycle.sh) and
#                  the role matrix (matrix.sh, matrix.txt), which must
#                  match the README's table
#   run.sh check   (before test/cron/run.sh check) the pg_cron job matched
#                  the traders' book
#   run.sh readme  print the README's role matrix table
#
# Run inside pg_virtualenv (PGHOST, PGPORT, PGUSER and PGPASSWORD are the
# superuser's, used only for CREATE DATABASE, CREATE EXTENSION and the
# login roles).  TAP output; exits non-zero if a test fails.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"
. "$HERE/matrix.sh"
trap 'rm -rf "$ROLES_TMP"' EXIT

CRON_DB=market_cron

finish() {
	echo "1..$tap_n"
	[ $tap_fail = 0 ]
	exit $?
}

case ${1:-} in
readme)
	matrix_markdown
	exit 0
	;;
start)
	roles_setup $CRON_DB || exit 1
	DB=$CRON_DB
	step roles_admin "cron: an admin creates a market" -d $DB <<'SQL'
SELECT market.create_market('roles: matched by pg_cron', ARRAY['YES', 'NO']);
SQL
	for t in alice bob; do
		step roles_$t "cron: $t opens its account" -d $DB -v t=$t <<'SQL'
SELECT market.create_account(:'t');
SQL
	done
	step roles_operator "cron: the operator deposits" -d $DB <<'SQL'
SELECT market.deposit(id, 100) FROM market.accounts WHERE label IN ('alice', 'bob');
SQL
	step roles_alice "cron: alice bids" -d $DB <<'SQL'
SELECT market.place_order(a.id, market.outcome_id(m.id, 1), 'buy', 10, 0.6)
  FROM market.accounts a, market.markets m WHERE m.description = 'roles: matched by pg_cron';
SQL
	step roles_bob "cron: bob offers below the bid" -d $DB <<'SQL'
SELECT market.place_order(a.id, market.outcome_id(m.id, 1), 'sell', 10, 0.5)
  FROM market.accounts a, market.markets m WHERE m.description = 'roles: matched by pg_cron';
SQL
	finish
	;;
check)
	roles_setup $CRON_DB || exit 1
	DB=$CRON_DB
	# the job runs on minute boundaries: wait for the next one at most
	i=0
	while [ $i -lt 75 ]; do
		n=$(as roles_alice -d $DB -At -c "SELECT count(*) FROM market.executions x
			JOIN market.markets m ON m.id = x.market WHERE m.description = 'roles: matched by pg_cron'")
		[ "${n:-0}" -gt 0 ] && break
		sleep 1
		i=$((i + 1))
	done
	step roles_alice "cron: the job (execute_all as an operator) matched alice's bid; she sees her fill and holding" -d $DB <<'SQL'
DO $$ BEGIN
	ASSERT (SELECT sum(quantity) FROM market.fills) = 10000000, 'no fill';
	ASSERT (SELECT sum(quantity) FROM market.position_holdings) = 10, 'no holding';
END $$;
SQL
	step roles_admin "cron: every invariant holds" -d $DB <<'SQL'
DO $$ BEGIN
	ASSERT NOT EXISTS (SELECT FROM market.check_invariants());
END $$;
SQL
	finish
	;;
esac

DB=market_roles
dropdb --if-exists $DB >/dev/null 2>&1
createdb $DB && psql -X -q -d $DB -c 'CREATE EXTENSION market' || exit 1
roles_setup $DB || exit 1

# A. the login roles connect over TCP with their passwords
for r in $ROLES; do
	step "$r" "logs in over TCP with its password from the .pgpass; not a superuser" -d $DB <<'SQL'
DO $$ BEGIN
	ASSERT session_user = current_user AND inet_server_addr() IS NOT NULL;
	ASSERT NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user);
END $$;
SQL
done
if env -u PGPASSWORD PGHOST=localhost PGUSER=roles_alice PGPASSFILE=/dev/null \
	psql -X -q -w -d $DB -c 'SELECT 1' >/dev/null 2>&1; then
	not_ok "a login role without its password is refused"
else
	ok "a login role without its password is refused (the .pgpass is what logs them in)"
fi

# B. the lifecycle
. "$HERE/lifecycle.sh"
DB=market_roles_distribution
dropdb --if-exists $DB >/dev/null 2>&1
createdb $DB && psql -X -q -d $DB -c 'CREATE EXTENSION market' || exit 1
. "$HERE/distribution.sh"

# B2. a parimutuel pool's lifecycle
DB=market_roles_pools
dropdb --if-exists $DB >/dev/null 2>&1
createdb $DB && psql -X -q -d $DB -c 'CREATE EXTENSION market' || exit 1
. "$HERE/pools.sh"

# C. the role matrix
DB=market_roles_matrix
dropdb --if-exists $DB >/dev/null 2>&1
createdb $DB && psql -X -q -d $DB -c 'CREATE EXTENSION market' || exit 1
matrix_run

# D. the README's table is the matrix
readme=$ROLES_TMP/readme
sed -n '/^<!-- role matrix: begin/,/^<!-- role matrix: end/p' "$HERE/../../README.md" |
	grep '^|' >"$readme"
if matrix_markdown | diff -u "$readme" - >"$ROLES_TMP/diff"; then
	ok "the README's role matrix is test/roles/matrix.txt"
else
	not_ok "the README's role matrix differs from test/roles/matrix.txt (sh test/roles/run.sh readme prints it)"
	sed 's/^/#   /' "$ROLES_TMP/diff"
fi
finish
