-- Distribution markets: trade_distribution's time per call, and settle()
-- on a market of n positions against the set-based floor (one UPDATE and
-- one INSERT per position, one transaction).  Run by bench/distribution.sh
-- with -v n=N.  1,000 accounts trade n times in all, in one transaction,
-- each moving the mean a little.
\set QUIET on
\pset tuples_only on
\pset format unaligned
SET client_min_messages = warning;
SET market.notify = off;
CREATE EXTENSION IF NOT EXISTS market;
SELECT market.deposit(market.create_account('liquidity'), 1000) > 0;
SELECT count(market.deposit(market.create_account('d' || i), 1000)) FROM generate_series(1, 1000) i;
SELECT market.create_distribution_market('bench', 50, 10, 100,
		(SELECT id FROM market.accounts WHERE label = 'liquidity'), 5) AS m \gset
CREATE TABLE traders AS
SELECT id, row_number() OVER (ORDER BY id) AS n FROM market.accounts WHERE label LIKE 'd%';

-- Each trade its own transaction, as clients would send them (a single
-- transaction of 100,000 updates of the market's row would walk its
-- ever longer chain of row versions: quadratic, and not what happens).
CREATE TABLE trade_times (ms float8);
CREATE PROCEDURE bench_trades(m bigint, n int) LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	acct bigint[];
BEGIN
	SELECT array_agg(t.id ORDER BY t.n) INTO acct FROM traders t;
	t0 := clock_timestamp();
	FOR i IN 1 .. n LOOP
		PERFORM market.trade_distribution(acct[1 + i % 1000], m,
				50 + ((i * 7919) % 200 - 100) * 0.01, 10, 100);
		COMMIT;
	END LOOP;
	INSERT INTO trade_times VALUES (extract(epoch FROM clock_timestamp() - t0) * 1000);
	COMMIT;
END
$$;
CALL bench_trades(:m, :n);
SELECT ms FROM trade_times \gset t_
SELECT market.resolve_value(:m, 51.5);
SELECT extract(epoch FROM clock_timestamp()) AS f0 \gset
SELECT market.finalize(:m);
SELECT (extract(epoch FROM clock_timestamp()) - :f0) * 1000 AS finalize_ms \gset
VACUUM ANALYZE;

CREATE FUNCTION bench_settle(m bigint, OUT ms float8, OUT positions bigint) LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
BEGIN
	t0 := clock_timestamp();
	SELECT count(*) INTO positions FROM market.settlements s WHERE s.market = m;
	PERFORM count(*) FROM market.settle(m);
	SET CONSTRAINTS ALL IMMEDIATE;
	ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
END
$$;
CREATE TABLE floor_positions (id bigint PRIMARY KEY, paid boolean);
CREATE TABLE floor_payouts (id bigint PRIMARY KEY, amount bigint);
INSERT INTO floor_positions SELECT g, false FROM generate_series(1, :n) g;
VACUUM ANALYZE floor_positions;
CREATE FUNCTION bench_floor(n bigint, OUT ms float8) LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
BEGIN
	t0 := clock_timestamp();
	UPDATE floor_positions SET paid = true WHERE id <= n;
	INSERT INTO floor_payouts SELECT g, 1000000 FROM generate_series(1, n) g;
	ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
END
$$;

CREATE TABLE runs (kind text, ms float8, positions bigint);
BEGIN;
SELECT ms FROM bench_floor(:n) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('floor', :r_ms, :n);
BEGIN;
SELECT ms, positions FROM bench_settle(:m) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('settle', :r_ms, :r_positions);
BEGIN;
SELECT ms FROM bench_floor(:n) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('floor', :r_ms, :n);
BEGIN;
SELECT ms, positions FROM bench_settle(:m) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('settle', :r_ms, :r_positions);
BEGIN;
SELECT ms FROM bench_floor(:n) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('floor', :r_ms, :n);
BEGIN;
SELECT ms, positions FROM bench_settle(:m) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('settle', :r_ms, :r_positions);

-- n | trades ms | finalize ms | settlement rows | settle ms (median) | floor ms (median)
SELECT :n, round(:t_ms::numeric, 1), round(:finalize_ms::numeric, 1), max(positions) FILTER (WHERE kind = 'settle'),
	   round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE kind = 'settle'))::numeric, 1),
	   round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE kind = 'floor'))::numeric, 1)
  FROM runs;
