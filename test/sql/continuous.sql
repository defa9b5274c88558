-- Continuous matching (SPEC 7a) against the full auction, through SQL.
-- Each case opens two markets with the same outcomes, tick, fees and
-- allocation rule: A matches in batches, B is auto_execute.  The same
-- random orders go to both, from twin accounts with the same cash (a_i
-- trades in A, b_i in B): into A followed by execute(A), the full
-- auction over the whole book; into B, where place_order matches only
-- the part of the book the new order reaches.  After every order (each
-- committed, as the operator who places them) the two must agree on
-- every fill (quantity, price, cash paid, fees), every account's balance,
-- locked cash and holdings, every open order and the creator-fee
-- accounts.  The book grows to about a hundred orders per case, deep
-- enough that windows are cut short and phantoms stand in for the rest.
SET market.allow_drop = on;   -- the previous file's ledger holds entries
DROP EXTENSION market CASCADE;
RESET market.allow_drop;
CREATE EXTENSION market;

CREATE ROLE cont_admin LOGIN IN ROLE market_admin;
CREATE ROLE cont_operator LOGIN IN ROLE market_operator;
CREATE ROLE cont_trader LOGIN IN ROLE market_trader;
GRANT CREATE ON SCHEMA public TO cont_operator;

-- 120 twin accounts: most with plenty of cash, some with little (trims)
SET SESSION AUTHORIZATION cont_operator;
CREATE TABLE twins (n int PRIMARY KEY, a bigint NOT NULL, b bigint NOT NULL);
INSERT INTO twins
SELECT n, market.create_account('a' || n, 'cont_trader'), market.create_account('b' || n, 'cont_trader')
  FROM generate_series(1, 120) n;
SELECT count(market.deposit(a, c)) + count(market.deposit(b, c)) AS deposits
  FROM (SELECT a, b, CASE WHEN n % 10 = 0 THEN 3 ELSE 5000 END AS c FROM twins) t;
SELECT market.create_account('creator', 'cont_trader') AS creator \gset
RESET SESSION AUTHORIZATION;

CREATE TABLE cases (k int PRIMARY KEY, outcomes int, allocation text, tick numeric,
					fee_bps int, creator_fee_bps int, a bigint, b bigint);
INSERT INTO cases (k, outcomes, allocation, tick, fee_bps, creator_fee_bps) VALUES
	(1, 2, 'pro_rata', 0.01, 0, 0),
	(2, 2, 'price_time', 0.01, 0, 0),
	(3, 3, 'pro_rata', 0.01, 100, 50),
	(4, 3, 'price_time', 0.01, 100, 50),
	(5, 4, 'pro_rata', 0.1, 30, 0),
	(6, 4, 'price_time', 0.001, 30, 0),
	(7, 2, 'price_time', 0.1, 200, 100),
	(8, 5, 'pro_rata', 0.01, 0, 25);
GRANT SELECT, UPDATE ON cases TO cont_admin, cont_operator;

SET SESSION AUTHORIZATION cont_admin;
UPDATE cases SET
	a = market.create_market('A' || k, (SELECT array_agg('o' || i) FROM generate_series(1, outcomes) i),
							 tick_size => tick, fee_bps => fee_bps,
							 creator => CASE WHEN creator_fee_bps > 0 THEN :creator END,
							 creator_fee_bps => creator_fee_bps, allocation => allocation),
	b = market.create_market('B' || k, (SELECT array_agg('o' || i) FROM generate_series(1, outcomes) i),
							 tick_size => tick, fee_bps => fee_bps,
							 creator => CASE WHEN creator_fee_bps > 0 THEN :creator END,
							 creator_fee_bps => creator_fee_bps, allocation => allocation,
							 auto_execute => true);
RESET SESSION AUTHORIZATION;
SELECT c.k, c.outcomes, c.allocation, c.tick, c.fee_bps, c.creator_fee_bps, m.auto_execute
  FROM cases c JOIN market.markets m ON m.id IN (c.a, c.b) ORDER BY c.k, m.number;

-- What must agree between the twin markets of a case: a row per thing
-- that differs.  Accounts compare balance, locked and holdings; orders
-- their open remainder, escrow and status by placement order; fills
-- their parties and amounts by execution order.
CREATE FUNCTION differences(case_k int) RETURNS TABLE (k int, what text)
LANGUAGE sql STABLE SECURITY DEFINER AS $$
WITH c AS (SELECT * FROM cases WHERE cases.k = case_k),
acct AS (
	SELECT c.k, t.n, x.balance AS ab, x.locked AS al, y.balance AS bb, y.locked AS bl
	  FROM c CROSS JOIN twins t
	  JOIN market.accounts x ON x.id = t.a JOIN market.accounts y ON y.id = t.b),
