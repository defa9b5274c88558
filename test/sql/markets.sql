-- Markets, their lifecycle, and orders with escrow (SPEC sections 5, 6).
-- Ids are snowflakes, so this file shows numbers and labels, and only the
-- SQLSTATE of errors whose message names an account.
SET market.allow_drop = on;   -- the previous file's ledger holds entries
DROP EXTENSION market CASCADE;
RESET market.allow_drop;
CREATE EXTENSION market;

SELECT market.create_account('alice') AS alice \gset
SELECT market.create_account('bob') AS bob \gset
SELECT market.create_account('oracle') AS oracle \gset
SELECT market.deposit(:alice, 100), market.deposit(:bob, 100);

-- A binary market with defaults, a three-way scalar market, and one with
-- every option.  Markets are numbered 1, 2, 3 and outcomes 1..N.
SELECT market.create_market('Will it rain in Paris tomorrow?', ARRAY['YES', 'NO']) AS rain \gset
SELECT market.create_market('Noon temperature in Oslo (C)', ARRAY['cold', 'mild', 'hot'],
		tick_size => 0.001,
		outcome_ranges => ARRAY['(,10)'::numrange, '[10,25)', '[25,)']) AS temp \gset
SELECT market.create_market('Who wins the final?', ARRAY['home', 'draw', 'away'],
		tick_size => 0.0001, close_at => now() + interval '30 days',
		oracle => :oracle, oracle_kind => 'ai', fee_bps => 50, creator => :alice,
		creator_fee_bps => 25, dispute_window => '2 hours', auto_execute => false) AS final \gset

SELECT number, description, state, tick_size, close_at IS NOT NULL AS has_close,
	   oracle = :oracle AS oracle_set, oracle_kind, fee_bps, creator_fee_bps,
	   dispute_window, auto_execute, outcomes, open_orders, collateral
  FROM market.market_overview ORDER BY number;
SELECT m.number, o.number, o.label, o.bucket
  FROM market.outcomes o JOIN market.markets m ON m.id = o.market
 ORDER BY m.number, o.number;
-- Each market has its own collateral account.
SELECT a.label, a.kind, a.balance FROM market.accounts a
  JOIN market.markets m ON m.collateral = a.id ORDER BY m.number;
SELECT market.outcome_id(:rain, 2) = (SELECT id FROM market.outcomes
									   WHERE market = :rain AND number = 2) AS outcome_id_works;
SELECT market.market_id(2) = :temp AS market_id_works;

SELECT market.outcome_id(:rain, 1) AS yes \gset
SELECT market.outcome_id(:rain, 2) AS no \gset
SELECT market.outcome_id(:temp, 2) AS mild \gset

-- Orders: escrow is reserved at placement.
-- buy 100 YES at 0.42 reserves 42.00
SELECT market.place_order(:alice, :yes, 'buy', 100, 0.42) IS NOT NULL AS placed;
-- a naked sell of 50 YES at 0.45 reserves 50 x 0.55 = 27.50
SELECT market.place_order(:bob, :yes, 'sell', 50, 0.45) IS NOT NULL AS placed;
-- "invest $10": a buy by cash amount; quantity = 10 / 0.333 rounded down
SELECT market.place_order(:bob, :mild, 'buy', NULL, 0.333, amount => 10) IS NOT NULL AS placed;

SELECT market_number, outcome_number, outcome_label, side, price, quantity, orders
  FROM market.order_book ORDER BY market_number, outcome_number, side, price;
SELECT account_label, market_number, outcome_label, side, price, quantity, filled,
	   escrow, time_in_force
  FROM market.open_orders ORDER BY market_number, account_label;
SELECT label, balance, locked, available FROM market.account_balances
 WHERE kind = 'user' ORDER BY label;

