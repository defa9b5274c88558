#!/bin/sh
# Backups: pg_dump a database with a market in mid-life, restore it into a
# new database, and check that every account, holding, order and journal
# entry came back, that the invariants hold there, and that the restored
# exchange keeps working (the system accounts are where the journal says).
# Then the drop guard: pg_restore --clean over a live ledger is refused
# until a superuser sets market.allow_drop, and then restores it.
# Run inside pg_virtualenv by test/suites.sh.
set -eu
SRC=market_backup
DST=market_restored
dump=$(mktemp)
dropdb --if-exists $SRC >/dev/null 2>&1
dropdb --if-exists $DST >/dev/null 2>&1
createdb $SRC
psql -X -q -v ON_ERROR_STOP=1 -d $SRC <<'SQL' >/dev/null
CREATE EXTENSION market;
SELECT market.deposit(market.create_account(l), 100) FROM unnest(ARRAY['a', 'b', 'c']) l;
SELECT market.create_market('backup', ARRAY['YES', 'NO']);
SELECT market.place_order(id, market.outcome_id(market.market_id(1), 1), 'buy', 10, 0.6)
  FROM market.accounts WHERE label = 'a';
SELECT market.place_order(id, market.outcome_id(market.market_id(1), 1), 'sell', 4, 0.5)
  FROM market.accounts WHERE label = 'b';
SELECT market.place_order(id, market.outcome_id(market.market_id(1), 2), 'buy', 3, 0.3)
  FROM market.accounts WHERE label = 'c';
SELECT count(*) FROM market.execute(market.market_id(1));
SELECT market.withdraw(id, 1) FROM market.accounts WHERE label = 'c';
SQL

state() {
	psql -X -At -d "$1" -c "
	SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (
	  SELECT 'a' || id || ':' || balance || ':' || locked FROM market.accounts
	  UNION ALL SELECT 'h' || account || ':' || outcome || ':' || quantity FROM market.holdings
	  UNION ALL SELECT 'o' || id || ':' || status || ':' || quantity || ':' || escrow FROM market.orders
	  UNION ALL SELECT 'j' || transfer || ':' || account || ':' || amount || ':' || coalesce(balance_after, 0) FROM market.journal
	  UNION ALL SELECT 'f' || execution || ':' || order_id || ':' || paid FROM market.fills
	  UNION ALL SELECT 'e' || count(*) FROM market.events) s(x)"
}

before=$(state $SRC)
pg_dump -Fc -d $SRC -f "$dump"
createdb $DST
pg_restore -d $DST --exit-on-error "$dump"
after=$(state $DST)

fail=0
if [ "$before" = "$after" ]; then
	echo "ok 1 - the restored database holds the same accounts, holdings, orders, journal, fills and events"
else
	echo "not ok 1 - restored state differs ($before vs $after)"; fail=1
fi
violations=$(psql -X -At -d $DST -c "SELECT count(*) FROM market.check_invariants()")
if [ "$violations" = "0" ]; then
	echo "ok 2 - every invariant holds in the restored database"
else
	echo "not ok 2 - $violations invariant violations after restore"; fail=1
fi
if psql -X -q -At -v ON_ERROR_STOP=1 -d $DST -c "
	SELECT market.deposit(id, 5) FROM market.accounts WHERE label = 'c';
	SELECT count(*) FROM market.execute(market.market_id(1));" >/dev/null &&
   [ "$(psql -X -At -d $DST -c "SELECT count(*) FROM market.check_invariants()")" = "0" ]; then
	echo "ok 3 - the restored exchange takes deposits and runs auctions"
else
	echo "not ok 3 - the restored exchange does not work"; fail=1
fi

# pg_restore --clean drops the extension first: refused while the journal
# holds entries, and nothing changes.
live=$(state $DST)
if pg_restore -d $DST --clean --exit-on-error "$dump" 2>"$dump.err"; then
	echo "not ok 4 - pg_restore --clean dropped a live ledger"; fail=1
elif grep -q "cannot drop the market ledger" "$dump.err" && [ "$(state $DST)" = "$live" ]; then
	echo "ok 4 - pg_restore --clean is refused over a live ledger and changes nothing"
else
	echo "not ok 4 - pg_restore --clean failed otherwise:"; cat "$dump.err"; fail=1
fi
if PGOPTIONS='-c market.allow_drop=on' pg_restore -d $DST --clean --exit-on-error "$dump" &&
   [ "$(state $DST)" = "$before" ]; then
	echo "ok 5 - with market.allow_drop set by a superuser, pg_restore --clean restores the dump"
else
	echo "not ok 5 - pg_restore --clean with market.allow_drop failed"; fail=1
fi
rm -f "$dump" "$dump.err"
echo "1..5"
dropdb $SRC
dropdb $DST
exit $fail
