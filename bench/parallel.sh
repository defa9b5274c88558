#!/bin/sh
# Markets in parallel (SPEC section 17): one client per market, in 1, 2, 4
# ... markets at once, with market.notify on and off:
#   auto_execute placements: crossing ioc placements (1 to 3 contracts at
#     the touch) into a price_time market with a resting book;
#   batch cycles: a crossing buy and sell, then execute() over the book.
# Prints each throughput as a ratio to the 1-market figure of the same
# workload (and pgbench's TPC-B with as many clients, the machine's own
# scaling), and what the clients' backends waited for, sampled from
# pg_stat_activity and pg_locks every 50 ms.  The markets share no account,
# so one client per market waits on a row lock only if the system shares
# that row.  Run inside pg_virtualenv by bench/run.sh ($1: PostgreSQL's
# bindir).  Environment: PAR_MARKETS (default "1 2 4"), PAR_SECONDS per run
# (4), PAR_ROUNDS (3), PAR_BOOK resting orders a market (1000), PAR_LEVELS
# a side (10).
set -eu
BINDIR=${1:-/usr/lib/postgresql/15/bin}
HERE=$(dirname "$0")
COUNTS=${PAR_MARKETS:-1 2 4}
SECS=${PAR_SECONDS:-4}
ROUNDS=${PAR_ROUNDS:-3}
BOOK=${PAR_BOOK:-1000}
LEVELS=${PAR_LEVELS:-10}
DB=market_par
log=$(mktemp)
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -d $DB "$@"; }

load0=$(cut -d' ' -f1-3 /proc/loadavg)
max=0
for n in $COUNTS; do [ "$n" -gt $max ] && max=$n; done
dropdb --if-exists $DB >/dev/null 2>&1
createdb $DB
"$BINDIR/pgbench" -q -i -s 10 $DB >/dev/null 2>&1
sql -v markets=$max -v book="$BOOK" -v levels="$LEVELS" -f "$HERE/parallel.sql" >/dev/null

echo "markets: up to $max auto_execute (price_time) and $max batch (pro_rata), tick 0.01, $BOOK resting orders each"
echo "($((BOOK / (2 * LEVELS))) a level, $LEVELS levels a side, 500-1500 contracts), one client per market, no shared accounts;"
echo "$SECS s per run, $ROUNDS rounds (median); $(nproc) cores, shared and noisy: read the ratios"

