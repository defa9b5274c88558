-- One size of the execute() benchmark; run by bench/execute.sh with -v n=N.
-- A binary market with n orders: n/2 bids for YES at 0.50-0.69 and n/2
-- asks at 0.31-0.50, 1 to 100 contracts each, every account its own order.
-- Almost everything crosses.
\set QUIET on
\pset tuples_only on
\pset format unaligned
SET client_min_messages = warning;
SET market.notify = off;
CREATE EXTENSION IF NOT EXISTS market;
SELECT setseed(0.42);
SELECT count(market.deposit(market.create_account('b' || i), 200)) FROM generate_series(1, :n) i;
SELECT market.create_market('bench', ARRAY['YES', 'NO']) AS m \gset
SELECT market.outcome_id(:m, 1) AS yes \gset
SELECT count(market.place_order(a.id, :yes,
		CASE WHEN a.n % 2 = 0 THEN 'buy' ELSE 'sell' END,
		(1 + floor(random() * 100))::numeric,
		CASE WHEN a.n % 2 = 0 THEN 0.50 + floor(random() * 20)::numeric / 100
			 ELSE 0.31 + floor(random() * 20)::numeric / 100 END))
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM market.accounts WHERE kind = 'user') a;
VACUUM ANALYZE;

-- execute(), with the deferred checks fired inside the timing, rolled back
-- so the same book can be run again.
CREATE FUNCTION bench_execute(m bigint, OUT ms float8, OUT executions bigint, OUT fills bigint)
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
BEGIN
	t0 := clock_timestamp();
	SELECT count(*) INTO executions FROM market.execute(m);
	SET CONSTRAINTS ALL IMMEDIATE;
	ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
	SELECT count(*) INTO fills FROM market.fills;
END
$$;

-- The floor: one UPDATE and one INSERT per fill, set-based, one transaction.
CREATE TABLE floor_orders (id bigint PRIMARY KEY, quantity bigint, status text);
CREATE TABLE floor_fills (execution bigint, order_id bigint, quantity bigint, price bigint,
						  PRIMARY KEY (execution, order_id));
CREATE FUNCTION bench_floor(nfills bigint, OUT ms float8) LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
BEGIN
	t0 := clock_timestamp();
	UPDATE floor_orders SET quantity = 0, status = 'filled' WHERE id <= nfills;
	INSERT INTO floor_fills SELECT g / 1000, g, 1000000, 500000 FROM generate_series(1, nfills) g;
	ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
END
$$;

CREATE TABLE runs (kind text, ms float8, executions bigint, fills bigint);
-- Each run is rolled back; its figures travel out in psql variables.
BEGIN;
SELECT ms, executions, fills FROM bench_execute(:m) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('execute', :r_ms, :r_executions, :r_fills);
\set nfills :r_fills
INSERT INTO floor_orders SELECT g, 1000000, 'open' FROM generate_series(1, :nfills) g;
VACUUM ANALYZE floor_orders;
-- alternate the two, three times each
BEGIN;
SELECT ms FROM bench_floor(:nfills) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('floor', :r_ms, 0, :nfills);
BEGIN;
SELECT ms, executions, fills FROM bench_execute(:m) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('execute', :r_ms, :r_executions, :r_fills);
BEGIN;
SELECT ms FROM bench_floor(:nfills) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('floor', :r_ms, 0, :nfills);
BEGIN;
SELECT ms, executions, fills FROM bench_execute(:m) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('execute', :r_ms, :r_executions, :r_fills);
BEGIN;
SELECT ms FROM bench_floor(:nfills) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('floor', :r_ms, 0, :nfills);

-- n | executions | fills | execute ms (median) | floor ms (median)
SELECT :n, max(executions) FILTER (WHERE kind = 'execute'), :nfills,
	   round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE kind = 'execute'))::numeric, 1),
	   round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE kind = 'floor'))::numeric, 1)
  FROM runs;
