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

# Trading: clients replace orders in two markets that share every account,
# run auctions in either, and deposit, all at once.  Deadlocks or
# serialization failures would be retried (--max-tries) and counted;
# none may fail for good, and the ledger must balance afterwards.
psql -X -q -v ON_ERROR_STOP=1 -d $DB <<'SQL' >/dev/null
-- A trader's order: replace it, or place it if it filled; an account that
-- another client just gave an order, or that is out of cash, sits this
-- one out.  Those are trading outcomes; anything else is a failure.
CREATE FUNCTION trade(account bigint, outcome bigint, side text, quantity numeric, price numeric)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		PERFORM market.replace_order(account, outcome, side, quantity, price);
	EXCEPTION WHEN no_data_found THEN
		PERFORM market.place_order(account, outcome, side, quantity, price);
	END;
EXCEPTION WHEN unique_violation OR SQLSTATE 'MK001' THEN
	NULL;
END
$$;
SQL
psql -X -q -v ON_ERROR_STOP=1 -d $DB \
	-c "SELECT market.deposit(market.create_account('trader' || i), 1000) FROM generate_series(1, 20) i" \
	-c "SELECT market.create_market('one', ARRAY['YES', 'NO']), market.create_market('two', ARRAY['YES', 'NO'])" \
	-c "SELECT market.place_order(a.id, market.outcome_id(market.market_id(m), 1), 'buy', 1, 0.10)
	      FROM market.accounts a, generate_series(1, 2) m WHERE a.label LIKE 'trader%'" >/dev/null
"$BINDIR/pgbench" -n -c $CLIENTS -j 2 -t 300 --max-tries=10 -D accounts=20 \
	-f "$HERE/trade.sql@6" -f "$HERE/auction.sql@2" -f "$HERE/trade_deposit.sql@1" $DB \
	> /tmp/market_pgbench_trade.log 2>&1 || {
	cat /tmp/market_pgbench_trade.log
	echo "pgbench trading run failed"
	exit 1
}
grep -E "number of (transactions actually processed|failed|transactions retried)" /tmp/market_pgbench_trade.log || true
psql -X -q -v ON_ERROR_STOP=1 -d $DB <<SQL
DO \$\$
DECLARE
	failed text;
	violations int;
	total numeric;
BEGIN
	SELECT count(*) INTO violations FROM market.check_invariants();
	IF violations > 0 THEN
		RAISE EXCEPTION 'check_invariants() found % violations after trading', violations;
	END IF;
	SELECT sum(balance) INTO total FROM market.account_balances WHERE kind IN ('user', 'collateral');
	IF total <> -market.balance(1) THEN
		RAISE EXCEPTION 'traders and collateral hold %, external gave %', total, -market.balance(1);
	END IF;
	RAISE NOTICE 'trading: % executions in 2 markets, % conserved, invariants hold',
		(SELECT count(*) FROM market.executions), total;
END
\$\$;
-- The rest of the lifecycle: market one resolves to YES, market two to a
-- payout vector; everyone is settled, market two in batches.  Afterwards
-- both collaterals are empty and the traders hold exactly what came in.
SELECT market.resolve(market.market_id(1), market.outcome_id(market.market_id(1), 1));
SELECT market.resolve(market.market_id(2), ARRAY[0.37, 0.63]);
SELECT count(*) FROM market.settle(market.market_id(1));
DO \$\$
DECLARE
	paid bigint;
BEGIN
	LOOP
		SELECT count(*) INTO paid FROM market.settle(market.market_id(2), max_positions => 3);
		EXIT WHEN paid = 0;
	END LOOP;
END
\$\$;
DO \$\$
DECLARE
	traders numeric;
	left_over numeric;
	realized numeric;
BEGIN
	SELECT sum(collateral) INTO left_over FROM market.market_overview;
	IF left_over <> 0 THEN
		RAISE EXCEPTION 'collateral left after settling everyone: %', left_over;
	END IF;
	SELECT sum(balance) INTO traders FROM market.account_balances WHERE kind = 'user';
	IF traders <> -market.balance(1) THEN
		RAISE EXCEPTION 'traders hold %, deposits minus withdrawals are %', traders, -market.balance(1);
	END IF;
	SELECT sum(realized_pnl) INTO realized FROM market.positions_summary;
	IF realized <> 0 THEN
		RAISE EXCEPTION 'realized P&L sums to %, not zero', realized;
	END IF;
	IF (SELECT count(*) FROM market.check_invariants()) > 0 THEN
		RAISE EXCEPTION 'invariants broken after settlement';
	END IF;
	RAISE NOTICE 'lifecycle: both markets settled, collateral 0, traders hold % = deposits - withdrawals, realized P&L sums to 0',
		traders;
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
