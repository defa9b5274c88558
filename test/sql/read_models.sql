-- The read models of SPEC section 11: book prices with implied asks, the
-- account summary, trades, OHLC candles; and seed 000's market that
-- nobody traded.
SET market.allow_drop = on;   -- the previous file's ledger holds entries
DROP EXTENSION market CASCADE;
RESET market.allow_drop;
CREATE EXTENSION market;

SELECT count(market.deposit(market.create_account(l), 1000))
  FROM unnest(ARRAY['alice', 'bob', 'carol']) l;
SELECT id AS alice FROM market.accounts WHERE label = 'alice' \gset
SELECT id AS bob FROM market.accounts WHERE label = 'bob' \gset
SELECT id AS carol FROM market.accounts WHERE label = 'carol' \gset
SELECT market.create_market('Who wins the final?', ARRAY['home', 'draw', 'away']) AS m \gset

-- Bids on every outcome that do not yet sum to 1: each outcome's implied
-- ask is 1 minus the others' best bids.
SELECT market.place_order(:alice, market.outcome_id(:m, 1), 'buy', 10, 0.40) > 0 AS placed;
SELECT market.place_order(:bob, market.outcome_id(:m, 2), 'buy', 10, 0.35) > 0 AS placed;
SELECT market.place_order(:carol, market.outcome_id(:m, 3), 'buy', 5, 0.20) > 0 AS placed;
SELECT outcome_number, outcome_label, best_bid, best_ask, implied_ask, last_price
  FROM market.book_prices ORDER BY outcome_number;

-- carol meets away's implied ask and more: the triangle trades.
SELECT market.replace_order(:carol, market.outcome_id(:m, 3), 'buy', 10, 0.30) > 0 AS replaced;
SELECT count(*) AS executions FROM market.execute(:m);
SELECT outcome_number, best_bid, implied_ask, last_price FROM market.book_prices ORDER BY outcome_number;
SELECT a.label, t.kind, t.outcome_label, t.side, t.quantity, t.price, t.paid
  FROM market.trades t JOIN market.accounts a ON a.id = t.account ORDER BY t.outcome_number;

-- alice sells half her home to bob at 0.50: a second trade of home.
SELECT market.place_order(:alice, market.outcome_id(:m, 1), 'sell', 5, 0.50) > 0 AS placed;
SELECT market.place_order(:bob, market.outcome_id(:m, 1), 'buy', 5, 0.50) > 0 AS placed;
SELECT count(*) AS executions FROM market.execute(:m);

-- Candles by day: home opened at its triangle price and closed at 0.50.
SELECT outcome, open, high, low, close, volume, trades FROM market.candles(:m, '1 day');

-- The account summary (seed 004): cash + value of what is held = total.
SELECT label, balance, locked, available, invested, market_value, total, unrealized_pnl
  FROM market.account_summary ORDER BY label;

-- Seed 000: a market nobody traded resolves and settles with nothing to
-- pay, and a second one is cancelled with nothing to refund.
SELECT market.create_market('Nobody cares', ARRAY['YES', 'NO']) AS q \gset
SELECT market.resolve(:q, market.outcome_id(:q, 1));
SELECT * FROM market.settle(:q);
SELECT market.create_market('Nobody cares either', ARRAY['YES', 'NO']) AS r \gset
SELECT market.cancel_market(:r, 'no interest');
SELECT * FROM market.settle(:r);
SELECT number, state, open_orders, collateral FROM market.market_overview ORDER BY number;
SELECT * FROM market.check_invariants();
