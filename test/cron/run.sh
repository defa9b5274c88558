#!/bin/sh
# The README's pg_cron runbook, run for real: schedule execute_all() every
# minute as an operator, leave a crossing book, and see the job match it.
# pg_cron 1.4 (Debian 12) runs jobs on minute boundaries, so test/suites.sh
# calls "run.sh start" first and "run.sh check" after the other suites.
# Run inside pg_virtualenv with pg_cron preloaded and cron.database_name
# set to market_cron.
set -eu
DB=market_cron
if [ "${1:-}" = "start" ]; then
	dropdb --if-exists $DB >/dev/null 2>&1
createdb $DB
psql -X -q -v ON_ERROR_STOP=1 -d $DB <<'SQL' >/dev/null
CREATE EXTENSION market;
CREATE EXTENSION pg_cron;
CREATE ROLE cron_operator LOGIN PASSWORD 'cron' IN ROLE market_operator;
GRANT USAGE ON SCHEMA cron TO cron_operator;
SELECT market.deposit(market.create_account(l), 100) FROM unnest(ARRAY['a', 'b']) l;
SELECT market.create_market('cron', ARRAY['YES', 'NO']);
SELECT market.place_order(id, market.outcome_id(market.market_id(1), 1), 'buy', 10, 0.6)
  FROM market.accounts WHERE label = 'a';
SELECT market.place_order(id, market.outcome_id(market.market_id(1), 1), 'sell', 10, 0.5)
  FROM market.accounts WHERE label = 'b';
SQL
# the job runs as the role that schedules it
PGUSER=cron_operator PGPASSWORD=cron psql -X -q -v ON_ERROR_STOP=1 -d $DB \
	-c "SELECT cron.schedule('market-auctions', '* * * * *', 'SELECT market.execute_all()')" >/dev/null
exit 0
fi

# check: wait for the next minute boundary (and a little) at most
i=0
while [ $i -lt 75 ]; do
	n=$(psql -X -At -d $DB -c "SELECT count(*) FROM market.executions")
	[ "$n" -gt 0 ] && break
	sleep 1
	i=$((i + 1))
done
status=$(psql -X -At -d $DB -c "SELECT string_agg(DISTINCT status || ': ' || coalesce(return_message, ''), '; ') FROM cron.job_run_details")
violations=$(psql -X -At -d $DB -c "SELECT count(*) FROM market.check_invariants()")
psql -X -q -d $DB -c "SELECT cron.unschedule('market-auctions')" >/dev/null 2>&1 || true
fail=0
if [ "$n" -gt 0 ]; then
	echo "ok 1 - pg_cron ran execute_all() as an operator and it matched the book ($n execution)"
else
	echo "not ok 1 - no execution after the job's minute (job runs: ${status:-none})"; fail=1
fi
if [ "$violations" = "0" ]; then
	echo "ok 2 - every invariant holds"
else
	echo "not ok 2 - $violations invariant violations"; fail=1
fi
echo "1..2"
exit $fail
