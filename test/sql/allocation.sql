-- Allocation rule per market (SPEC section 7): create_market(...,
-- allocation => 'pro_rata' | 'price_time').  The same book, one price
-- level of three buyers against a smaller seller, in a market of each
-- rule, with a house fee of 1%: pro_rata splits the fill by quantity
-- (largest remainder), price_time fills the oldest order first.  Every
-- call is made by the login role that makes it; each statement commits.
SET market.allow_drop = on;   -- the previous file's ledger holds entries
DROP EXTENSION market CASCADE;
RESET market.allow_drop;
CREATE EXTENSION market;

CREATE ROLE alloc_admin LOGIN IN ROLE market_admin;
CREATE ROLE alloc_operator LOGIN IN ROLE market_operator;
CREATE ROLE alloc_alice LOGIN IN ROLE market_trader;
CREATE ROLE alloc_bob LOGIN IN ROLE market_trader;
CREATE ROLE alloc_carol LOGIN IN ROLE market_trader;
CREATE ROLE alloc_dave LOGIN IN ROLE market_trader;

SET SESSION AUTHORIZATION alloc_operator;
SELECT count(market.deposit(market.create_account(l, ('alloc_' || l)::regrole), 100))
  FROM unnest(ARRAY['alice', 'bob', 'carol', 'dave']) l;
SELECT id AS alice FROM market.accounts WHERE label = 'alice' \gset
SELECT id AS bob FROM market.accounts WHERE label = 'bob' \gset
SELECT id AS carol FROM market.accounts WHERE label = 'carol' \gset
SELECT id AS dave FROM market.accounts WHERE label = 'dave' \gset
RESET SESSION AUTHORIZATION;

CREATE VIEW parties AS
SELECT m.number AS market, m.allocation, a.label, f.side, f.quantity * 0.000001 AS quantity,
	   f.paid * 0.000001 AS paid, f.fee * 0.000001 AS fee
  FROM market.fills f
  JOIN market.markets m ON m.id = f.market
  JOIN market.accounts a ON a.id = f.account;
CREATE VIEW open_orders AS
SELECT m.number AS market, a.label, o.quantity * 0.000001 AS quantity
  FROM market.orders o
  JOIN market.markets m ON m.id = o.market
  JOIN market.accounts a ON a.id = o.account
 WHERE o.status = 'open';

-- 1. Market 1 takes the default (pro_rata), market 2 price_time.
SET SESSION AUTHORIZATION alloc_admin;
SELECT market.create_market('1: pro rata', ARRAY['YES', 'NO'], fee_bps => 100) AS m1 \gset
SELECT market.create_market('2: price time', ARRAY['YES', 'NO'], fee_bps => 100,
							allocation => 'price_time') AS m2 \gset
RESET SESSION AUTHORIZATION;
SELECT number, allocation FROM market.markets ORDER BY number;
-- the rule is public: market_overview shows it to a trader too
SET SESSION AUTHORIZATION alloc_alice;
SELECT number, allocation FROM market.market_overview ORDER BY number;
RESET SESSION AUTHORIZATION;

-- 2. The same book in each, placed in this order: alice buys 3 YES at
-- 0.50, bob 2, carol 4 (one level of 9); dave sells 5 YES at 0.50.
SET SESSION AUTHORIZATION alloc_alice;
SELECT market.place_order(:alice, market.outcome_id(m, 1), 'buy', 3, 0.50) > 0 AS placed
  FROM unnest(ARRAY[:m1, :m2]::bigint[]) m;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION alloc_bob;
SELECT market.place_order(:bob, market.outcome_id(m, 1), 'buy', 2, 0.50) > 0 AS placed
  FROM unnest(ARRAY[:m1, :m2]::bigint[]) m;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION alloc_carol;
SELECT market.place_order(:carol, market.outcome_id(m, 1), 'buy', 4, 0.50) > 0 AS placed
  FROM unnest(ARRAY[:m1, :m2]::bigint[]) m;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION alloc_dave;
