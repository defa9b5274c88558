-- Setup of the continuous-trading benchmark; run by bench/continuous.sh with
-- -v sizes='1000 10000 100000' -v clients=N -v levels=L -v chunk=C.
-- Accounts and deposits are made set-based here; the resting orders are
-- only planned here (table plan) and placed by pgbench through
-- market.place_order (bench/continuous_build.sql).
\set QUIET on
\pset tuples_only on
\pset format unaligned
SET client_min_messages = warning;
SET market.notify = off;
SET synchronous_commit = off;
CREATE EXTENSION IF NOT EXISTS market;
SELECT setseed(0.17);

SELECT max(s::int) AS nmax, count(*) AS nsizes
  FROM unnest(string_to_array(:'sizes', ' ')) s WHERE s <> '' \gset

-- One maker account per resting order of the largest book; maker i rests in
-- every book of at least i orders (one open order per account per market),
-- at most 2 x nsizes orders of at most 735 cash of escrow each, and the
-- orders a crossing run fills are placed again (8 of them covered).
SELECT count(market.deposit(market.create_account('maker' || i), 750 * (2 * :nsizes + 8)))
  FROM generate_series(1, :nmax) i;
CREATE TABLE makers AS
	SELECT row_number() OVER (ORDER BY id) AS i, id AS account
	  FROM market.accounts WHERE kind = 'user' AND label LIKE 'maker%';
CREATE UNIQUE INDEX ON makers (i);
-- One taker per client (client_id 0..clients-1); takes are ioc, never rest.
SELECT count(market.deposit(market.create_account('taker' || c), 1000000))
  FROM generate_series(0, :clients - 1) c;
CREATE TABLE takers AS
	SELECT row_number() OVER (ORDER BY id) - 1 AS client, id AS account
	  FROM market.accounts WHERE kind = 'user' AND label LIKE 'taker%';

-- One auto_execute market per allocation rule and book size.
CREATE TABLE cont_markets (ix int, rule text, size int, market bigint, outcome bigint);
INSERT INTO cont_markets (ix, rule, size)
	SELECT row_number() OVER (ORDER BY r.o, s.o), r.rule, s.size::int
	  FROM unnest(ARRAY['price_time', 'pro_rata']) WITH ORDINALITY r(rule, o),
		   unnest(string_to_array(:'sizes', ' ')) WITH ORDINALITY s(size, o)
	 WHERE s.size <> '';
DO $$
DECLARE
	r record;
	m bigint;
BEGIN
	FOR r IN SELECT * FROM cont_markets ORDER BY ix LOOP
		m := market.create_market('continuous ' || r.rule || ' ' || r.size, ARRAY['YES', 'NO'],
								  tick_size => 0.01, auto_execute => true, allocation => r.rule);
		UPDATE cont_markets SET market = m, outcome = market.outcome_id(m, 1) WHERE ix = r.ix;
	END LOOP;
END
$$;

-- The resting orders: odd i bid, even i ask, level ((i - 1) / 2) mod
-- levels from the touch (bids 0.49 down, asks 0.51 up), 500 to 1500
-- contracts.  Placed in chunks of one market each, the chunks in random
-- order (so parallel clients mostly work in different markets) and the
-- orders of a market in random order.
CREATE TABLE plan AS
	SELECT m.market, m.outcome, k.i, mk.account,
		   CASE WHEN k.i % 2 = 1 THEN 'buy' ELSE 'sell' END AS side,
		   CASE WHEN k.i % 2 = 1 THEN 0.49 - ((k.i - 1) / 2 % :levels) * 0.01
				ELSE 0.51 + ((k.i - 1) / 2 % :levels) * 0.01 END AS price,
		   (500 + floor(random() * 1001))::numeric AS quantity,
		   random() AS r
	  FROM cont_markets m
	 CROSS JOIN LATERAL generate_series(1, m.size) k(i)
	  JOIN makers mk ON mk.i = k.i;
ALTER TABLE plan ADD COLUMN c bigint;
UPDATE plan p SET c = x.c
  FROM (SELECT market, i, (row_number() OVER (PARTITION BY market ORDER BY r) - 1) / :chunk AS c
		  FROM plan) x
 WHERE x.market = p.market AND x.i = p.i;
CREATE TABLE chunks AS
	SELECT market, c, row_number() OVER (ORDER BY random()) AS chunk
	  FROM (SELECT DISTINCT market, c FROM plan) x;
ALTER TABLE plan ADD COLUMN chunk bigint;
UPDATE plan p SET chunk = x.chunk FROM chunks x WHERE x.market = p.market AND x.c = p.c;
CREATE INDEX ON plan (chunk);
CREATE UNIQUE INDEX ON plan (market, i);
CREATE SEQUENCE chunk_seq;

-- Places the planned order of every maker of market m that has no open
-- order there (a crossing run fills some at the touch).
CREATE FUNCTION replenish(m bigint) RETURNS bigint LANGUAGE sql AS $$
	SELECT count(market.place_order(p.account, p.outcome, p.side, p.quantity, p.price))
	  FROM plan p
	 WHERE p.market = m
	   AND NOT EXISTS (SELECT FROM market.orders o
					   WHERE o.account = p.account AND o.market = m AND o.status = 'open')
$$;

-- Runs of pgbench, read back by continuous.sh.
CREATE TABLE runs (round int, kind text, rule text, size int, tps float8, failed bigint, retried bigint);
SELECT count(*) FROM chunks;
