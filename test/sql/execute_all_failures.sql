-- execute_all() with a market whose auction fails: the failing market is
-- rolled back and reported (a WARNING with its SQLSTATE, an
-- auction_failed event); the other markets are matched and committed.
-- The failure is honest: a superuser breaks an account behind the
-- ledger's back (its commit-time check disabled), and the deferred
-- check account_check catches it when the auction next writes that
-- account.  Before each market's checks fired inside its own
-- subtransaction, that check fired at COMMIT and took every market with
-- it.
SET market.allow_drop = on;   -- the previous file's ledger holds entries
DROP EXTENSION market CASCADE;
RESET market.allow_drop;
CREATE EXTENSION market;
CREATE ROLE fail_operator IN ROLE market_operator;

-- fixed ids keep the output stable
INSERT INTO market.accounts (id, label) VALUES (1001, 'a'), (1002, 'b'), (1003, 'c'), (1004, 'd');
SELECT market.deposit(id, 100) FROM market.accounts WHERE id BETWEEN 1001 AND 1004 ORDER BY id;
SELECT market.create_market('one', ARRAY['YES', 'NO']) AS m1 \gset
SELECT market.create_market('two', ARRAY['YES', 'NO']) AS m2 \gset
SELECT market.create_market('three', ARRAY['YES', 'NO']) AS m3 \gset
-- a crossing book in each market: 1001/1002 in one and three, 1003/1004 in two
SELECT market.place_order(1001, market.outcome_id(:m1, 1), 'buy', 10, 0.6) > 0 AS placed;
SELECT market.place_order(1002, market.outcome_id(:m1, 1), 'sell', 10, 0.5) > 0 AS placed;
SELECT market.place_order(1003, market.outcome_id(:m2, 1), 'buy', 5, 0.6) > 0 AS placed;
SELECT market.place_order(1004, market.outcome_id(:m2, 1), 'sell', 5, 0.5) > 0 AS placed;
SELECT market.place_order(1001, market.outcome_id(:m3, 1), 'buy', 4, 0.6) > 0 AS placed;
SELECT market.place_order(1002, market.outcome_id(:m3, 1), 'sell', 4, 0.5) > 0 AS placed;

-- the corruption: account 1003's locked cash no longer matches the escrow
-- of its open orders, which only the commit-time check compares
ALTER TABLE market.accounts DISABLE TRIGGER account_check;
UPDATE market.accounts SET locked = locked + 1000000 WHERE id = 1003;
ALTER TABLE market.accounts ENABLE TRIGGER account_check;

-- the operator's run, through COMMIT: markets one and three match, two fails
SET SESSION AUTHORIZATION fail_operator;
SELECT market.execute_all();
SELECT m.number, count(x.id) AS executions
  FROM market.markets m LEFT JOIN market.executions x ON x.market = m.id
 GROUP BY m.number ORDER BY m.number;
SELECT number, open_orders FROM market.market_overview ORDER BY number;
SELECT name, payload FROM market.events WHERE name IN ('auction', 'auction_failed') ORDER BY id;

-- the same failure inside the operator's own transaction: its deposit
-- and market one's new auction commit with it
RESET SESSION AUTHORIZATION;
SELECT market.place_order(1001, market.outcome_id(:m1, 1), 'buy', 1, 0.6) > 0 AS placed;
SELECT market.place_order(1002, market.outcome_id(:m1, 1), 'sell', 1, 0.5) > 0 AS placed;
SET SESSION AUTHORIZATION fail_operator;
BEGIN;
SELECT market.deposit(1004, 1);
SELECT market.execute_all();
COMMIT;
SELECT m.number, count(x.id) AS executions
  FROM market.markets m LEFT JOIN market.executions x ON x.market = m.id
 GROUP BY m.number ORDER BY m.number;
SELECT balance FROM market.accounts WHERE id = 1004;
SELECT name, payload->>'number' AS number, payload->>'sqlstate' AS sqlstate
  FROM market.events WHERE name = 'auction_failed' ORDER BY id;

-- the check the caller's own earlier statements left pending is the
-- caller's: it fails execute_all() itself, before any market
RESET SESSION AUTHORIZATION;
BEGIN;
ALTER TABLE market.accounts DISABLE TRIGGER account_check;
UPDATE market.accounts SET locked = locked + 1 WHERE id = 1001;
ALTER TABLE market.accounts ENABLE TRIGGER account_check;
UPDATE market.accounts SET label = 'a2' WHERE id = 1001;
\set VERBOSITY sqlstate
SELECT market.execute_all();
\set VERBOSITY default
ROLLBACK;

-- the ledger check sees the one account broken by hand, and nothing else
SELECT count(*) AS violations FROM market.check_invariants();

DROP ROLE fail_operator;
