-- Fees on the order book (SPEC section 6a).  Each rate is charged per
-- fill, separately, as floor(bps x min(paid, q - paid) / 10000) of the
-- exact cash the fill paid; escrow reserves the largest fee an order can
-- pay; each execution with fees has a second transfer of kind 'fee';
-- creator fees accrue in the market's creator-fee account and are paid to
-- the creator, once, when the market is finalized or cancelled.  Every
-- call is made by the login role that makes it; each statement commits.
SET market.allow_drop = on;   -- the previous file's ledger holds entries
DROP EXTENSION market CASCADE;
RESET market.allow_drop;
CREATE EXTENSION market;

CREATE ROLE fees_admin LOGIN IN ROLE market_admin;
CREATE ROLE fees_operator LOGIN IN ROLE market_operator;
CREATE ROLE fees_oracle LOGIN IN ROLE market_oracle;
CREATE ROLE fees_alice LOGIN IN ROLE market_trader;
CREATE ROLE fees_bob LOGIN IN ROLE market_trader;
CREATE ROLE fees_carol LOGIN IN ROLE market_trader;
CREATE ROLE fees_creator LOGIN IN ROLE market_trader;

SET SESSION AUTHORIZATION fees_operator;
SELECT count(market.deposit(market.create_account(l, ('fees_' || l)::regrole), 100))
  FROM unnest(ARRAY['alice', 'bob', 'carol']) l;
SELECT market.create_account('creator', 'fees_creator') AS creator \gset
SELECT market.create_account('oracle', 'fees_oracle') AS oracle \gset
SELECT id AS alice FROM market.accounts WHERE label = 'alice' \gset
SELECT id AS bob FROM market.accounts WHERE label = 'bob' \gset
SELECT id AS carol FROM market.accounts WHERE label = 'carol' \gset
RESET SESSION AUTHORIZATION;

CREATE VIEW parties AS
SELECT m.number AS market, x.kind, a.label, f.side, f.quantity * 0.000001 AS quantity,
	   f.price * 0.000001 AS effective_price, f.paid * 0.000001 AS paid,
	   f.fee * 0.000001 AS fee, f.creator_fee * 0.000001 AS creator_fee
  FROM market.fills f
  JOIN market.executions x ON x.id = f.execution
  JOIN market.markets m ON m.id = f.market
  JOIN market.accounts a ON a.id = f.account;
CREATE VIEW cash AS
SELECT a.label, a.kind, b.balance, b.available
  FROM market.accounts a JOIN market.account_balances b ON b.id = a.id;
CREATE VIEW fee_entries AS
SELECT m.number AS market, a.kind, a.label, j.amount * 0.000001 AS amount,
	   j.balance_after * 0.000001 AS balance_after, j.execution IS NOT NULL AS of_execution
  FROM market.journal j
  JOIN market.accounts a ON a.id = j.account
  JOIN market.markets m ON m.id = j.market
 WHERE j.kind = 'fee';

-- 1. The worked example: fee_bps 100, creator_fee_bps 50; alice buys 100
-- YES at 0.60, bob, who holds no YES, sells 100 YES at 0.60.
SET SESSION AUTHORIZATION fees_admin;
SELECT market.create_market('1: the worked example', ARRAY['YES', 'NO'], oracle => :oracle,
							fee_bps => 100, creator => :creator, creator_fee_bps => 50) AS m \gset
RESET SESSION AUTHORIZATION;
SELECT m.creator_fees IS NOT NULL AS has_creator_fees, a.kind, a.label
  FROM market.markets m JOIN market.accounts a ON a.id = m.creator_fees WHERE m.id = :m;
SET SESSION AUTHORIZATION fees_alice;
SELECT market.place_order(:alice, market.outcome_id(:m, 1), 'buy', 100, 0.60) > 0 AS placed;
SELECT market.available(:alice);   -- 100 - 60.75
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION fees_bob;
SELECT market.place_order(:bob, market.outcome_id(:m, 1), 'sell', 100, 0.60) > 0 AS placed;
SELECT market.available(:bob);     -- 100 - 40.60
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION fees_operator;
SELECT kind, quantity, bids, surplus FROM market.execute(:m);
RESET SESSION AUTHORIZATION;
SELECT * FROM parties WHERE market = 1 ORDER BY label;
-- alice paid 60.60 and got 0.15 back; bob paid 40.60; house 0.80, the
-- creator-fee account 0.40, the creator nothing yet
SELECT * FROM cash WHERE label IN ('alice', 'bob', 'creator', 'house', 'market 1 creator fees')
 ORDER BY label;
-- the fee transfer: one entry per payer, one for house, one for the
-- creator-fee account (house keeps no running balance)
SELECT * FROM fee_entries WHERE market = 1 ORDER BY kind, label;
SELECT count(DISTINCT j.transfer) AS transfers, min(j.kind) AS first_kind, max(j.kind) AS last_kind
  FROM market.journal j WHERE j.execution IS NOT NULL AND j.market = :m;
