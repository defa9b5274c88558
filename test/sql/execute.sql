-- The matching engine: execute(market) (SPEC section 7).  Ids are
-- snowflakes, so this file shows labels and numbers.
SET market.allow_drop = on;   -- the previous file's ledger holds entries
DROP EXTENSION market CASCADE;
RESET market.allow_drop;
CREATE EXTENSION market;

SELECT market.create_account(l) IS NOT NULL AS created
  FROM unnest(ARRAY['alice', 'bob', 'carol', 'dave', 'erin']) l;
SELECT id AS alice FROM market.accounts WHERE label = 'alice' \gset
SELECT id AS bob FROM market.accounts WHERE label = 'bob' \gset
SELECT id AS carol FROM market.accounts WHERE label = 'carol' \gset
SELECT id AS dave FROM market.accounts WHERE label = 'dave' \gset
SELECT id AS erin FROM market.accounts WHERE label = 'erin' \gset
SELECT count(market.deposit(id, 100)) FROM market.accounts WHERE kind = 'user';

CREATE VIEW parties AS
SELECT x.kind, a.label, o.number AS outcome, f.side, f.quantity * 0.000001 AS quantity,
	   f.price * 0.000001 AS effective_price, f.paid * 0.000001 AS paid
  FROM market.fills f
  JOIN market.executions x ON x.id = f.execution
  JOIN market.accounts a ON a.id = f.account
  JOIN market.outcomes o ON o.id = f.outcome;

-- Nothing matches at placement; execute() runs the auction.
SELECT market.create_market('Who wins the final?', ARRAY['home', 'draw', 'away']) AS m \gset

-- The seed's triangle: buys on every outcome at 0.40 + 0.35 + 0.30 = 1.05.
-- Ten complete sets are minted; the 0.05 surplus goes back pro-rata, so
-- each pays bid / 1.05.
SELECT market.place_order(:alice, market.outcome_id(:m, 1), 'buy', 10, 0.40) > 0 AS placed;
SELECT market.place_order(:bob, market.outcome_id(:m, 2), 'buy', 10, 0.35) > 0 AS placed;
SELECT market.place_order(:carol, market.outcome_id(:m, 3), 'buy', 10, 0.30) > 0 AS placed;
SELECT count(*) AS fills_before_execute FROM market.fills;
SELECT kind, outcome, quantity, sets, bids, surplus FROM market.execute(:m);
SELECT * FROM parties ORDER BY label;
SELECT label, balance, locked, available FROM market.account_balances ORDER BY id;

-- A covered sell: alice sells the 10 "home" she holds; dave buys 4.
-- Direct match, S = 0.55 + 0.50 = 1.05.  alice's 4 sets (home + the draw
-- and away she receives) are redeemed at 1.00: she nets 4 x 0.5238095.
SELECT market.place_order(:alice, market.outcome_id(:m, 1), 'sell', 10, 0.50) > 0 AS placed;
SELECT account_label, side, quantity, escrow FROM market.open_orders;
SELECT market.place_order(:dave, market.outcome_id(:m, 1), 'buy', 4, 0.55) > 0 AS placed;
SELECT kind, outcome, quantity, sets, bids, surplus FROM market.execute(:m);
SELECT * FROM parties WHERE kind = 'direct' ORDER BY label;
SELECT account_label, side, quantity, filled, escrow FROM market.open_orders;

-- A naked sell: erin sells "draw" without holding it, 5 at 0.30, and
-- reserves 5 x 0.70.  bob's draw bid is gone, so nothing matches yet.
SELECT market.place_order(:erin, market.outcome_id(:m, 2), 'sell', 5, 0.30) > 0 AS placed;
SELECT account_label, side, price, quantity, escrow FROM market.open_orders ORDER BY account_label;
SELECT count(*) AS executions FROM market.execute(:m);
-- carol bids 0.35 for draw: a direct match at S = 0.35 + 0.70 = 1.05.  erin
-- ends up short draw, held as home and away.
SELECT market.place_order(:carol, market.outcome_id(:m, 2), 'buy', 5, 0.35) > 0 AS placed;
SELECT kind, outcome, quantity, sets, bids, surplus FROM market.execute(:m);
SELECT a.label, o.number AS outcome, h.quantity * 0.000001 AS holding
  FROM market.holdings h JOIN market.accounts a ON a.id = h.account
  JOIN market.outcomes o ON o.id = h.outcome
 WHERE h.quantity > 0 ORDER BY label, outcome;

