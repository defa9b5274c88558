-- Resolution, settlement and cancellation (SPEC sections 8, 9), with
-- seed 003's test cases played through the order book against a real
-- counterparty, and seed 004's checklist.
SET market.allow_drop = on;   -- the previous file's ledger holds entries
DROP EXTENSION market CASCADE;
RESET market.allow_drop;
CREATE EXTENSION market;
CREATE ROLE settle_oracle IN ROLE market_oracle;
CREATE ROLE settle_intruder IN ROLE market_oracle;

SELECT count(market.deposit(market.create_account(l), 1000))
  FROM unnest(ARRAY['alice', 'bob', 'carol', 'dave']) l;
SELECT market.create_account('oracle', 'settle_oracle') AS oracle \gset
SELECT id AS alice FROM market.accounts WHERE label = 'alice' \gset
SELECT id AS bob FROM market.accounts WHERE label = 'bob' \gset
SELECT id AS carol FROM market.accounts WHERE label = 'carol' \gset
SELECT id AS dave FROM market.accounts WHERE label = 'dave' \gset
CREATE VIEW summary AS
SELECT p.market_number, a.label, p.contracts, p.cost_basis, p.realized_pnl, p.status, p.payout, p.result
  FROM market.positions_summary p JOIN market.accounts a ON a.id = p.account;

------------------------------------------------------------------------
-- Seed 003, cases 1 and 3: alice invests $100 in YES at 0.75 (bob sells
-- it to her); case 2: carol invests $100 in NO at 0.25 (dave sells).
SELECT market.create_market('Will it rain?', ARRAY['YES', 'NO'], oracle => :oracle,
							dispute_window => '1 hour') AS m \gset
SELECT market.place_order(:alice, market.outcome_id(:m, 1), 'buy', NULL, 0.75, amount => 100) > 0 AS placed;
SELECT market.place_order(:bob, market.outcome_id(:m, 1), 'sell', 133.333333, 0.75) > 0 AS placed;
SELECT market.place_order(:carol, market.outcome_id(:m, 2), 'buy', NULL, 0.25, amount => 100) > 0 AS placed;
SELECT market.place_order(:dave, market.outcome_id(:m, 2), 'sell', 400, 0.25) > 0 AS placed;
SELECT kind, outcome, quantity, bids, surplus FROM market.execute(:m);
-- 133.333333 tokens for $100 (seed 003: 133.33), and 400 for $100
SELECT label, contracts, cost_basis, status FROM summary ORDER BY label;

-- seed 003 case 4: insufficient balance; case 5: a closed market
\set VERBOSITY sqlstate
SELECT market.place_order(:alice, market.outcome_id(:m, 1), 'buy', 2000, 0.75);
\set VERBOSITY default
SELECT market.close_market(:m);
SELECT market.place_order(:bob, market.outcome_id(:m, 1), 'buy', 1, 0.5);
-- seed 004: closing changes no accounting; positions stay open
SELECT label, contracts, cost_basis, status FROM summary ORDER BY label;

-- Only the market's oracle (or an admin) resolves.
SET ROLE settle_intruder;
SELECT market.resolve(:m, market.outcome_id(:m, 2));
RESET ROLE;
SET ROLE settle_oracle;
SELECT market.resolve(:m, market.outcome_id(:m, 2));
RESET ROLE;
SELECT number, state, payouts FROM market.markets WHERE id = :m;

-- An admin upholds a dispute: the report is withdrawn, the market closed.
SELECT market.dispute(:m, 'it rained in the afternoon');
SELECT number, state, payouts FROM market.markets WHERE id = :m;
-- The oracle reports again: YES.  Nothing pays during the dispute window.
SET ROLE settle_oracle;
SELECT market.resolve(:m, market.outcome_id(:m, 1));
SELECT market.resolve(:m, market.outcome_id(:m, 2));
RESET ROLE;
SELECT * FROM market.settle(:m);
-- An admin confirms early; then everyone is paid: YES pays 1.00.
SELECT market.finalize(:m);
SELECT label, s.payout FROM market.settle(:m, max_positions => 2) s
  JOIN market.accounts a ON a.id = s.account ORDER BY label;
SELECT label, s.payout FROM market.settle(:m) s
  JOIN market.accounts a ON a.id = s.account ORDER BY label;
-- settling again pays nothing, and says so
SELECT * FROM market.settle(:m);
-- seed 003 case 1: alice's $100 of YES at 0.75 pays 133.333333, profit
-- 33.333333 (seed: 133.33, 33.33); carol's NO lost her $100.
SELECT * FROM summary WHERE market_number = 1 ORDER BY label;
SELECT number, state, collateral FROM market.market_overview WHERE number = 1;