hold AS (
	SELECT c.k, t.n, o.number, COALESCE(ha.quantity, 0) AS aq, COALESCE(hb.quantity, 0) AS bq,
		   COALESCE(ha.cost, 0) AS ac, COALESCE(hb.cost, 0) AS bc
	  FROM c CROSS JOIN twins t
	  JOIN market.outcomes o ON o.market = c.a
	  JOIN market.outcomes ob ON ob.market = c.b AND ob.number = o.number
	  LEFT JOIN market.holdings ha ON ha.account = t.a AND ha.outcome = o.id
	  LEFT JOIN market.holdings hb ON hb.account = t.b AND hb.outcome = ob.id),
ord AS (
	SELECT c.k, row_number() OVER (PARTITION BY o.market ORDER BY o.id) AS seq, o.market = c.a AS in_a,
		   t.n, o.side, o.price, o.quantity, o.escrow, o.status, o.cancel_reason
	  FROM c JOIN market.orders o ON o.market IN (c.a, c.b)
	  JOIN twins t ON o.account IN (t.a, t.b)),
fill AS (
	SELECT c.k, f.market = c.a AS in_a,
		   dense_rank() OVER (PARTITION BY f.market ORDER BY f.execution) AS x,
		   t.n, u.number, f.side, f.quantity, f.price, f.paid, f.fee, f.creator_fee
	  FROM c JOIN market.fills f ON f.market IN (c.a, c.b)
	  JOIN twins t ON f.account IN (t.a, t.b)
	  JOIN market.outcomes u ON u.id = f.outcome)
SELECT k, 'account ' || n AS what FROM acct WHERE (ab, al) IS DISTINCT FROM (bb, bl)
UNION ALL
SELECT k, 'holding of ' || n || ' in ' || number FROM hold WHERE (aq, ac) IS DISTINCT FROM (bq, bc)
UNION ALL
SELECT k, 'order ' || seq FROM (
	(SELECT k, seq, n, side, price, quantity, escrow, status, cancel_reason FROM ord WHERE in_a
	 EXCEPT ALL
	 SELECT k, seq, n, side, price, quantity, escrow, status, cancel_reason FROM ord WHERE NOT in_a)
	UNION ALL
	(SELECT k, seq, n, side, price, quantity, escrow, status, cancel_reason FROM ord WHERE NOT in_a
	 EXCEPT ALL
	 SELECT k, seq, n, side, price, quantity, escrow, status, cancel_reason FROM ord WHERE in_a)) d
UNION ALL
SELECT k, 'fill of execution ' || x FROM (
	(SELECT k, x, n, number, side, quantity, price, paid, fee, creator_fee FROM fill WHERE in_a
	 EXCEPT ALL
	 SELECT k, x, n, number, side, quantity, price, paid, fee, creator_fee FROM fill WHERE NOT in_a)
	UNION ALL
	(SELECT k, x, n, number, side, quantity, price, paid, fee, creator_fee FROM fill WHERE NOT in_a
	 EXCEPT ALL
	 SELECT k, x, n, number, side, quantity, price, paid, fee, creator_fee FROM fill WHERE in_a)) d
UNION ALL
SELECT c.k, 'creator fees' FROM cases c
  JOIN market.markets ma ON ma.id = c.a JOIN market.markets mb ON mb.id = c.b
  LEFT JOIN market.accounts fa ON fa.id = ma.creator_fees
  LEFT JOIN market.accounts fb ON fb.id = mb.creator_fees
 WHERE c.k = case_k AND fa.balance IS DISTINCT FROM fb.balance
$$;

-- The random orders: each committed on its own.  An account with an
-- order open in the market replaces it; one in ten orders is ioc.
-- differences() reads every account as the test's superuser.
SET SESSION AUTHORIZATION cont_operator;
CREATE TABLE steps (k int, step int, differences int);
CREATE PROCEDURE run_case(case_k int, n_steps int)
LANGUAGE plpgsql AS $$
DECLARE
	c record;
	t record;
	step int;
	outcome int;
	side text;
	qty numeric;
	price numeric;
	tif text;
	centre numeric;
	has_open boolean;
