-- The closing auction (SPEC section 5): a batch market runs one last
-- auction on its book when it closes, by close_market or by close_at
-- passing, unless created with closing_auction => false.  The close that
-- close_at makes is written down by the first call that touches the
-- market afterwards, auction first, on the book as of close_at.
-- Resolution and cancellation never auction.  Every call is made by the
-- role that makes it in production; each statement commits on its own.
SET market.allow_drop = on;   -- the previous file's ledger holds entries
DROP EXTENSION market CASCADE;
RESET market.allow_drop;
CREATE EXTENSION market;

CREATE ROLE closing_admin IN ROLE market_admin;
CREATE ROLE closing_operator IN ROLE market_operator;
CREATE ROLE closing_alice IN ROLE market_trader;
CREATE ROLE closing_bob IN ROLE market_trader;
CREATE ROLE closing_carol IN ROLE market_trader;
CREATE ROLE closing_dave IN ROLE market_trader;

SET SESSION AUTHORIZATION closing_operator;
SELECT count(market.deposit(market.create_account(l, ('closing_' || l)::regrole), 100))
  FROM unnest(ARRAY['alice', 'bob', 'carol', 'dave']) l;
SELECT id AS alice FROM market.accounts WHERE label = 'alice' \gset
SELECT id AS bob FROM market.accounts WHERE label = 'bob' \gset
SELECT id AS carol FROM market.accounts WHERE label = 'carol' \gset
SELECT id AS dave FROM market.accounts WHERE label = 'dave' \gset
RESET SESSION AUTHORIZATION;

CREATE VIEW parties AS
SELECT m.number AS market, x.kind, a.label, f.side, f.quantity * 0.000001 AS quantity,
	   f.price * 0.000001 AS effective_price, f.paid * 0.000001 AS paid
  FROM market.fills f
  JOIN market.executions x ON x.id = f.execution
  JOIN market.markets m ON m.id = f.market
  JOIN market.accounts a ON a.id = f.account;
CREATE VIEW reasons AS
SELECT m.number AS market, a.label, o.status, o.cancel_reason
  FROM market.orders o
  JOIN market.markets m ON m.id = o.market
  JOIN market.accounts a ON a.id = o.account;

-- A book in market :m: alice bids 0.60 for 10 YES, bob asks 0.50 for 10
-- (they cross), carol bids 0.20 for 5 NO (she does not).
\set book 'SELECT market.place_order(:alice, market.outcome_id(:m, 1), ''buy'', 10, 0.6) > 0 AS a, market.place_order(:bob, market.outcome_id(:m, 1), ''sell'', 10, 0.5) > 0 AS b, market.place_order(:carol, market.outcome_id(:m, 2), ''buy'', 5, 0.2) > 0 AS c'

-- 1. close_market runs the closing auction, then cancels the rest.  Both
-- legs pay bid * 1 / 1.10: alice 0.545455 a contract, bob gets the same.
SET SESSION AUTHORIZATION closing_admin;
SELECT market.create_market('1: closed by an admin', ARRAY['YES', 'NO']) AS m \gset
SELECT closing_auction FROM market.market_overview WHERE id = :m;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION closing_operator;
:book;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION closing_admin;
SELECT market.close_market(:m);
RESET SESSION AUTHORIZATION;
SELECT * FROM parties WHERE market = 1 ORDER BY label;
SELECT * FROM reasons WHERE market = 1 ORDER BY label;
SELECT e.name, e.payload->>'executions' AS executions, e.payload->>'closing' AS closing
  FROM market.events e WHERE e.market = :'m' AND e.name IN ('auction', 'market_closed')
 ORDER BY e.id;

-- 2. closing_auction => false: the same book is cancelled, nothing matches.
SET SESSION AUTHORIZATION closing_admin;
SELECT market.create_market('2: no closing auction', ARRAY['YES', 'NO'],
		closing_auction => false) AS m \gset
SELECT closing_auction FROM market.market_overview WHERE id = :m;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION closing_operator;
:book;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION closing_admin;
SELECT market.close_market(:m);
RESET SESSION AUTHORIZATION;
SELECT count(*) AS executions FROM market.executions WHERE market = :m;
SELECT * FROM reasons WHERE market = 2 ORDER BY label;

-- 3. Resolving and cancelling a market before its close_at never auction:
-- the crossing book is cancelled as it stands.
SET SESSION AUTHORIZATION closing_admin;
SELECT market.create_market('3: resolved while open', ARRAY['YES', 'NO'],
		close_at => now() + interval '1 hour') AS m \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION closing_operator;
:book;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION closing_admin;
SELECT market.resolve(:m, market.outcome_id(:m, 1));
SELECT market.create_market('4: cancelled while open', ARRAY['YES', 'NO']) AS m \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION closing_operator;
:book;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION closing_admin;
SELECT market.cancel_market(:m, 'void');
RESET SESSION AUTHORIZATION;
SELECT count(*) AS executions FROM market.executions x JOIN market.markets m ON m.id = x.market
 WHERE m.number IN (3, 4);
SELECT * FROM reasons WHERE market IN (3, 4) ORDER BY market, label;

-- 4. close_at passing.  Six markets close in a moment, each with the same
-- crossing book; each is then touched by a different call.  In market 5,
-- bob's ask is a gtd order that expires before close_at (out of the
-- closing auction) and carol asks 0.55 for 4 YES in a gtd order that
-- expires after close_at but before anyone looks (in it: it was live at
-- the close).
SET SESSION AUTHORIZATION closing_admin;
SELECT count(market.create_market(d, ARRAY['YES', 'NO'], close_at => clock_timestamp() + interval '1.5 s'))
  FROM unnest(ARRAY['5: closed by a cancel_order', '6: closed by execute_all',
					'7: closed by execute', '8: closed by resolve',
					'9: closed by cancel_market']) d;