------------------------------------------------------------------------
-- Seed 003 cases 2 and 3: the same trades, and NO wins.  carol's $100 of
-- NO at 0.25 (400 tokens) pays 400, profit 300; alice's $100 of YES at
-- 0.75 pays nothing, loss -100.
SELECT market.create_market('Will it snow?', ARRAY['YES', 'NO']) AS n \gset
SELECT market.place_order(:alice, market.outcome_id(:n, 1), 'buy', NULL, 0.75, amount => 100) > 0 AS placed;
SELECT market.place_order(:bob, market.outcome_id(:n, 1), 'sell', 133.333333, 0.75) > 0 AS placed;
SELECT market.place_order(:carol, market.outcome_id(:n, 2), 'buy', NULL, 0.25, amount => 100) > 0 AS placed;
SELECT market.place_order(:dave, market.outcome_id(:n, 2), 'sell', 400, 0.25) > 0 AS placed;
SELECT count(*) AS executions FROM market.execute(:n);
SELECT market.resolve(:n, market.outcome_id(:n, 2));
SELECT label, s.payout FROM market.settle(:n) s JOIN market.accounts a ON a.id = s.account ORDER BY label;
SELECT * FROM summary WHERE market_number = 2 ORDER BY label;

------------------------------------------------------------------------
-- A payout vector: 0.3 / 0.7 on two holders of odd quantities; the
-- amounts are fixed at finalization by largest remainder, and add up to
-- exactly the collateral.
SELECT market.create_market('Fractional', ARRAY['A', 'B'], dispute_window => '0') AS f \gset
SELECT market.place_order(:alice, market.outcome_id(:f, 1), 'buy', 3.333333, 0.5) > 0 AS placed;
SELECT market.place_order(:bob, market.outcome_id(:f, 2), 'buy', 3.333333, 0.5) > 0 AS placed;
SELECT count(*) AS executions FROM market.execute(:f);
SELECT market.resolve(:f, ARRAY[0.3, 0.7]::numeric[]);
-- a manual report with no dispute window is final on the next settle
SELECT label, s.payout FROM market.settle(:f) s JOIN market.accounts a ON a.id = s.account ORDER BY label;
SELECT number, state, collateral FROM market.market_overview WHERE number = 3;

-- A scalar market resolved by value.
SELECT market.create_market('Noon temperature', ARRAY['cold', 'mild', 'hot'],
		outcome_ranges => ARRAY['(,10)'::numrange, '[10,25)', '[25,)']) AS t \gset
SELECT market.resolve_value(:t, 17.5);
SELECT number, state, payouts FROM market.markets WHERE id = :t;

------------------------------------------------------------------------
-- Cancelling: the collateral goes back pro-rata to the cost basis of what
-- each holder still has, scaled to exactly the collateral.  alice buys 10
-- YES at 0.60 (cost 6), bob 10 NO at 0.40 (cost 4); alice sells her YES
-- to carol at 0.75: carol's cost is 7.50, bob's 4, collateral only 10.
SELECT market.create_market('Abandoned', ARRAY['YES', 'NO']) AS c \gset
SELECT market.place_order(:alice, market.outcome_id(:c, 1), 'buy', 10, 0.60) > 0 AS placed;
SELECT market.place_order(:bob, market.outcome_id(:c, 2), 'buy', 10, 0.40) > 0 AS placed;
SELECT count(*) AS executions FROM market.execute(:c);
SELECT market.place_order(:alice, market.outcome_id(:c, 1), 'sell', 10, 0.75) > 0 AS placed;
SELECT market.place_order(:carol, market.outcome_id(:c, 1), 'buy', 10, 0.75) > 0 AS placed;
SELECT count(*) AS executions FROM market.execute(:c);
SELECT market.cancel_market(:c, 'the event was called off');
SELECT label, s.kind, s.amount * 0.000001 AS refund, s.cost * 0.000001 AS cost
  FROM market.settlements s JOIN market.accounts a ON a.id = s.account
 WHERE s.market = :c ORDER BY label;
SELECT label, s.payout FROM market.settle(:c, :carol) s JOIN market.accounts a ON a.id = s.account;
SELECT label, s.payout FROM market.settle(:c) s JOIN market.accounts a ON a.id = s.account;
SELECT label, contracts, realized_pnl, status, result FROM summary
 WHERE market_number = 5 ORDER BY label;

-- Every market that ended owes nothing; the cash is all accounted for.
SELECT number, state, collateral FROM market.market_overview ORDER BY number;
SELECT sum(balance) AS all_cash, -market.balance(1) AS deposited
  FROM market.account_balances WHERE kind IN ('user', 'collateral');
SELECT e.name, count(*) FROM market.events e
 WHERE e.name IN ('market_resolved', 'market_disputed', 'market_finalized', 'market_cancelled', 'settled')
 GROUP BY e.name ORDER BY e.name;
SELECT * FROM market.check_invariants();
DROP VIEW summary;
DROP ROLE settle_oracle;
DROP ROLE settle_intruder;
