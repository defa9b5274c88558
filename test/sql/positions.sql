-- Position accounting (SPEC section 9): cost basis by average cost at the
-- economic level, realized P&L on every reduction.  Seed 004's example is
-- played through the order book with zero-surplus matches, so each trade
-- happens exactly at its price.
SET market.allow_drop = on;   -- the previous file's ledger holds entries
DROP EXTENSION market CASCADE;
RESET market.allow_drop;
CREATE EXTENSION market;

SELECT count(market.deposit(market.create_account(l), 1000))
  FROM unnest(ARRAY['alice', 'bob', 'carol']) l;
SELECT id AS alice FROM market.accounts WHERE label = 'alice' \gset
SELECT id AS bob FROM market.accounts WHERE label = 'bob' \gset
SELECT id AS carol FROM market.accounts WHERE label = 'carol' \gset
SELECT market.create_market('Seed 004', ARRAY['YES', 'NO']) AS m \gset
SELECT market.outcome_id(:m, 1) AS yes \gset

-- alice buys 1000 YES at 0.60 from bob, who sells without holding any:
-- bid 0.60 and the sell's bid 0.40 sum to exactly 1, nothing returned.
SELECT market.place_order(:alice, :yes, 'buy', 1000, 0.60) > 0 AS placed;
SELECT market.place_order(:bob, :yes, 'sell', 1000, 0.60) > 0 AS placed;
SELECT kind, quantity, bids, surplus FROM market.execute(:m);
SELECT a.label, outcome_label, quantity, cost_basis, average_price
  FROM market.position_holdings p JOIN market.accounts a ON a.id = p.account ORDER BY a.label;

-- alice sells 400 at 0.75 to carol: realized +60, 600 left costing 360.
SELECT market.place_order(:alice, :yes, 'sell', 400, 0.75) > 0 AS placed;
SELECT market.place_order(:carol, :yes, 'buy', 400, 0.75) > 0 AS placed;
SELECT kind, quantity, bids, surplus FROM market.execute(:m);
SELECT a.label, outcome_label, quantity, cost_basis, average_price, last_price,
	   market_value, unrealized_pnl
  FROM market.position_holdings p JOIN market.accounts a ON a.id = p.account ORDER BY a.label;
SELECT a.label, contracts, cost_basis, realized_pnl, status
  FROM market.positions_summary p JOIN market.accounts a ON a.id = p.account ORDER BY a.label;
-- alice's cash: paid 600, received 300 for the 400 she sold.
SELECT market.balance(:alice);

-- bob buys back 1000 YES at 0.55 from alice (600) and carol (400): his
-- short, opened at 0.60, closes with a profit of 0.05 each (+50).  alice
-- realizes 600 x (0.55 - 0.60) = -30 (+30 in all), carol 400 x (0.55 -
-- 0.75) = -80.
SELECT market.place_order(:alice, :yes, 'sell', 600, 0.55) > 0 AS placed;
SELECT market.place_order(:carol, :yes, 'sell', 400, 0.55) > 0 AS placed;
SELECT market.place_order(:bob, :yes, 'buy', 1000, 0.55) > 0 AS placed;
SELECT kind, quantity, bids, surplus FROM market.execute(:m);
SELECT a.label, contracts, cost_basis, realized_pnl, status
  FROM market.positions_summary p JOIN market.accounts a ON a.id = p.account ORDER BY a.label;
-- Everyone is flat; the realized P&L sums to zero, and so does the cash.
SELECT sum(realized_pnl) AS total_realized FROM market.positions_summary;
SELECT label, balance FROM market.account_balances WHERE kind <> 'external' ORDER BY id;
SELECT * FROM market.check_invariants();
