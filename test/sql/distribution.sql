-- Distribution markets (SPEC section 10a, seed 000): the worked example
-- with exact figures, then seed 000's edge cases and a cancellation.
--
-- The worked example: mean 50, stddev 10, backing 100, min_stddev 5, fee
-- 1%.  Its figures were computed independently of the extension with
-- test/unit/distribution_reference.py (mpmath, 50 digits; the largest
-- loss from the sign changes of the derivative on a grid, refined by a
-- bracketing solver), then rounded as the SPEC says (collateral up,
-- fees and payouts down):
--   k = 100 sqrt(5 sqrt(pi)) = 297.695637 (rounded down)
--   alice 50/10 -> 55/10: loss 21.0038042681 at 42.39 -> collateral 21.003805, fee 0.210038
--   bob   55/10 -> 60/8:  loss 30.2568753868 at 46.75 -> collateral 30.256876, fee 0.302568
--   carol 60/8  -> 52/5:  loss 64.8421760394 at 63.20 -> collateral 64.842177, fee 0.648421
--   x* = 57: alice 34.9687491947 -> 34.968749, bob 34.6355353275 -> 34.635535,
--            carol 51.8060707757 -> 51.806070; collateral 216.102858 in all,
--            so the liquidity account gets 94.692504 (exact bound 94.6925027020)
SET market.allow_drop = on;
DROP EXTENSION market CASCADE;
RESET market.allow_drop;
CREATE EXTENSION market;
CREATE ROLE dist_admin IN ROLE market_admin;
CREATE ROLE dist_operator IN ROLE market_operator;
CREATE ROLE dist_oracle IN ROLE market_oracle;
CREATE ROLE dist_alice IN ROLE market_trader;
CREATE ROLE dist_bob IN ROLE market_trader;
CREATE ROLE dist_carol IN ROLE market_trader;

SET ROLE dist_operator;
SELECT market.create_account('liquidity', 'dist_admin') AS liq \gset
SELECT market.create_account('oracle', 'dist_oracle') AS oracle \gset
SELECT market.create_account('alice', 'dist_alice') AS alice \gset
SELECT market.create_account('bob', 'dist_bob') AS bob \gset
SELECT market.create_account('carol', 'dist_carol') AS carol \gset
SELECT market.deposit(:liq, 1000), market.deposit(:alice, 100), market.deposit(:bob, 100),
       market.deposit(:carol, 100);
RESET ROLE;
CREATE VIEW balances AS
SELECT label, balance FROM market.account_balances
 WHERE kind IN ('user', 'house', 'collateral') AND label <> 'oracle' ORDER BY kind, label;

-- The admin, who owns the liquidity account, opens the market.
SET ROLE dist_admin;
SELECT market.create_distribution_market('Rainfall in March, mm', 50, 10, 100, :liq, 5,
		oracle => :oracle, fee_bps => 100) AS m \gset
RESET ROLE;
SELECT mean, stddev, lambda, k, backing, min_stddev, peak, collateral_posted, trades
  FROM market.distribution_overview WHERE market = :m;
SELECT * FROM balances;

-- Three traders move the market, each allowing exactly the quoted total.
SET ROLE dist_alice;
SELECT collateral, fee, total, max_payout, worst_at FROM market.quote_distribution(:m, 55, 10);
SELECT market.trade_distribution(:alice, :m, 55, 10, 21.213843) > 0 AS traded;
SET ROLE dist_bob;
SELECT collateral, fee, total FROM market.quote_distribution(:m, 60, 8);
-- one micro-unit short of collateral plus fee: refused, nothing changes
\set VERBOSITY sqlstate
SELECT market.trade_distribution(:bob, :m, 60, 8, 30.559443);
\set VERBOSITY default
SELECT market.trade_distribution(:bob, :m, 60, 8, 30.559444) > 0 AS traded;
SET ROLE dist_carol;
SELECT market.trade_distribution(:carol, :m, 52, 5, 65.490598) > 0 AS traded;
RESET ROLE;
SELECT mean, stddev, lambda, peak, collateral_posted, trades
  FROM market.distribution_overview WHERE market = :m;
SELECT account_label, old_mean, old_stddev, new_mean, new_stddev, collateral, fee, status
  FROM market.distribution_account_positions WHERE market = :m ORDER BY position;
SELECT * FROM balances;
-- each trade is a "trade" event: its size, old and new parameters
SELECT a.label, e.payload->'size' AS size, e.payload->'old' AS old, e.payload->'new' AS new
  FROM market.events e JOIN market.accounts a ON a.id = e.account
 WHERE e.market = :m AND e.name = 'trade' ORDER BY e.id;

-- What each position would be paid at a few final values.
SELECT p.account_label, x, market.distribution_payoff(p.position, x) AS payout
  FROM market.distribution_account_positions p, unnest(ARRAY[40, 52, 57, 1000]::numeric[]) x
 WHERE p.market = :m ORDER BY p.position, x;

