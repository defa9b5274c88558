#!/bin/sh
# Run inside pg_virtualenv by bench/run.sh.
set -eu
BINDIR=$1
HERE=$(dirname "$0")
CLIENTS=${CLIENTS:-8}
SECONDS_=${SECONDS:-10}
DB=market_bench

dropdb --if-exists $DB >/dev/null 2>&1
createdb $DB
"$BINDIR/pgbench" -q -i -s 10 $DB >/dev/null 2>&1
psql -X -q -d $DB -c 'CREATE EXTENSION market' \
	-c "SELECT market.create_account('bench' || i) FROM generate_series(1, $CLIENTS) i" >/dev/null
# Accounts in client order, so client n deposits to the n-th account; each
# has an open order in one market, which the order workload replaces.
psql -X -q -d $DB -c "CREATE TABLE bench_accounts AS
	SELECT row_number() OVER (ORDER BY id) - 1 AS client, id FROM market.accounts WHERE kind = 'user'" \
	-c "SELECT market.deposit(id, 1000000) FROM bench_accounts" \
	-c "SELECT market.create_market('bench', ARRAY['YES', 'NO'])" \
	-c "SELECT market.place_order(id, market.outcome_id(market.market_id(1), 1), 'buy', 1, 0.10) FROM bench_accounts" >/dev/null

tps() {
	"$BINDIR/pgbench" -n -c "$CLIENTS" -j 2 -T "$SECONDS_" "$@" $DB 2>/dev/null |
		sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}

echo "clients: $CLIENTS, $SECONDS_ s per run, TPC-B scale 10"
tpcb=$(tps -b tpcb-like)
own=$(tps -f "$HERE/deposit_own.sql")
off=$(tps -f "$HERE/deposit_own_nonotify.sql")
one=$(tps -f "$HERE/deposit_one.sql")
orders=$(tps -f "$HERE/replace_order.sql")
tpcb2=$(tps -b tpcb-like)

awk -v a="$tpcb" -v b="$own" -v c="$off" -v d="$one" -v e="$tpcb2" -v o="$orders" 'BEGIN {
	base = (a + e) / 2;
	printf "%-44s %10.0f tps\n", "pgbench TPC-B (baseline, mean of 2 runs)", base;
	printf "%-44s %10.0f tps  %.2fx TPC-B\n", "deposit, one account per client", b, b / base;
	printf "%-44s %10.0f tps  %.2fx TPC-B\n", "deposit, one account per client, no NOTIFY", c, c / base;
	printf "%-44s %10.0f tps  %.2fx TPC-B\n", "deposit, every client on one account", d, d / base;
	printf "%-44s %10.2f\n", "distinct accounts / one account", b / d;
	printf "%-44s %10.0f tps  %.2fx TPC-B (target 1.5x)\n", "place_order (replace_order), one market", o, o / base;
}'
psql -X -q -At -d $DB -c "SELECT 'invariant violations after the runs: ' || count(*) FROM market.check_invariants()"
