#!/bin/sh
# Distribution markets (SPEC section 17): a trade's time, C alone and
# through SQL, and settle() on a market of 100,000 positions against the
# set-based floor of the same run.  Run inside pg_virtualenv by bench/run.sh.
set -eu
HERE=$(dirname "$0")
n=${DISTRIBUTION_POSITIONS:-100000}
db=market_bench_distribution
dropdb --if-exists $db >/dev/null 2>&1
createdb $db
psql -X -q -v ON_ERROR_STOP=1 -v n=$n -d $db -f "$HERE/distribution.sql" | tail -1 |
	awk -F'|' '{ printf "distribution: %d trade_distribution calls in %.1f ms: %.3f ms per trade (SQL, writes and checks included; target < 1 ms of C time)\n", $1, $2, $2 / $1;
		printf "distribution: finalize fixed %d payouts in %.1f ms\n", $4 - 1, $3;
		printf "distribution settle, %d settlement rows in %.1f ms: %.0f rows/s; floor %.1f ms: %.0f/s; ratio %.2f of the floor (target >= 0.5)\n",
		$4, $5, $4 / $5 * 1000, $6, $1 / $6 * 1000, $6 / $5 }'
dropdb $db
