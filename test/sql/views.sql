-- Readable views (issue 12): value and P&L computed exactly and rounded
-- once; account labels and market descriptions; the order history,
-- settlements and payouts in cash units; and a trader reading the private
-- ones sees only its own rows.  (Fees are stored but not charged in this
-- version, so there is no "minus the fees" case yet.)
SET market.allow_drop = on;   -- the previous file's ledger holds entries
DROP EXTENSION market CASCADE;
RESET market.allow_drop;
CREATE EXTENSION market;
DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'regress_views_alice') THEN
		CREATE ROLE regress_views_alice IN ROLE market_trader;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'regress_views_bob') THEN
		CREATE ROLE regress_views_bob IN ROLE market_trader;
	END IF;
END
$$;

SELECT count(market.deposit(market.create_account(l, ('regress_views_' || l)::regrole), 100))
  FROM unnest(ARRAY['alice', 'bob']) l;
SELECT count(market.deposit(market.create_account(l), 100))
  FROM unnest(ARRAY['carol', 'dave']) l;
SELECT id AS alice FROM market.accounts WHERE label = 'alice' \gset
SELECT id AS bob FROM market.accounts WHERE label = 'bob' \gset
SELECT id AS carol FROM market.accounts WHERE label = 'carol' \gset
SELECT id AS dave FROM market.accounts WHERE label = 'dave' \gset
SELECT market.create_market('Who wins the final?', ARRAY['home', 'draw', 'away']) AS m \gset

-- A triangle whose bids sum to 1.05: each pays its bid / 1.05, prices
-- that are not whole micro-units (home: 0.40 / 1.05 = 0.38095238...).
SELECT market.place_order(:alice, market.outcome_id(:m, 1), 'buy', 10, 0.40) > 0 AS placed;
SELECT market.place_order(:bob, market.outcome_id(:m, 2), 'buy', 10, 0.35) > 0 AS placed;
SELECT market.place_order(:carol, market.outcome_id(:m, 3), 'buy', 10, 0.30) > 0 AS placed;
SELECT count(*) AS executions FROM market.execute(:m);

-- Each holding is marked at the price it was bought at: worth its cost,
-- P&L 0.000000 (not 3.809520 and -0.000004 from the rounded 0.380952).
SELECT account_label, outcome_label, quantity, cost_basis, last_price, market_value, unrealized_pnl
  FROM market.position_holdings ORDER BY outcome_number;
SELECT account_label, market_description, contracts, cost_basis, market_value, unrealized_pnl, status
  FROM market.positions_summary ORDER BY account_label;
-- 100 deposited and traded at cost adds up to 100.000000.
SELECT label, balance, invested, market_value, total, unrealized_pnl
  FROM market.account_summary ORDER BY label;

-- alice sells 4 of her home to dave: bid 0.45 against ask 0.38, S = 1.07;
-- dave pays 1.682243 for 4, so the trade's exact price is 0.42056075 and
-- alice's 6 home are worth 6 x 1.682243 / 4 = 2.5233645, rounded once to
-- 2.523365 (not 6 x 0.420561 = 2.523366 from the rounded last price).
SELECT market.place_order(:alice, market.outcome_id(:m, 1), 'sell', 4, 0.38) > 0 AS placed;
SELECT market.place_order(:dave, market.outcome_id(:m, 1), 'buy', 4, 0.45) > 0 AS placed;
SELECT count(*) AS executions FROM market.execute(:m);
SELECT account_label, outcome_label, quantity, cost_basis, average_price, last_price,
	   market_value, unrealized_pnl
  FROM market.position_holdings ORDER BY outcome_number, account_label;
SELECT label, balance, invested, market_value, total, unrealized_pnl
  FROM market.account_summary ORDER BY label;
SELECT account_label, market_description, outcome_label, side, quantity, price, paid
  FROM market.trades ORDER BY execution, account_label;

-- Market descriptions where prices are shown.
SELECT market_description, outcome_label, side, price, quantity
  FROM market.order_book ORDER BY outcome_number;