BEGIN
	SELECT * INTO c FROM cases WHERE k = case_k;
	centre := 1.0 / c.outcomes;
	FOR step IN 1 .. n_steps LOOP
		SELECT * INTO t FROM twins ORDER BY random() LIMIT 1;
		outcome := 1 + floor(random() * c.outcomes)::int;
		side := CASE WHEN random() < 0.5 THEN 'buy' ELSE 'sell' END;
		qty := CASE WHEN random() < 0.3 THEN round((random() * 3)::numeric, 6) + 0.000001
					ELSE 1 + floor(random() * 20) END;
		-- most orders rest (bids below the centre, asks above), one in four
		-- reaches across, so the books grow deep and still trade
		price := centre + CASE WHEN random() < 0.25 THEN 1 ELSE -1 END
						* CASE WHEN side = 'buy' THEN 1 ELSE -1 END
						* random() * centre * 0.6;
		price := greatest(c.tick, least(1 - c.tick, round(price / c.tick) * c.tick));
		tif := CASE WHEN random() < 0.1 THEN 'ioc' ELSE 'gtc' END;
		SELECT EXISTS (SELECT FROM market.orders
						WHERE account = t.a AND market = c.a AND status = 'open') INTO has_open;
		BEGIN
			IF has_open THEN
				PERFORM market.replace_order(t.a, market.outcome_id(c.a, outcome), side, qty, price, tif);
			ELSE
				PERFORM market.place_order(t.a, market.outcome_id(c.a, outcome), side, qty, price, tif);
			END IF;
			PERFORM count(*) FROM market.execute(c.a);
		EXCEPTION WHEN SQLSTATE 'MK001' THEN
			NULL;			-- short of cash: refused in B too, below
		END;
		BEGIN
			IF has_open THEN
				PERFORM market.replace_order(t.b, market.outcome_id(c.b, outcome), side, qty, price, tif);
			ELSE
				PERFORM market.place_order(t.b, market.outcome_id(c.b, outcome), side, qty, price, tif);
			END IF;
		EXCEPTION WHEN SQLSTATE 'MK001' THEN
			NULL;
		END;
		COMMIT;
		INSERT INTO steps SELECT case_k, step, count(*) FROM differences(case_k);
		COMMIT;
	END LOOP;
END
$$;
SELECT setseed(0.2026);
CALL run_case(1, 250);
CALL run_case(2, 250);
CALL run_case(3, 250);
CALL run_case(4, 250);
CALL run_case(5, 250);
CALL run_case(6, 250);
CALL run_case(7, 250);
CALL run_case(8, 250);
RESET SESSION AUTHORIZATION;

-- Every step of every case agrees (a step that differed would show here).
SELECT k, step, differences FROM steps WHERE differences > 0 ORDER BY k, step LIMIT 10;
SELECT d.* FROM cases, differences(cases.k) d ORDER BY 1, 2 LIMIT 10;

-- The cases did what they are meant to: many orders, matches of every
-- kind, partial fills, both rules, resting books of about a hundred.
SELECT c.k, count(*) FILTER (WHERE s.differences = 0) AS steps_agreeing,
	   (SELECT count(*) FROM market.executions x WHERE x.market = c.b) > 20 AS matched_often,
	   (SELECT count(DISTINCT kind) FROM market.executions x WHERE x.market = c.b) AS kinds,
	   (SELECT count(*) FROM market.orders o WHERE o.market = c.b AND o.status = 'open') > 30 AS deep_book
  FROM cases c JOIN steps s ON s.k = c.k GROUP BY c.k ORDER BY c.k;
SELECT count(*) > 0 AS some_cancelled_ioc FROM market.orders WHERE cancel_reason = 'ioc';
-- Expired gtd orders: a placement cancels those it meets (reason
-- "expired", never filled), and leaves the others on the book for the
-- next full auction.  g1's gtd ask at 0.50 and g2's gtd bid at 0.30
-- expire; g4 buys at 0.55, meets g1's ask on the way to g3's.
SET SESSION AUTHORIZATION cont_admin;
SELECT market.create_market('expiry', ARRAY['YES', 'NO'], auto_execute => true,
							allocation => 'price_time') AS gm \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION cont_operator;
CREATE TABLE gtd_accounts AS
SELECT g, market.create_account(g, 'cont_trader') AS id FROM unnest(ARRAY['g1', 'g2', 'g3', 'g4']) g;
SELECT count(market.deposit(id, 100)) FROM gtd_accounts;
SELECT market.place_order((SELECT id FROM gtd_accounts WHERE g = 'g1'), market.outcome_id(:gm, 1),
						  'sell', 2, 0.50, 'gtd', now() + interval '1 second') > 0 AS placed;
SELECT market.place_order((SELECT id FROM gtd_accounts WHERE g = 'g2'), market.outcome_id(:gm, 1),
						  'buy', 2, 0.30, 'gtd', now() + interval '1 second') > 0 AS placed;
SELECT market.place_order((SELECT id FROM gtd_accounts WHERE g = 'g3'), market.outcome_id(:gm, 1),
						  'sell', 2, 0.55) > 0 AS placed;