-- The oracle reports 57; the dispute window is 0, so settle finalizes.
SET ROLE dist_oracle;
SELECT market.resolve_value(:m, 57);
RESET ROLE;
SELECT state, final_value * 0.000001 AS final_value, payouts FROM market.markets WHERE id = :m;
-- alice claims her own position
SET ROLE dist_alice;
SELECT a.label, s.payout FROM market.settle(:m, :alice) s JOIN market.accounts a ON a.id = s.account;
-- again: nothing (the NOTICE names the account's snowflake id)
SET client_min_messages = warning;
SELECT count(*) FROM market.settle(:m, :alice);
RESET client_min_messages;
RESET ROLE;
-- the operator settles the rest in batches of two
SET ROLE dist_operator;
SELECT a.label, s.payout FROM market.settle(:m, max_positions => 2) s JOIN market.accounts a ON a.id = s.account ORDER BY 1;
SELECT a.label, s.payout FROM market.settle(:m, max_positions => 2) s JOIN market.accounts a ON a.id = s.account ORDER BY 1;
SELECT a.label, s.payout FROM market.settle(:m, max_positions => 2) s JOIN market.accounts a ON a.id = s.account ORDER BY 1;
RESET ROLE;
SELECT account_label, collateral, fee, final_value, payout, pnl, status
  FROM market.distribution_account_positions WHERE market = :m ORDER BY position;
-- the collateral account ends at exactly 0; house has the fees
SELECT * FROM balances;
SELECT payload FROM market.events WHERE market = :m AND name = 'settled' ORDER BY id;
SELECT * FROM market.check_invariants();

------------------------------------------------------------------------
-- Seed 000's edge cases.
SET ROLE dist_admin;
SELECT market.create_distribution_market('untraded', 0, 1, 10, :liq, 1, oracle => :oracle) AS u \gset
SELECT market.create_distribution_market('no-op trade', 0, 1, 10, :liq, 1, oracle => :oracle) AS z \gset
RESET ROLE;
-- a trade to the current parameters costs 0 and is paid back 0
SELECT collateral, fee, max_payout FROM market.quote_distribution(:z, 0, 1);
SET ROLE dist_alice;
SELECT market.trade_distribution(:alice, :z, 0, 1, 0) > 0 AS traded;
RESET ROLE;
-- final values far in the tails: the untraded market returns exactly b
SET ROLE dist_oracle;
SELECT market.resolve_value(:u, -999999999.999999);
SELECT market.resolve_value(:z, 1000000);
RESET ROLE;
SET ROLE dist_operator;
SELECT a.label, s.payout FROM market.settle(:u) s JOIN market.accounts a ON a.id = s.account;
SELECT a.label, s.payout FROM market.settle(:z) s JOIN market.accounts a ON a.id = s.account ORDER BY 1;
RESET ROLE;

-- A dispute withdraws the value; the oracle reports again.
SET ROLE dist_admin;
SELECT market.create_distribution_market('disputed', 10, 2, 10, :liq, 1, oracle => :oracle,
		dispute_window => '1 day') AS d \gset
RESET ROLE;
SET ROLE dist_bob;
SELECT market.trade_distribution(:bob, :d, 11, 2, 10) > 0 AS traded;
RESET ROLE;
SET ROLE dist_oracle;
SELECT market.resolve_value(:d, 9);
RESET ROLE;
SET ROLE dist_admin;
SELECT market.dispute(:d, 'the gauge was blocked');
RESET ROLE;
SELECT state, final_value FROM market.markets WHERE id = :d;
SET ROLE dist_oracle;
SELECT market.resolve_value(:d, 11);
RESET ROLE;
SET ROLE dist_admin;
SELECT market.finalize(:d);
RESET ROLE;
SELECT account_label, collateral, payout, pnl, status
  FROM market.distribution_account_positions WHERE market = :d;

-- Cancelling refunds every collateral and the backing; the fee stays with house.
SET ROLE dist_admin;
SELECT market.create_distribution_market('cancelled', 0, 3, 20, :liq, 2, fee_bps => 500) AS c \gset
RESET ROLE;
SET ROLE dist_carol;
SELECT market.trade_distribution(:carol, :c, 1, 2, 100) > 0 AS traded;
RESET ROLE;
SELECT collateral, fee FROM market.distribution_account_positions WHERE market = :c;
SET ROLE dist_admin;
SELECT market.cancel_market(:c, 'the question was withdrawn');
RESET ROLE;
SET ROLE dist_carol;
SELECT a.label, s.payout FROM market.settle(:c, :carol) s JOIN market.accounts a ON a.id = s.account;
RESET ROLE;
SET ROLE dist_operator;
SELECT a.label, s.payout FROM market.settle(:c) s JOIN market.accounts a ON a.id = s.account;
RESET ROLE;
SELECT * FROM balances;
SELECT * FROM market.check_invariants();
DROP VIEW balances;
