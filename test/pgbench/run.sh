#!/bin/sh
# Concurrency under load, with pgbench:
#   1. many clients depositing and withdrawing on a few accounts at once:
#      no client may fail (no deadlock, no serialization error), no balance
#      goes negative, and the total is exactly what the clients moved;
#   2. many clients drawing snowflake ids at once: every id unique.
# Usage: run.sh BINDIR (inside pg_virtualenv)
set -eu
BINDIR=$1
HERE=$(dirname "$0")
DB=market_pgbench
CLIENTS=8
TXNS=400
ACCOUNTS=5

dropdb --if-exists $DB >/dev/null 2>&1
createdb $DB
psql -X -q -v ON_ERROR_STOP=1 -d $DB -c 'CREATE EXTENSION market' \
	-c "SELECT market.deposit(market.create_account('bench' || i), 1000) FROM generate_series(1, $ACCOUNTS) i" \
	-c 'CREATE TABLE ids (id bigint PRIMARY KEY)' >/dev/null

# Each transaction is one call: a deposit of 1.000001 or a withdrawal of
# 0.5 on one of five accounts, chosen at random.
"$BINDIR/pgbench" -n -c $CLIENTS -j 2 -t $TXNS -D accounts=$ACCOUNTS \
	-f "$HERE/deposit.sql" -f "$HERE/withdraw.sql" $DB > /tmp/market_pgbench_cash.log 2>&1 || {
	cat /tmp/market_pgbench_cash.log
	echo "pgbench cash run failed"
	exit 1
}
grep -E "number of (transactions actually processed|failed)|tps" /tmp/market_pgbench_cash.log || true

psql -X -q -v ON_ERROR_STOP=1 -d $DB <<SQL
\set QUIET on
-- How many of each call committed (their events say so), and what they moved.
CREATE TEMP TABLE moved AS
SELECT count(*) FILTER (WHERE name = 'deposit') AS deposits,
	   count(*) FILTER (WHERE name = 'withdrawal') AS withdrawals
  FROM market.events WHERE name IN ('deposit', 'withdrawal');
DO \$\$
DECLARE
	m record;
	total numeric;
	expected numeric;
	violations int;
	negative int;
BEGIN
	SELECT * INTO m FROM moved;
	IF m.deposits + m.withdrawals <> $CLIENTS * $TXNS + $ACCOUNTS THEN
		RAISE EXCEPTION 'expected % committed calls, found %',
			$CLIENTS * $TXNS + $ACCOUNTS, m.deposits + m.withdrawals;
	END IF;
	SELECT sum(balance) INTO total FROM market.account_balances WHERE kind = 'user';
	expected := 1000 * $ACCOUNTS + (m.deposits - $ACCOUNTS) * 1.000001 - m.withdrawals * 0.5;
	IF total <> expected THEN
		RAISE EXCEPTION 'total % differs from what the clients moved, %', total, expected;
	END IF;
	IF total <> -market.balance(1) THEN
		RAISE EXCEPTION 'users hold %, external gave %', total, -market.balance(1);
	END IF;
	SELECT count(*) INTO negative FROM market.accounts WHERE balance < 0 AND kind = 'user';
	IF negative > 0 THEN
		RAISE EXCEPTION '% accounts went negative', negative;
	END IF;
	SELECT count(*) INTO violations FROM market.check_invariants();
	IF violations > 0 THEN
		RAISE EXCEPTION 'check_invariants() found % violations', violations;
	END IF;
	RAISE NOTICE 'cash: % deposits, % withdrawals, total % conserved, invariants hold',
		m.deposits, m.withdrawals, total;
END
\$\$;
SQL

"$BINDIR/pgbench" -n -c $CLIENTS -j 2 -t 200 -f "$HERE/snowflake.sql" $DB \
	> /tmp/market_pgbench_ids.log 2>&1 || {
	cat /tmp/market_pgbench_ids.log
	echo "pgbench snowflake run failed (a duplicate id violates the primary key)"
	exit 1
}
psql -X -q -v ON_ERROR_STOP=1 -d $DB <<SQL
DO \$\$
DECLARE
	n bigint;
BEGIN
	SELECT count(DISTINCT id) INTO n FROM ids;
	IF n <> $CLIENTS * 200 * 100 THEN
		RAISE EXCEPTION 'expected % unique ids, found %', $CLIENTS * 200 * 100, n;
	END IF;
	RAISE NOTICE 'snowflake: % ids from % concurrent clients, all unique', n, $CLIENTS;
END
\$\$;
SQL