SELECT pg_sleep(1.2);
SELECT market.place_order((SELECT id FROM gtd_accounts WHERE g = 'g4'), market.outcome_id(:gm, 1),
						  'buy', 1, 0.55) > 0 AS placed;
RESET SESSION AUTHORIZATION;
SELECT a.g, o.side, o.price * 0.000001 AS price, o.quantity * 0.000001 AS open, o.status,
	   o.cancel_reason, (SELECT sum(f.quantity) * 0.000001 FROM market.fills f WHERE f.order_id = o.id) AS filled,
	   b.locked * 0.000001 AS locked
  FROM market.orders o JOIN gtd_accounts a ON a.id = o.account JOIN market.accounts b ON b.id = a.id
 WHERE o.market = :gm ORDER BY a.g;
SELECT payload->>'expired' AS expired, payload->>'executions' AS executions
  FROM market.events WHERE name = 'auction' AND market = :gm ORDER BY id;
-- the next full auction cancels g2's expired bid too
SET SESSION AUTHORIZATION cont_operator;
SELECT count(*) AS executions FROM market.execute(:gm);
RESET SESSION AUTHORIZATION;
SELECT a.g, o.status, o.cancel_reason FROM market.orders o JOIN gtd_accounts a ON a.id = o.account
 WHERE o.market = :gm ORDER BY a.g;

-- The placement path of an auto_execute market, as the traders who use
-- it, each call committed: the order is checked against the placer's
-- locked row after the auction's lock (MK001, nothing changed), a retry
-- under the same idempotency key returns the first order and matches
-- nothing twice, another request under it is MK002, and replace_order
-- matches the new order and cancels the old one.  (h2's first contract
-- goes to g3's remaining YES ask at 0.55 in a merge: 0.40 + 0.55 <= 1.)
CREATE ROLE cont_h1 LOGIN IN ROLE market_trader;
CREATE ROLE cont_h2 LOGIN IN ROLE market_trader;
SET SESSION AUTHORIZATION cont_operator;
SELECT market.deposit(market.create_account('h1', 'cont_h1'), 10) AS h1_cash,
	   market.deposit(market.create_account('h2', 'cont_h2'), 10) AS h2_cash;
RESET SESSION AUTHORIZATION;
SELECT id AS h1 FROM market.accounts WHERE label = 'h1' \gset
SELECT id AS h2 FROM market.accounts WHERE label = 'h2' \gset
SET SESSION AUTHORIZATION cont_h2;
SELECT market.place_order(:h2, market.outcome_id(:gm, 2), 'sell', 6, 0.40) > 0 AS placed;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION cont_h1;
\set VERBOSITY sqlstate
SELECT market.place_order(:h1, market.outcome_id(:gm, 2), 'buy', 30, 0.45);
\set VERBOSITY default
SELECT market.place_order(:h1, market.outcome_id(:gm, 2), 'buy', 4, 0.45, idempotency_key => 'k1') AS first \gset
SELECT market.place_order(:h1, market.outcome_id(:gm, 2), 'buy', 4, 0.45, idempotency_key => 'k1') = :first AS same_order;
\set VERBOSITY sqlstate
SELECT market.place_order(:h1, market.outcome_id(:gm, 2), 'buy', 3, 0.45, idempotency_key => 'k1');
SELECT market.replace_order(:h1, market.outcome_id(:gm, 2), 'buy', 1, 0.40);
\set VERBOSITY default
SELECT market.place_order(:h1, market.outcome_id(:gm, 2), 'buy', 1, 0.10) > 0 AS resting;
SELECT market.replace_order(:h1, market.outcome_id(:gm, 2), 'buy', 1, 0.40) > 0 AS replaced;
RESET SESSION AUTHORIZATION;
SELECT a.label, o.side, o.price * 0.000001 AS price, o.original * 0.000001 AS original,
	   o.quantity * 0.000001 AS open, o.status, o.cancel_reason,
	   (SELECT sum(f.quantity) * 0.000001 FROM market.fills f WHERE f.order_id = o.id) AS filled
  FROM market.orders o JOIN market.accounts a ON a.id = o.account
 WHERE o.market = :gm AND a.label IN ('h1', 'h2') ORDER BY o.id;
SELECT label, balance * 0.000001 AS balance, locked * 0.000001 AS locked
  FROM market.accounts WHERE label IN ('h1', 'h2') ORDER BY label;

SELECT * FROM market.check_invariants();

-- leave no objects of ours for the next file's DROP EXTENSION to cascade to
DROP TABLE gtd_accounts;
DROP FUNCTION differences(int);
DROP TABLE steps, cases, twins;
DROP PROCEDURE run_case(int, int);
