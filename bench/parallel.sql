-- Setup of the markets-in-parallel benchmark; run by bench/parallel.sh with
-- -v markets=N -v book=B -v levels=L.  For each client (ix 0..N-1): an
-- auto_execute price_time market and a batch market, each with a resting
-- book of B non-crossing orders (bids 0.49 down, asks 0.51 up, L levels a
-- side), placed through market.place_order; its own makers, taker, buyer
-- and seller.  No account is shared between markets, so whatever the
-- clients of different markets wait for is shared by the system.
\set QUIET on
\pset tuples_only on
\pset format unaligned
SET client_min_messages = warning;
SET market.notify = off;
SET synchronous_commit = off;
CREATE EXTENSION IF NOT EXISTS market;
SELECT setseed(0.23);

CREATE TABLE par_markets (ix int PRIMARY KEY, auto_market bigint, auto_outcome bigint,
						  batch_market bigint, batch_outcome bigint,
						  taker bigint, buyer bigint, seller bigint);
CREATE TABLE par_makers (ix int, kind text, i int, account bigint, side text, price numeric,
						 quantity numeric);
SET bench.markets = :markets;
DO $$
DECLARE
	a bigint;
	b bigint;
BEGIN
	FOR k IN 0 .. current_setting('bench.markets')::int - 1 LOOP
		a := market.create_market('parallel auto ' || k, ARRAY['YES', 'NO'], tick_size => 0.01,
								  auto_execute => true, allocation => 'price_time');
		b := market.create_market('parallel batch ' || k, ARRAY['YES', 'NO'], tick_size => 0.01);
		INSERT INTO par_markets
			VALUES (k, a, market.outcome_id(a, 1), b, market.outcome_id(b, 1),
					market.create_account('taker ' || k), market.create_account('buyer ' || k),
					market.create_account('seller ' || k));
	END LOOP;
END
$$;
SELECT count(market.deposit(x, 1000000))
  FROM par_markets, unnest(ARRAY[taker, buyer, seller]) x;
INSERT INTO par_makers
	SELECT m.ix, kind, i, market.create_account('maker ' || kind || ' ' || m.ix || ' ' || i),
		   CASE WHEN i % 2 = 1 THEN 'buy' ELSE 'sell' END,
		   CASE WHEN i % 2 = 1 THEN 0.49 - ((i - 1) / 2 % :levels) * 0.01
				ELSE 0.51 + ((i - 1) / 2 % :levels) * 0.01 END,
		   (500 + floor(random() * 1001))::numeric
	  FROM par_markets m, unnest(ARRAY['auto', 'batch']) kind, generate_series(1, :book) i;
SELECT count(market.deposit(account, 10000)) FROM par_makers;

-- Places the planned order of every maker of market ix that has none open
-- (the build, and after a run of crossing placements).
CREATE FUNCTION replenish(k int) RETURNS bigint LANGUAGE sql AS $$
	SELECT count(market.place_order(p.account,
			CASE p.kind WHEN 'auto' THEN m.auto_outcome ELSE m.batch_outcome END,
			p.side, p.quantity, p.price))
	  FROM par_makers p JOIN par_markets m USING (ix)
	 WHERE p.ix = k
	   AND NOT EXISTS (SELECT FROM market.orders o
					   WHERE o.account = p.account AND o.status = 'open')
$$;
SELECT sum(replenish(ix)) FROM par_markets;

-- Runs of pgbench and samples of what their backends wait for.
CREATE TABLE runs (round int, workload text, notify text, markets int, tps float8,
				   failed bigint, retried bigint);
CREATE TABLE samples (run text, pid int, wait text, lock text);
CREATE PROCEDURE sample(run text, seconds float8) LANGUAGE plpgsql AS $$
DECLARE
	stop timestamptz := clock_timestamp() + seconds * interval '1 second';
BEGIN
	SET synchronous_commit = off;
	WHILE clock_timestamp() < stop LOOP
		PERFORM pg_stat_clear_snapshot();
		INSERT INTO samples
			SELECT run, a.pid, coalesce(a.wait_event_type || ':' || a.wait_event, 'CPU'),
				   (SELECT string_agg(l.locktype || CASE WHEN l.granted THEN ' ' ELSE ' waiting ' END
									  || CASE WHEN l.locktype = 'object' AND l.classid = 'pg_database'::regclass
												   AND l.objid = 0
											  THEN '(the NOTIFY queue: commits of notifying transactions)'
											  ELSE '' END
									  || coalesce(l.relation::regclass::text, '')
									  || coalesce(' (' || l.page || ',' || l.tuple || ')', '')
									  || coalesce(' class ' || l.classid::regclass::text, '')
									  || coalesce(' obj ' || l.objid || '/' || l.objsubid, ''), '; ')
					  FROM pg_locks l
					 WHERE l.pid = a.pid AND (NOT l.granted OR l.locktype = 'tuple'))
			  FROM pg_stat_activity a
			 WHERE a.application_name = 'pgbench' AND a.state = 'active'
			   AND a.datname = current_database();
		COMMIT;
		PERFORM pg_sleep(0.05);
	END LOOP;
END
$$;
VACUUM ANALYZE;
