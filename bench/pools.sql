-- A pool of n commitments (n accounts, one each, yes on outcome 1 or 2 of
-- three, 2% house and 1% creator fee): resolve + finalize + settle in one
-- transaction, against the set-based floor doing the same writes in plain
-- SQL: one row per commitment (its result and payout, by largest
-- remainder), one owed row per account, one journal entry and one balance
-- update per account paid, the owed rows marked paid.  Run by
-- bench/pools.sh with -v n=N.
\set QUIET on
\pset tuples_only on
\pset format unaligned
SET client_min_messages = warning;
SET market.notify = off;
CREATE EXTENSION IF NOT EXISTS market;
SELECT count(market.deposit(market.create_account('p' || i), 10)) FROM generate_series(1, :n) i;
SELECT market.create_account('creator') AS creator \gset
SELECT market.create_market('pool bench', ARRAY['A', 'B', 'C'], kind => 'parimutuel',
		fee_bps => 200, creator => :creator, creator_fee_bps => 100) AS m \gset
-- in transactions of 1,000 commitments (one transaction rewriting the
-- pool's collateral row 100,000 times would walk ever longer row chains)
CREATE TABLE bench_accounts AS
SELECT id, row_number() OVER (ORDER BY id) AS n FROM market.accounts
 WHERE kind = 'user' AND label LIKE 'p%';
SELECT format('SELECT count(market.place_commitment(a.id, market.outcome_id(%s, (1 + a.n %% 2)::int), 1 + (a.n %% 7)))'
			  ' FROM bench_accounts a WHERE a.n > %s AND a.n <= %s', :m, g, g + 1000)
  FROM generate_series(0, :n - 1, 1000) g \gexec
VACUUM ANALYZE;

CREATE FUNCTION bench_pool(m bigint, OUT ms float8, OUT paid bigint) LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
BEGIN
	t0 := clock_timestamp();
	PERFORM market.resolve(m, market.outcome_id(m, 1));
	PERFORM market.finalize(m);
	SELECT count(*) INTO paid FROM market.settle(m);
	SET CONSTRAINTS ALL IMMEDIATE;
	ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
END
$$;

CREATE TABLE floor_commitments (id bigint PRIMARY KEY, account bigint, outcome int, amount bigint);
INSERT INTO floor_commitments SELECT g, g, 1 + g % 2, (1 + g % 7) * 1000000 FROM generate_series(1, :n) g;
CREATE TABLE floor_accounts (id bigint PRIMARY KEY, balance bigint);
INSERT INTO floor_accounts SELECT g, 10000000 FROM generate_series(0, :n) g;
CREATE TABLE floor_results (distribution bigint, commitment bigint, account bigint, base bigint,
							remainder bigint, rank int, payout bigint, PRIMARY KEY (distribution, commitment));
CREATE TABLE floor_owed (account bigint PRIMARY KEY, amount bigint, paid boolean);
CREATE TABLE floor_journal (transfer bigint, account bigint, amount bigint, balance_after bigint,
							PRIMARY KEY (transfer, account));
VACUUM ANALYZE;
CREATE FUNCTION bench_floor(OUT ms float8) LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	pool bigint;
	net bigint;
	w bigint;
	total bigint;
BEGIN
	t0 := clock_timestamp();
	SELECT sum(amount), sum(amount) FILTER (WHERE outcome = 1) INTO pool, w FROM floor_commitments;
	net := pool - pool * 200 / 10000 - pool * 100 / 10000;
	INSERT INTO floor_results
	SELECT 1, id, account, base, remainder, rank,
		   base + CASE WHEN rank <= net - sum(base) OVER () THEN 1 ELSE 0 END
	  FROM (SELECT *, row_number() OVER (ORDER BY remainder DESC, id) AS rank
			  FROM (SELECT id, account, CASE WHEN outcome = 1 THEN div(amount::numeric * net, w) ELSE 0 END::bigint AS base,
						   CASE WHEN outcome = 1 THEN mod(amount::numeric * net, w) ELSE 0 END::bigint AS remainder
					  FROM floor_commitments) s) r;
	INSERT INTO floor_owed SELECT account, sum(payout), false FROM floor_results GROUP BY account;
	SELECT sum(amount) INTO total FROM floor_owed;
	INSERT INTO floor_journal
	SELECT 1, o.account, o.amount, a.balance + o.amount FROM floor_owed o JOIN floor_accounts a ON a.id = o.account
	 WHERE o.amount > 0
	UNION ALL SELECT 1, 0, -total, 0;
	UPDATE floor_accounts a SET balance = a.balance + o.amount FROM floor_owed o
	 WHERE a.id = o.account AND o.amount > 0;
	UPDATE floor_owed SET paid = true;
	ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
END
$$;

CREATE TABLE runs (kind text, ms float8, paid bigint);
BEGIN;
SELECT ms, paid FROM bench_pool(:m) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('pool', :r_ms, :r_paid);
BEGIN;
SELECT ms FROM bench_floor() \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('floor', :r_ms, :n);
BEGIN;
SELECT ms, paid FROM bench_pool(:m) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('pool', :r_ms, :r_paid);
BEGIN;
SELECT ms FROM bench_floor() \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('floor', :r_ms, :n);
BEGIN;
SELECT ms, paid FROM bench_pool(:m) \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('pool', :r_ms, :r_paid);
BEGIN;
SELECT ms FROM bench_floor() \gset r_
ROLLBACK;
INSERT INTO runs VALUES ('floor', :r_ms, :n);

-- n | accounts paid | pool ms (median) | floor ms (median)
SELECT :n, max(paid) FILTER (WHERE kind = 'pool'),
	   round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE kind = 'pool'))::numeric, 1),
	   round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE kind = 'floor'))::numeric, 1)
  FROM runs;
