#!/bin/sh
# settle() on a market of 100,000 positions against the set-based floor of
# the same run.  Run inside pg_virtualenv by bench/run.sh.
set -eu
HERE=$(dirname "$0")
n=${SETTLE_POSITIONS:-100000}
db=market_bench_settle
dropdb --if-exists $db >/dev/null 2>&1
createdb $db
psql -X -q -v ON_ERROR_STOP=1 -v n=$n -d $db -f "$HERE/settle.sql" | tail -1 |
	awk -F'|' '{ printf "settle, %d positions in %.1f ms: %.0f positions/s; floor %.1f ms: %.0f/s; ratio %.2f of the floor\n",
		$2, $3, $2 / $3 * 1000, $4, $1 / $4 * 1000, $4 / $3 }'
dropdb $db