SELECT market.create_market('10: no closing auction, closed by execute', ARRAY['YES', 'NO'],
		close_at => clock_timestamp() + interval '1.5 s', closing_auction => false) AS m10 \gset
SELECT market.create_market('never closes', ARRAY['YES', 'NO']) AS other \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION closing_operator;
SELECT market.market_id(5) AS m \gset
SELECT market.place_order(:alice, market.outcome_id(:m, 1), 'buy', 10, 0.6) > 0 AS a,
	   market.place_order(:bob, market.outcome_id(:m, 1), 'sell', 10, 0.5, 'gtd',
						  clock_timestamp() + interval '0.5 s') > 0 AS b,
	   market.place_order(:carol, market.outcome_id(:m, 1), 'sell', 4, 0.55, 'gtd',
						  clock_timestamp() + interval '2 s') > 0 AS c,
	   market.place_order(:dave, market.outcome_id(:m, 2), 'buy', 3, 0.3) > 0 AS d;
SELECT market.market_id(6) AS m \gset
:book;
SELECT market.market_id(7) AS m \gset
:book;
SELECT market.market_id(8) AS m \gset
:book;
SELECT market.market_id(9) AS m \gset
:book;
SELECT :m10 AS m \gset
:book;
RESET SESSION AUTHORIZATION;
SELECT pg_sleep(2.5);
SELECT number, state, open_orders FROM market.market_overview WHERE number >= 5 ORDER BY number;

-- market 5: dave takes back his order; his call writes the close down
-- first: carol's 4 match alice's bid, bob's expired ask stays out; then
-- the close cancels the rest, dave's order too, so nothing is left for
-- him to cancel.
SET SESSION AUTHORIZATION closing_dave;
SELECT market.cancel_order(:dave, market.market_id(5)) AS released;
RESET SESSION AUTHORIZATION;
SELECT * FROM parties WHERE market = 5 ORDER BY label;
SELECT * FROM reasons WHERE market = 5 ORDER BY label;
SELECT name, payload->>'closing' AS closing, payload->>'expired' AS expired,
	   payload->>'reason' AS reason
  FROM market.events WHERE market = market.market_id(5)
   AND name IN ('auction', 'market_closed') ORDER BY id;

-- market 7: execute writes the close down and returns the closing
-- auction's executions; run again, it says why nothing happens.
SET SESSION AUTHORIZATION closing_operator;
SELECT kind, outcome, quantity, sets, bids, surplus FROM market.execute(market.market_id(7));
SELECT kind, outcome, quantity FROM market.execute(market.market_id(7));
RESET SESSION AUTHORIZATION;
SELECT * FROM parties WHERE market = 7 ORDER BY label;

-- market 8: resolving it after close_at writes the close down first, with
-- its closing auction; the resolution itself then has no book to cancel.
SET SESSION AUTHORIZATION closing_admin;
SELECT market.resolve(market.market_id(8), market.outcome_id(market.market_id(8), 1));
-- market 9: cancelling it likewise; the refunds follow the closing fills.
SELECT market.cancel_market(market.market_id(9), 'void after the close');
RESET SESSION AUTHORIZATION;
SELECT * FROM parties WHERE market IN (8, 9) ORDER BY market, label;
SELECT * FROM reasons WHERE market IN (8, 9) ORDER BY market, label;
SELECT e.name, e.payload->>'from' AS "from", e.payload->>'to' AS "to"
  FROM market.events e JOIN market.markets m ON m.id = e.market
 WHERE m.number IN (8, 9) AND e.name LIKE 'market\_%' ORDER BY m.number, e.id;

-- market 10, made without a closing auction: execute closes it and
-- matches nothing.
SET SESSION AUTHORIZATION closing_operator;
SELECT count(*) FROM market.execute(:m10);
RESET SESSION AUTHORIZATION;

-- market 6: execute_all closes it and counts its closing auction with the
-- executions of the markets it runs.
SET SESSION AUTHORIZATION closing_operator;
SELECT market.execute_all();
RESET SESSION AUTHORIZATION;
SELECT m.number, m.state, count(x.id) AS executions
  FROM market.markets m LEFT JOIN market.executions x ON x.market = m.id
 WHERE m.number >= 5 GROUP BY m.number, m.state ORDER BY m.number;
SELECT * FROM reasons WHERE market IN (6, 10) ORDER BY market, label;

-- execute on a market that has left trading: a NOTICE naming its state;
-- a paused one is still refused.
SET SESSION AUTHORIZATION closing_operator;
SELECT count(*) FROM market.execute(market.market_id(3));
SELECT count(*) FROM market.execute(market.market_id(4));
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION closing_admin;
SELECT market.pause_market(:other);
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION closing_operator;
\set VERBOSITY terse
SELECT count(*) FROM market.execute(:other);
\set VERBOSITY default
RESET SESSION AUTHORIZATION;

SELECT * FROM market.check_invariants();
DROP VIEW parties, reasons;
SET market.allow_drop = on;
DROP EXTENSION market CASCADE;
RESET market.allow_drop;
DROP ROLE closing_admin, closing_operator, closing_alice, closing_bob, closing_carol, closing_dave;
CREATE EXTENSION market;