-- One open order per account per market; replace_order swaps it, and the
-- escrow it releases counts toward the new one.
\set VERBOSITY sqlstate
SELECT market.place_order(:alice, :no, 'buy', 1, 0.42);
\set VERBOSITY default
SELECT market.replace_order(:alice, :no, 'buy', 116, 0.5) IS NOT NULL AS replaced;
SELECT label, locked, available FROM market.account_balances WHERE label = 'alice';
\set VERBOSITY sqlstate
SELECT market.replace_order(:alice, :no, 'buy', 201, 0.5);
\set VERBOSITY default

-- gtd orders carry their expiry; ioc orders are accepted for the next auction.
SELECT market.place_order(:alice, :mild, 'sell', 5, 0.6, 'gtd', now() + interval '1 hour')
	   IS NOT NULL AS placed;
SELECT market.place_order(:bob, market.outcome_id(:final, 1), 'buy', 10, 0.0123, 'ioc')
	   IS NOT NULL AS placed;
SELECT account_label, market_number, side, price, quantity, escrow, time_in_force,
	   expires_at IS NOT NULL AS expires
  FROM market.open_orders ORDER BY market_number, account_label;

-- Cancelling releases the escrow.
SELECT market.cancel_order(:bob, :rain) AS released;
SELECT label, locked, available FROM market.account_balances WHERE kind = 'user' ORDER BY label;

-- The state machine.  Pausing stops trading but keeps the book.
SELECT market.pause_market(:rain);
SELECT market.place_order(:bob, :yes, 'sell', 50, 0.45);
SELECT market.pause_market(:rain);
SELECT number, state, open_orders FROM market.market_overview WHERE number = 1;
-- an order can still be cancelled while paused
SELECT market.cancel_order(:alice, :rain) AS released;
SELECT market.resume_market(:rain);
SELECT market.resume_market(:rain);
SELECT market.place_order(:bob, :yes, 'sell', 50, 0.45) IS NOT NULL AS placed;
SELECT market.place_order(:alice, :no, 'buy', 116, 0.5) IS NOT NULL AS placed;

-- Closing leaves trading for good: every open order is cancelled, every
-- escrow released.
SELECT market.close_market(:rain);
SELECT number, state, open_orders FROM market.market_overview WHERE number = 1;
SELECT label, locked, available FROM market.account_balances WHERE kind = 'user' ORDER BY label;
SELECT market.close_market(:rain);
SELECT market.pause_market(:rain);
SELECT market.resume_market(:rain);
SELECT market.place_order(:bob, :yes, 'sell', 50, 0.45);

-- close_at is honoured with no job running: trading is refused from that
-- instant, and closing the market writes down what the clock decided.
SELECT market.create_market('Closes in a moment', ARRAY['up', 'down'],
		close_at => clock_timestamp() + interval '1 second') AS soon \gset
SELECT market.place_order(:alice, market.outcome_id(:soon, 1), 'buy', 10, 0.5) IS NOT NULL AS placed;
SELECT pg_sleep(1.2);
\set VERBOSITY terse
SELECT market.place_order(:bob, market.outcome_id(:soon, 2), 'buy', 10, 0.5);
\set VERBOSITY default
SELECT number, state, open_orders FROM market.market_overview WHERE number = 4;
-- (a cancel_order now would write the close down itself, with its closing
-- auction: see closing_auction.sql)
SELECT market.pause_market(:soon);
SELECT market.close_market(:soon);
SELECT m.number, m.state, m.closed_at IS NOT NULL AS closed_at_set
  FROM market.markets m WHERE m.id = :soon;

-- Every transition wrote an event.
SELECT e.name, e.payload->>'from' AS "from", e.payload->>'to' AS "to",
	   e.payload->>'reason' AS reason
  FROM market.events e JOIN market.markets m ON m.id = e.market
 WHERE e.name LIKE 'market\_%' ORDER BY e.id;
SELECT e.name, count(*) FROM market.events e WHERE e.name LIKE 'order\_%'
 GROUP BY e.name ORDER BY e.name;

SELECT * FROM market.check_invariants();
