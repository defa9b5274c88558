#!/bin/sh
# execute() with fees (fee_bps 100, creator_fee_bps 50) against the same
# book without fees, in the same run on the same cluster.  Run inside
# pg_virtualenv by bench/run.sh.  Environment: FEE_SIZES (default
# "10000 100000").
set -eu
HERE=$(dirname "$0")
out=$(mktemp)
for n in ${FEE_SIZES:-10000 100000}; do
	db=market_bench_fees_$n
	dropdb --if-exists $db >/dev/null 2>&1
	createdb $db
	psql -X -q -v ON_ERROR_STOP=1 -v n=$n -d $db -f "$HERE/execute_fees.sql" | tail -1 >> "$out"
	dropdb $db
done
awk -F'|' '
{
	printf "execute with fees, %6d orders: %7d fills in %8.1f ms; without fees %7d fills in %8.1f ms; ratio %.2f (time with fees / without)\n",
		$1, $3, $5, $2, $4, $5 / $4
}' "$out"
rm -f "$out"
