#!/bin/sh
# execute() on crossing books of 10,000 and 100,000 orders against the
# set-based floor measured in the same run on the same cluster.  Run inside
# pg_virtualenv by bench/run.sh.  Environment: SIZES (default "10000 100000").
set -eu
HERE=$(dirname "$0")
out=$(mktemp)
for n in ${SIZES:-10000 100000}; do
	db=market_bench_$n
	dropdb --if-exists $db >/dev/null 2>&1
	createdb $db
	psql -X -q -v ON_ERROR_STOP=1 -v n=$n -d $db -f "$HERE/execute.sql" | tail -1 >> "$out"
	dropdb $db
done
awk -F'|' '
{
	n = $1; x = $2; f = $3; e = $4; fl = $5
	printf "execute, %6d orders: %3d executions, %7d fills in %8.1f ms: %9.0f fills/s; floor %8.1f ms: %9.0f fills/s; ratio %.2f of the floor\n",
		n, x, f, e, f / e * 1000, fl, f / fl * 1000, fl / e
	if (prev_n) printf "growth from %d to %d orders: %.1fx the orders, %.1fx the time\n", prev_n, n, n / prev_n, e / prev_e
	prev_n = n; prev_e = e
}' "$out"
rm -f "$out"
