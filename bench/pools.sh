#!/bin/sh
# A parimutuel pool of 100,000 commitments: resolve (the distribution),
# finalize (fees, what each account is owed) and settle (the payouts), in
# one transaction, against the set-based floor of the same run.  Run
# inside pg_virtualenv by bench/run.sh.
set -eu
HERE=$(dirname "$0")
n=${POOL_COMMITMENTS:-100000}
db=market_bench_pools
dropdb --if-exists $db >/dev/null 2>&1
createdb $db
psql -X -q -v ON_ERROR_STOP=1 -v n=$n -d $db -f "$HERE/pools.sql" | tail -1 |
	awk -F'|' '{ printf "pool, %d commitments resolved, finalized and settled in %.1f ms: %.0f/s; floor %.1f ms: %.0f/s; ratio %.2f of the floor\n",
		$2, $3, $2 / $3 * 1000, $4, $1 / $4 * 1000, $4 / $3 }'
dropdb $db
