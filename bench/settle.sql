-- settle() on a market with n positions, against the set-based floor (one
-- UPDATE and one INSERT per position, one transaction).  Run by
-- bench/settle.sh with -v n=N.  n/2 accounts buy YES and n/2 buy NO at
-- 0.50: one auction mints n/2 sets and leaves n positions.
\set QUIET on
\pset tuples_only on
\pset format unaligned
SET client_min_messages = warning;
SET market.notify = off;
CREATE EXTENSION IF NOT EXISTS market;
SELECT count(market.deposit(market.create_account('s' || i), 10)) FROM generate_series(1, :n) i;
SELECT market.create_market('settle bench', ARRAY['YES', 'NO']) AS m \gset
SELECT count(market.place_order(a.id, market.outcome_id(:m, (1 + a.n % 2)::int), 'buy', 1, 0.50))
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM market.accounts WHERE kind = 'user') a;
SELECT count(*) FROM market.execute(:m);
SELECT market.resolve(:m, market.outcome_id(:m, 1));
SELECT market.finalize(:m);
VACUUM ANALYZE;

CREATE FUNCTION bench_settle(m bigint, OUT ms float8, OUT positions bigint) LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
BEGIN
	t0 := clock_timestamp();
	SELECT count(*) INTO positions FROM market.settle(m);
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
BEGIN;
SELECT ms FROM bench_floor(:n) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('floor', :r_ms, :n);

-- n | positions | settle ms (median) | floor ms (median)
SELECT :n, max(positions) FILTER (WHERE kind = 'settle'),
	   round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE kind = 'settle'))::numeric, 1),
	   round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE kind = 'floor'))::numeric, 1)
  FROM runs;