run() { # round workload notify markets script...
	r=$1 w=$2 nt=$3 n=$4
	shift 4
	sql -c "CALL sample('$w $nt $n $r', $SECS)" &
	sampler=$!
	out=$(PGOPTIONS="-c market.notify=$nt" "$BINDIR/pgbench" -n -c "$n" -j "$n" -T "$SECS" \
		--max-tries=10 "$@" $DB 2>>"$log") ||
		echo "warning: pgbench $w notify=$nt $n markets exited with an error (see below)"
	wait $sampler
	tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
	failed=$(echo "$out" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p')
	retried=$(echo "$out" | sed -n 's/^number of transactions retried: \([0-9]*\).*/\1/p')
	sql -c "INSERT INTO runs VALUES ($r, '$w', '$nt', $n, ${tps:-0}, ${failed:-0}, ${retried:-0})"
}

round=1
while [ $round -le "$ROUNDS" ]; do
	for n in $COUNTS; do
		run $round tpcb on "$n" -b tpcb-like
	done
	for nt in on off; do
		for n in $COUNTS; do
			run $round auto $nt "$n" -f "$HERE/parallel_take.sql"
			sql -c "SELECT sum(replenish(ix)) FROM par_markets" >/dev/null
			run $round batch $nt "$n" -f "$HERE/parallel_cycle.sql"
		done
	done
	round=$((round + 1))
done

sql -c "
WITH med AS (
	SELECT workload, notify, markets, percentile_cont(0.5) WITHIN GROUP (ORDER BY tps) AS tps,
		   sum(failed) AS failed, sum(retried) AS retried
	  FROM runs GROUP BY 1, 2, 3),
waits AS (
	SELECT workload, notify, markets, wait, count(*) AS n,
		   sum(count(*)) OVER (PARTITION BY workload, notify, markets) AS total
	  FROM (SELECT split_part(run, ' ', 1) AS workload, split_part(run, ' ', 2) AS notify,
				   split_part(run, ' ', 3)::int AS markets, wait FROM samples) s
	 GROUP BY 1, 2, 3, 4),
top AS (
	SELECT workload, notify, markets,
		   string_agg(wait || ' ' || round(100.0 * n / total) || '%', ', ' ORDER BY n DESC, wait)
			   FILTER (WHERE 100.0 * n / total >= 2) AS waits
	  FROM waits GROUP BY 1, 2, 3)
SELECT format('%-24s %6s %7s %8s %8s %7s %7s  %s', 'workload', 'notify', 'markets', 'a second',
			  'ratio', 'of TPC-B', 'retried', 'waits of the busy backends, sampled (>= 2%)')
UNION ALL
(SELECT format('%-24s %6s %7s %8s %7sx %8s %7s  %s',
			  CASE m.workload WHEN 'auto' THEN 'auto_execute placements'
							  WHEN 'batch' THEN 'batch cycles (3 tx each)'
							  ELSE 'pgbench TPC-B' END,
			  CASE WHEN m.workload = 'tpcb' THEN '-' ELSE m.notify END, m.markets,
			  round(m.tps::numeric), round((m.tps / b.tps)::numeric, 2),
			  CASE WHEN m.workload = 'tpcb' THEN '' ELSE
				  round((m.tps / b.tps / (c.tps / c1.tps))::numeric, 2)::text END,
			  m.retried || CASE WHEN m.failed > 0 THEN ' FAILED ' || m.failed ELSE '' END,
			  coalesce(t.waits, ''))
  FROM med m
  JOIN med b ON b.workload = m.workload AND b.notify = m.notify
			AND b.markets = (SELECT min(markets) FROM runs)
  JOIN med c ON c.workload = 'tpcb' AND c.markets = m.markets
  JOIN med c1 ON c1.workload = 'tpcb' AND c1.markets = b.markets
  LEFT JOIN top t ON t.workload = m.workload AND t.notify = m.notify AND t.markets = m.markets
 ORDER BY CASE m.workload WHEN 'tpcb' THEN 0 WHEN 'auto' THEN 1 ELSE 2 END, m.notify DESC, m.markets)"
echo "ratio: throughput over the same workload's with one market (one client); clients = markets;"
echo "of TPC-B: that ratio over TPC-B's with as many clients (1.00: scales as the machine lets TPC-B)"
echo "locks the markets' clients waited for, sampled (a client alone in its market waits only for"
echo "a row or lock the markets share):"
sql -c "
SELECT format('  %-28s %s: %s samples', label, lock, count(*))
  FROM (SELECT split_part(run, ' ', 1) || ' notify ' || split_part(run, ' ', 2)
			   || ', ' || split_part(run, ' ', 3) || ' clients' AS label, lock
		  FROM samples WHERE lock IS NOT NULL AND run NOT LIKE 'tpcb %') s
 GROUP BY label, lock ORDER BY count(*) DESC LIMIT 12" >"$log.l"
if [ -s "$log.l" ]; then cat "$log.l"; else echo "  none sampled"; fi
sql -c "SELECT format('  (TPC-B waited on row locks of its own branches and tellers in %s samples)', count(*))
		  FROM samples WHERE lock IS NOT NULL AND run LIKE 'tpcb %'"
echo "load average at the start and the end (other work on the machine): $load0 / $(cut -d' ' -f1-3 /proc/loadavg)"
sql -c "SELECT 'invariant violations after the runs: ' || count(*) FROM market.check_invariants()"
if grep -q -i 'error\|abort' "$log"; then
	echo "errors reported by pgbench:"
	grep -i 'error\|abort' "$log" | sort | uniq -c | sort -rn | head -10
fi
rm -f "$log" "$log.l"
dropdb $DB