SELECT market.place_order(:carol, market.outcome_id(:m, 2), 'buy', 5, 0.10) > 0 AS placed;
SELECT market_description, outcome_label, best_bid, last_price
  FROM market.book_prices ORDER BY outcome_number;
SELECT account_label, market_description, outcome_label, side, price, quantity
  FROM market.open_orders;
SELECT market_description, outcome_label, side, price, quantity
  FROM market.order_book ORDER BY outcome_number;

-- The order history: every order, open, filled or cancelled, with the
-- exact average fill price (a sell's: 1 minus what it paid per contract).
SELECT market.cancel_order(:carol, :m) AS released;
SELECT market.place_order(:bob, market.outcome_id(:m, 2), 'sell', 3, 0.90,
						  time_in_force => 'ioc') > 0 AS placed;
SELECT count(*) AS executions FROM market.execute(:m);
SELECT account_label, market_description, outcome_label, side, price, original, filled,
	   remaining, average_price, paid, status, cancel_reason, time_in_force
  FROM market.order_history ORDER BY created_at, id;

-- Resolved: the payouts per contract in cash units.
SELECT market.resolve(:m, market.outcome_id(:m, 1));
SELECT market_number, market_description, state, outcome_number, outcome_label, payout
  FROM market.market_payouts ORDER BY outcome_number;
SELECT market.finalize(:m);
SELECT count(*) AS settled FROM market.settle(:m);
SELECT account_label, market_description, kind, amount, cost, pnl, paid_at IS NOT NULL AS paid
  FROM market.account_settlements ORDER BY account_label;
SELECT account_label, contracts, realized_pnl, status, payout, result
  FROM market.positions_summary ORDER BY account_label;

-- A cancelled market's refunds, in cash units too.
SELECT market.create_market('Called off', ARRAY['YES', 'NO']) AS r \gset
SELECT market.place_order(:bob, market.outcome_id(:r, 1), 'buy', 2, 0.60) > 0 AS placed;
SELECT market.place_order(:carol, market.outcome_id(:r, 2), 'buy', 2, 0.40) > 0 AS placed;
SELECT count(*) AS executions FROM market.execute(:r);
SELECT market.place_order(:dave, market.outcome_id(:r, 1), 'buy', 1, 0.70) > 0 AS placed;
SELECT market.place_order(:carol, market.outcome_id(:r, 2), 'buy', 1, 0.30) > 0 AS placed;
SELECT count(*) AS executions FROM market.execute(:r);
-- bob reads his YES marked at dave's later trade, a fill he cannot see.
SET ROLE regress_views_bob;
SELECT count(*) AS fills_seen FROM market.fills WHERE market = :r;
SELECT account_label, outcome_label, quantity, cost_basis, last_price, market_value, unrealized_pnl
  FROM market.position_holdings WHERE market = :r;
SELECT label, balance, invested, market_value, total, unrealized_pnl FROM market.account_summary;
RESET ROLE;
SELECT market.cancel_market(:r, 'called off');
SELECT count(*) AS settled FROM market.settle(:r);
SELECT account_label, market_description, kind, amount, cost, pnl
  FROM market.account_settlements WHERE market = :r ORDER BY account_label;
SELECT count(*) AS payouts FROM market.market_payouts WHERE market = :r;

-- A trader sees only its own rows in the private views, and the public
-- payouts in full.
SET ROLE regress_views_alice;
SELECT account_label, count(*) FROM market.order_history GROUP BY 1 ORDER BY 1;
SELECT account_label, count(*) FROM market.account_settlements GROUP BY 1 ORDER BY 1;
SELECT account_label, count(*) FROM market.trades GROUP BY 1 ORDER BY 1;
SELECT account_label, count(*) FROM market.positions_summary GROUP BY 1 ORDER BY 1;
SELECT count(*) AS payouts FROM market.market_payouts;
RESET ROLE;
SET ROLE regress_views_bob;
SELECT account_label, count(*) FROM market.order_history GROUP BY 1 ORDER BY 1;
SELECT account_label, count(*) FROM market.account_settlements GROUP BY 1 ORDER BY 1;
RESET ROLE;

SELECT * FROM market.check_invariants();