SELECT account_label, side, filled, paid, fees, average_price FROM market.order_history
 WHERE market = :m ORDER BY account_label;
-- fees are part of cost: alice's 100 YES cost 60.60, marked at 0.60 (the
-- price she bought at) they are worth 60.00: unrealized P&L -0.60, the fees
SELECT account_label, quantity, cost_basis, market_value, unrealized_pnl
  FROM market.position_holdings WHERE market = :m AND outcome_number = 1;
SELECT account_label, cost_basis, market_value, unrealized_pnl
  FROM market.positions_summary WHERE market = :m AND account_label = 'alice';
SET SESSION AUTHORIZATION fees_operator;
SELECT * FROM market.check_invariants();
RESET SESSION AUTHORIZATION;

-- 2. Escrow reserves the fee: carol, with 100, cannot buy 164.61 at 0.60
-- (100.000001 with its fee), but 164.609053 fits exactly, as does a buy
-- of amount 100, which takes the largest quantity whose escrow fits.
SET SESSION AUTHORIZATION fees_carol;
\set ON_ERROR_STOP 0
\set VERBOSITY sqlstate
SELECT market.place_order(:carol, market.outcome_id(:m, 2), 'buy', 164.61, 0.60);
\set VERBOSITY default
\set ON_ERROR_STOP 1
SELECT market.place_order(:carol, market.outcome_id(:m, 2), 'buy', NULL, 0.60, amount => 100) > 0 AS placed;
SELECT quantity, escrow FROM market.open_orders WHERE account = :carol;
SELECT market.available(:carol);
SELECT market.cancel_order(:carol, :m);
RESET SESSION AUTHORIZATION;

-- 3. The creator is paid at finalization, once, in one 'fee' transfer.
SET SESSION AUTHORIZATION fees_oracle;
SELECT market.resolve(:m, market.outcome_id(:m, 1));
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION fees_admin;
SELECT market.finalize(:m);
\set ON_ERROR_STOP 0
\set VERBOSITY sqlstate
SELECT market.finalize(:m);
SELECT market.cancel_market(:m, 'too late');
\set VERBOSITY default
\set ON_ERROR_STOP 1
RESET SESSION AUTHORIZATION;
SELECT * FROM cash WHERE label IN ('creator', 'market 1 creator fees') ORDER BY label;
SELECT * FROM fee_entries WHERE market = 1 AND NOT of_execution ORDER BY label;
SET SESSION AUTHORIZATION fees_operator;
SELECT count(*) AS settled FROM market.settle(:m);
SELECT * FROM market.check_invariants();
RESET SESSION AUTHORIZATION;

-- 4. Three outcomes, a 2% house and a 1% creator fee: alice, bob and
-- carol buy 10 of outcomes 1, 2, 3 at 0.40, 0.35 and 0.30 (a synthetic
-- match, bids 1.05).  Each rate is rounded down on its own: 0.076190 +
-- 0.038095, 0.066666 + 0.033333, 0.057142 + 0.028571.  Then the
-- market is cancelled and the creator paid what it accrued.
SET SESSION AUTHORIZATION fees_admin;
SELECT market.create_market('2: three outcomes', ARRAY['A', 'B', 'C'],
							fee_bps => 200, creator => :creator, creator_fee_bps => 100) AS m2 \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION fees_alice;
SELECT market.place_order(:alice, market.outcome_id(:m2, 1), 'buy', 10, 0.40) > 0 AS placed;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION fees_bob;
SELECT market.place_order(:bob, market.outcome_id(:m2, 2), 'buy', 10, 0.35) > 0 AS placed;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION fees_carol;
SELECT market.place_order(:carol, market.outcome_id(:m2, 3), 'buy', 10, 0.30) > 0 AS placed;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION fees_operator;
SELECT kind, quantity, bids, surplus FROM market.execute(:m2);
RESET SESSION AUTHORIZATION;
SELECT * FROM parties WHERE market = 2 ORDER BY label;
SELECT * FROM fee_entries WHERE market = 2 ORDER BY kind, label;

-- 5. A merge with fees: the three sell what they hold at 0.30 (asks sum
-- to 0.90).  A covered sell reserves the fee alone (3% x 0.5 x 10 =
-- 0.15); each pays 6.666667 or 6.666666 into the merge and gets 10 back,
-- so min(paid, q - paid) is 3.333333 or 3.333334: fees 0.066666 + 0.033333.
SET SESSION AUTHORIZATION fees_alice;
SELECT market.place_order(:alice, market.outcome_id(:m2, 1), 'sell', 10, 0.30) > 0 AS placed;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION fees_bob;
SELECT market.place_order(:bob, market.outcome_id(:m2, 2), 'sell', 10, 0.30) > 0 AS placed;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION fees_carol;
SELECT market.place_order(:carol, market.outcome_id(:m2, 3), 'sell', 10, 0.30) > 0 AS placed;
SELECT escrow FROM market.open_orders WHERE account = :carol;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION fees_operator;
SELECT kind, quantity, sets, bids, surplus FROM market.execute(:m2);
RESET SESSION AUTHORIZATION;
SELECT * FROM parties WHERE market = 2 AND kind = 'merge' ORDER BY label;
SELECT * FROM cash WHERE label IN ('creator', 'house', 'market 2 creator fees') ORDER BY label;
SET SESSION AUTHORIZATION fees_admin;
SELECT market.cancel_market(:m2, 'the creator is paid at cancellation');
RESET SESSION AUTHORIZATION;
SELECT * FROM cash WHERE label IN ('creator', 'market 2 creator fees') ORDER BY label;
SELECT * FROM fee_entries WHERE market = 2 AND NOT of_execution ORDER BY label;
SET SESSION AUTHORIZATION fees_operator;
SELECT * FROM market.check_invariants();
RESET SESSION AUTHORIZATION;