SELECT market.place_order(:dave, market.outcome_id(m, 1), 'sell', 5, 0.50) > 0 AS placed
  FROM unnest(ARRAY[:m1, :m2]::bigint[]) m;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION alloc_operator;
SELECT kind, quantity, bids, surplus FROM market.execute(:m1);
SELECT kind, quantity, bids, surplus FROM market.execute(:m2);
RESET SESSION AUTHORIZATION;

-- 3. pro_rata: 5 x 3/9 = 1.666666|7, 5 x 2/9 = 1.111111|1, 5 x 4/9 =
-- 2.222222|2; the last micro-unit to the largest remainder (alice).
-- Everyone pays 0.50 a contract (bids sum to 1.00): 0.8333335 for alice
-- and 0.5555555 for bob tie on the half micro-unit, the older (alice)
-- gets it.  Fee: 1% of min(paid, quantity - paid).
SELECT * FROM parties WHERE market = 1 ORDER BY side, label;
SELECT * FROM open_orders WHERE market = 1 ORDER BY label;
-- price_time: alice's 3 and bob's 2 fill whole, carol's 4 wait.
SELECT * FROM parties WHERE market = 2 ORDER BY side, label;
SELECT * FROM open_orders WHERE market = 2 ORDER BY label;
-- the house took 0.049999 in market 1 and 0.05 in market 2
SELECT m.number, sum(f.fee) * 0.000001 AS fees, count(*) AS fills
  FROM market.fills f JOIN market.markets m ON m.id = f.market
 GROUP BY m.number ORDER BY m.number;

-- 4. An auto_execute market under price_time matches inside place_order
-- by the same rule: alice then bob bid 0.50 for 3 and 2; dave's sale of 2
-- fills alice's older order alone (2 of her 3).
SET SESSION AUTHORIZATION alloc_admin;
SELECT market.create_market('3: continuous', ARRAY['YES', 'NO'], auto_execute => true,
							allocation => 'price_time') AS m3 \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION alloc_alice;
SELECT market.place_order(:alice, market.outcome_id(:m3, 1), 'buy', 3, 0.50) > 0 AS placed;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION alloc_bob;
SELECT market.place_order(:bob, market.outcome_id(:m3, 1), 'buy', 2, 0.50) > 0 AS placed;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION alloc_dave;
SELECT market.place_order(:dave, market.outcome_id(:m3, 1), 'sell', 2, 0.50) > 0 AS placed;
RESET SESSION AUTHORIZATION;
SELECT * FROM parties WHERE market = 3 ORDER BY side, label;
SELECT * FROM open_orders WHERE market = 3 ORDER BY label;

-- 5. Refusals: an unknown rule (22023), a NULL one (22004), and any rule
-- but the default for a parimutuel pool, which has no book (22023).
SET SESSION AUTHORIZATION alloc_admin;
\set VERBOSITY sqlstate
SELECT market.create_market('bad', ARRAY['YES', 'NO'], allocation => 'fifo');
SELECT market.create_market('bad', ARRAY['YES', 'NO'], allocation => NULL);
SELECT market.create_market('bad', ARRAY['YES', 'NO'], kind => 'parimutuel',
							allocation => 'price_time');
\set VERBOSITY default
SELECT market.create_market('bad', ARRAY['YES', 'NO'], allocation => 'fifo');
SELECT market.create_market('pool', ARRAY['YES', 'NO'], kind => 'parimutuel',
							allocation => 'pro_rata') > 0 AS pool_made;
RESET SESSION AUTHORIZATION;
-- the table refuses a rule written around create_market (23514)
\set VERBOSITY sqlstate
UPDATE market.markets SET allocation = 'fifo' WHERE id = :m1;
\set VERBOSITY default
SELECT number, kind, allocation FROM market.markets ORDER BY number;

SELECT * FROM market.check_invariants();

-- leave no objects of ours for the next file's DROP EXTENSION to cascade to
DROP VIEW parties, open_orders;