-- A merge: sellers of every outcome whose asks sum to 0.90 <= 1.  K = 2:
-- each pays 2 x (1 - ask) / 2.10 per unit and is paid 1.00 per complete set.
SELECT market.cancel_order(:alice, :m) >= 0 AS cancelled;
SELECT market.place_order(:dave, market.outcome_id(:m, 1), 'sell', 4, 0.30) > 0 AS placed;
SELECT market.place_order(:bob, market.outcome_id(:m, 2), 'sell', 4, 0.30) > 0 AS placed;
SELECT market.place_order(:carol, market.outcome_id(:m, 3), 'sell', 4, 0.30) > 0 AS placed;
SELECT kind, outcome, quantity, sets, bids, surplus FROM market.execute(:m);
SELECT * FROM parties WHERE kind = 'merge' ORDER BY label;

-- Every match is one journal transfer: mint when collateral grows, redeem
-- when it shrinks, trade when it does not change.
SELECT j.kind, label, amount, balance_before, balance_after
  FROM market.account_journal j WHERE j.kind IN ('mint', 'redeem', 'trade')
 ORDER BY transfer, amount;
SELECT number, open_orders, collateral FROM market.market_overview;
SELECT sum(balance) AS traders_plus_collateral FROM market.account_balances
 WHERE kind IN ('user', 'collateral');

-- Pro-rata at a level, largest remainder: three buyers of 1 at 0.50 against
-- a seller of 2.  Each gets 2/3; the two micro-units left go to the older
-- orders.
SELECT market.create_market('Pro-rata', ARRAY['YES', 'NO']) AS p \gset
SELECT market.place_order(:alice, market.outcome_id(:p, 1), 'buy', 1, 0.50) > 0 AS placed;
SELECT market.place_order(:bob, market.outcome_id(:p, 1), 'buy', 1, 0.50) > 0 AS placed;
SELECT market.place_order(:carol, market.outcome_id(:p, 1), 'buy', 1, 0.50) > 0 AS placed;
SELECT market.place_order(:dave, market.outcome_id(:p, 1), 'sell', 2, 0.50) > 0 AS placed;
SELECT kind, quantity, bids, surplus FROM market.execute(:p);
SELECT label, side, quantity, effective_price, paid FROM parties
 WHERE outcome = 1 AND kind = 'direct' AND label <> 'erin' ORDER BY quantity DESC, label;
SELECT account_label, quantity, escrow FROM market.open_orders WHERE market = :p;

-- ioc: what the next auction does not fill is cancelled.  gtd: cancelled
-- when expired, before matching.
SELECT market.place_order(:erin, market.outcome_id(:p, 2), 'buy', 3, 0.10, 'ioc') > 0 AS placed;
SELECT market.place_order(:dave, market.outcome_id(:p, 2), 'buy', 1, 0.10, 'gtd',
						  clock_timestamp() + interval '1 second') > 0 AS placed;
SELECT pg_sleep(1.2);
SELECT count(*) AS executions FROM market.execute(:p);
SELECT account_label, side, quantity FROM market.open_orders WHERE market = :p ORDER BY account_label;
SELECT o.cancel_reason, count(*) FROM market.orders o WHERE o.market = :p AND o.status = 'cancelled'
 GROUP BY 1 ORDER BY 1;

-- auto_execute: matching happens inside place_order.
SELECT market.create_market('Continuous', ARRAY['YES', 'NO'], auto_execute => true) AS c \gset
SELECT market.place_order(:alice, market.outcome_id(:c, 1), 'buy', 2, 0.60) > 0 AS placed;
SELECT market.place_order(:bob, market.outcome_id(:c, 2), 'buy', 2, 0.45) > 0 AS placed;
SELECT x.kind, x.quantity, x.bids FROM market.executions x WHERE x.market = :c;
SELECT count(*) AS open_orders FROM market.open_orders WHERE market = :c;

-- execute() is for active markets; a paused one is refused.
SELECT market.pause_market(:c);
SELECT market.execute(:c);
SELECT market.resume_market(:c);

-- execute_all() runs every active market (for pg_cron) and closes the ones
-- whose close_at has passed.
SELECT market.create_market('Short-lived', ARRAY['up', 'down'],
		close_at => clock_timestamp() + interval '1 second') AS s \gset
SELECT market.place_order(:erin, market.outcome_id(:s, 1), 'buy', 1, 0.5) > 0 AS placed;
SELECT pg_sleep(1.2);
SELECT market.execute_all();
SELECT number, state, open_orders FROM market.market_overview ORDER BY number;

SELECT e.name, e.payload->>'executions' AS executions, e.payload->>'expired' AS expired,
	   e.payload->>'ioc_cancelled' AS ioc_cancelled
  FROM market.events e WHERE e.name = 'auction' ORDER BY e.id;
SELECT * FROM market.check_invariants();
DROP VIEW parties;
