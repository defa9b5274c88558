-- execute() with fees against without; run by bench/execute_fees.sh with
-- -v n=N.  Two binary markets with the same book of n orders (as in
-- execute.sql: n/2 bids at 0.50-0.69, n/2 asks at 0.31-0.50, 1 to 100
-- contracts each), one without fees and one with fee_bps 100 and
-- creator_fee_bps 50.  Each auction is rolled back so that it can run
-- again; the two alternate, three times each, and the medians compare.
\set QUIET on
\pset tuples_only on
\pset format unaligned
SET client_min_messages = warning;
SET market.notify = off;
CREATE EXTENSION IF NOT EXISTS market;
SELECT count(market.deposit(market.create_account('b' || i), 200)) FROM generate_series(1, :n) i;
SELECT market.create_account('creator') AS creator \gset
SELECT market.create_market('no fees', ARRAY['YES', 'NO']) AS plain \gset
SELECT market.create_market('fees', ARRAY['YES', 'NO'], fee_bps => 100, creator => :creator,
							creator_fee_bps => 50) AS fees \gset

-- the same book in both markets (the same seed)
CREATE FUNCTION bench_book(m bigint) RETURNS bigint LANGUAGE sql AS $$
	SELECT setseed(0.42);
	SELECT count(market.place_order(a.id, market.outcome_id(m, 1),
			CASE WHEN a.n % 2 = 0 THEN 'buy' ELSE 'sell' END,
			(1 + floor(random() * 100))::numeric,
			CASE WHEN a.n % 2 = 0 THEN 0.50 + floor(random() * 20)::numeric / 100
				 ELSE 0.31 + floor(random() * 20)::numeric / 100 END))
	  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n
			  FROM market.accounts WHERE kind = 'user' AND label LIKE 'b%') a;
$$;
SELECT bench_book(:plain), bench_book(:fees);
VACUUM ANALYZE;

CREATE FUNCTION bench_execute(m bigint, OUT ms float8, OUT executions bigint, OUT fills bigint)
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
BEGIN
	t0 := clock_timestamp();
	SELECT count(*) INTO executions FROM market.execute(m);
	SET CONSTRAINTS ALL IMMEDIATE;
	ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
	SELECT count(*) INTO fills FROM market.fills WHERE market = m;
END
$$;

CREATE TABLE runs (kind text, ms float8, executions bigint, fills bigint);
BEGIN;
SELECT ms, executions, fills FROM bench_execute(:plain) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('plain', :r_ms, :r_executions, :r_fills);
BEGIN;
SELECT ms, executions, fills FROM bench_execute(:fees) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('fees', :r_ms, :r_executions, :r_fills);
BEGIN;
SELECT ms, executions, fills FROM bench_execute(:plain) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('plain', :r_ms, :r_executions, :r_fills);
BEGIN;
SELECT ms, executions, fills FROM bench_execute(:fees) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('fees', :r_ms, :r_executions, :r_fills);
BEGIN;
SELECT ms, executions, fills FROM bench_execute(:plain) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('plain', :r_ms, :r_executions, :r_fills);
BEGIN;
SELECT ms, executions, fills FROM bench_execute(:fees) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('fees', :r_ms, :r_executions, :r_fills);

-- n | fills without | fills with | ms without (median) | ms with (median)
SELECT :n, max(fills) FILTER (WHERE kind = 'plain'), max(fills) FILTER (WHERE kind = 'fees'),
	   round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE kind = 'plain'))::numeric, 1),
	   round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE kind = 'fees'))::numeric, 1)
  FROM runs;