-- 6. A market with no creator fee has no creator-fee account, and its
-- fills pay the house fee alone.
SET SESSION AUTHORIZATION fees_admin;
SELECT market.create_market('3: house fee only', ARRAY['YES', 'NO'], fee_bps => 100) AS m3 \gset
RESET SESSION AUTHORIZATION;
SELECT creator_fees IS NULL AS no_creator_fees FROM market.markets WHERE id = :m3;

-- 7. Each rate is rounded down on its own: at 1 basis point each, a fill
-- of 1 contract at 0.015 pays 1 bp of min(0.015, 0.985) = 0.0000015 per
-- rate, so 0.000001 to house and 0.000001 to the creator (one rate of 2
-- bps would have charged 0.000003).
SET SESSION AUTHORIZATION fees_admin;
SELECT market.create_market('4: one basis point each', ARRAY['YES', 'NO'], tick_size => 0.001,
							fee_bps => 1, creator => :creator, creator_fee_bps => 1) AS m4 \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION fees_alice;
SELECT market.place_order(:alice, market.outcome_id(:m4, 1), 'buy', 1, 0.015) > 0 AS placed;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION fees_bob;
SELECT market.place_order(:bob, market.outcome_id(:m4, 1), 'sell', 1, 0.015) > 0 AS placed;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION fees_operator;
SELECT kind, quantity FROM market.execute(:m4);
RESET SESSION AUTHORIZATION;
SELECT * FROM parties WHERE market = 4 ORDER BY label;
SELECT * FROM fee_entries WHERE market = 4 ORDER BY kind, label;

-- 8. Refusals.  A buy by an amount too small to pay for one micro-contract
-- and its fee reserve (22023); a replace whose new fee reserve the
-- account cannot cover (MK001), which leaves the old order as it was.
SET SESSION AUTHORIZATION fees_carol;
\set ON_ERROR_STOP 0
\set VERBOSITY sqlstate
SELECT market.place_order(:carol, market.outcome_id(:m3, 1), 'buy', NULL, 1, amount => 0.000001);
\set VERBOSITY default
SELECT market.place_order(:carol, market.outcome_id(:m3, 1), 'buy', NULL, 1, amount => 0.000001);
\set ON_ERROR_STOP 1
SELECT market.available(:carol) AS available \gset
SELECT market.place_order(:carol, market.outcome_id(:m3, 1), 'buy', 10, 0.50) > 0 AS placed;
\set ON_ERROR_STOP 0
\set VERBOSITY sqlstate
-- all her cash at 0.50, leaving nothing for the 1% fee reserve (0.005 a contract)
SELECT market.replace_order(:carol, market.outcome_id(:m3, 1), 'buy', :available / 0.5, 0.50);
\set VERBOSITY default
\set ON_ERROR_STOP 1
SELECT quantity, price, escrow FROM market.open_orders WHERE account = :carol;
SELECT market.cancel_order(:carol, :m3);
SET SESSION AUTHORIZATION fees_operator;
SELECT * FROM market.check_invariants();
RESET SESSION AUTHORIZATION;

-- 9. check_invariants() sees an order whose escrow lacks its fee reserve,
-- and a finished market whose creator was not paid (corrupted with the
-- triggers off, then rolled back).
SET SESSION AUTHORIZATION fees_carol;
SELECT market.place_order(:carol, market.outcome_id(:m3, 1), 'buy', 10, 0.50) > 0 AS placed;
RESET SESSION AUTHORIZATION;
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE market.orders SET escrow = escrow - 50000 WHERE account = :carol AND status = 'open';
UPDATE market.accounts SET locked = locked - 50000 WHERE id = :carol;
UPDATE market.accounts SET balance = 1 WHERE id = (SELECT creator_fees FROM market.markets WHERE id = :m);
SET LOCAL SESSION AUTHORIZATION fees_operator;
SELECT invariant, regexp_replace(detail, 'order \d+', 'order N') AS detail
  FROM market.check_invariants() WHERE invariant IN ('order_escrow', 'creator_fees_paid');
ROLLBACK;
SET SESSION AUTHORIZATION fees_carol;
SELECT market.cancel_order(:carol, :m3);
RESET SESSION AUTHORIZATION;

DROP VIEW parties, cash, fee_entries;
