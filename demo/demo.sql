-- The market demo, run by `make demo` (demo/run.sh) in a throwaway cluster.
-- After a short setup by the superuser, every step runs as the role that
-- would do it in production, each a login role connecting with its
-- password (demo/run.sh writes the .pgpass): an admin, an operator (the
-- application back end), an oracle and three traders.
--
-- Every connection LISTENs on market_events, so psql prints the public
-- feed ("Asynchronous notification ...") after each step.  Deliberate
-- mistakes run with ON_ERROR_STOP off and show the error, DETAIL and HINT;
-- anything else that fails stops the demo with a non-zero exit.
\pset footer off
\set VERBOSITY default

\echo
\echo '== 1. Setup, as the superuser: the extension and six login roles =='
CREATE EXTENSION market;
CREATE ROLE exchange_admin LOGIN PASSWORD 'demo-exchange_admin' IN ROLE market_admin;
CREATE ROLE backend LOGIN PASSWORD 'demo-backend' IN ROLE market_operator;
CREATE ROLE oracle LOGIN PASSWORD 'demo-oracle' IN ROLE market_oracle;
CREATE ROLE alice LOGIN PASSWORD 'demo-alice' IN ROLE market_trader;
CREATE ROLE bob LOGIN PASSWORD 'demo-bob' IN ROLE market_trader;
CREATE ROLE carol LOGIN PASSWORD 'demo-carol' IN ROLE market_trader;
SELECT r.rolname AS login_role, string_agg(g.rolname, ', ') AS member_of
  FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid
  JOIN pg_roles g ON g.oid = m.roleid
 WHERE g.rolname LIKE 'market\_%' GROUP BY r.rolname ORDER BY min(g.rolname), 1;

\echo
\echo '== 2. Each trader logs in and opens an account of its own =='
\echo '-- Every session LISTENs on market_events: each "Asynchronous notification" line'
\echo '-- is the public feed, which anyone may hear, so it names no account and no cash.'
\connect - alice
LISTEN market_events;
SELECT market.create_account('alice') AS alice \gset
\connect - bob
LISTEN market_events;
SELECT market.create_account('bob') AS bob \gset
\connect - carol
LISTEN market_events;
SELECT market.create_account('carol') AS carol \gset
\echo '-- carol reads the accounts table: row-level security shows her only her own.'
SELECT id, label, pg_get_userbyid(owner) AS owner FROM market.accounts;

\echo
\echo '== 3. The operator (the back end) records the cash the traders wired in =='
\connect - backend
LISTEN market_events;
SELECT market.deposit(:alice, 100) AS alice, market.deposit(:bob, 100) AS bob,
	   market.deposit(:carol, 100, 'wire-2026-0042') AS carol;
\echo '-- A retry with the same idempotency key deposits once: carol still has 100.'
SELECT market.deposit(:carol, 100, 'wire-2026-0042') AS carol;
\echo '-- It also opens the account the oracle will report from, owned by role oracle.'
SELECT market.create_account('weather desk', 'oracle') AS desk \gset

\echo
\echo '-- Mistake (42501): alice tries to deposit into her own account. Only an operator'
\echo '-- moves cash in; traders may not even call deposit.'
\connect - alice
LISTEN market_events;
\set ON_ERROR_STOP 0
SELECT market.deposit(:alice, 1000000);
\set ON_ERROR_STOP 1

\echo
\echo '== 4. The admin opens a market (number 1), reported by the weather desk, disputable for a day =='
\connect - exchange_admin
LISTEN market_events;
SELECT market.create_market('Will it rain in Paris tomorrow?', ARRAY['YES', 'NO'],
		oracle => :desk, dispute_window => '1 day') AS rain \gset
SELECT o.number, o.description, o.state, o.tick_size, o.outcomes, m.dispute_window
  FROM market.market_overview o JOIN market.markets m ON m.id = o.id;

\echo
\echo '== 5. Traders place orders, each as itself; orders reserve escrow =='
\connect - alice
LISTEN market_events;
\echo '-- alice bids 0.60 for 20 YES (escrow 20 x 0.60 = 12.000000).'
SELECT market.place_order(:alice, market.outcome_id(:rain, 1), 'buy', 20, 0.60) AS alice_order \gset
\connect - bob
LISTEN market_events;
\echo '-- bob bids 0.45 for 20 NO.'
SELECT market.place_order(:bob, market.outcome_id(:rain, 2), 'buy', 20, 0.45) AS bob_order \gset
\connect - carol
LISTEN market_events;
\echo '-- carol bids 0.50 for 30 YES.'
SELECT market.place_order(:carol, market.outcome_id(:rain, 1), 'buy', 30, 0.50) AS carol_order \gset

\echo
\set ON_ERROR_STOP 0
\echo '-- Mistake (42501): carol places an order for bob''s account.'
SELECT market.place_order(:bob, market.outcome_id(:rain, 2), 'buy', 10, 0.40);
\echo '-- Mistake (P0002): carol passes the market number 1 where the market id goes.'
SELECT market.outcome_id(1, 1);
\echo '-- Mistake (22023): a quantity with more than 6 decimals.'
SELECT market.place_order(:carol, market.outcome_id(:rain, 2), 'buy', 10.1234567, 0.40);
\set ON_ERROR_STOP 1

\echo
\echo '-- carol sees her own open order and cash (a trader reads only its own rows).'
SELECT account_label, outcome_label, side, price, quantity, escrow FROM market.open_orders;
SELECT label, balance, locked, available FROM market.account_balances;

\echo
\echo '-- The book is public (depth, no names): the depth chart draws it.'
SELECT outcome, label, side, price, quantity, depth, bar FROM market.depth_chart(:rain, 20);
\echo '-- book_prices: each outcome''s best bid and ask, and the ask the other outcomes'' bids imply.'
SELECT outcome_label, best_bid, best_ask, implied_ask, last_price
  FROM market.book_prices WHERE market = :rain ORDER BY outcome_number;
\echo '-- The listing: bids 0.60 YES + 0.45 NO sum to 1.05, so each implies an ask for the other.'
SELECT outcome_label, best_bid, best_ask, last_price, volume, implied_probability
  FROM market.market_listing WHERE market = :rain ORDER BY outcome_number;

\echo
\echo '== 6. The operator runs the auction: YES 0.60 + NO 0.45 >= 1 mints 20 complete sets =='
\echo '-- (the 0.05 surplus goes back pro-rata: alice pays 0.60/1.05, bob 0.45/1.05)'
\connect - backend
LISTEN market_events;
SELECT kind, quantity, sets, bids, surplus FROM market.execute(:rain);
SELECT account_label, outcome_label, side, quantity, price, paid FROM market.trades ORDER BY outcome_label DESC;

\echo
\echo '== 7. Two more rounds, each ending in an auction by the operator =='
\echo '-- carol raises her bid to 0.70 for 10 YES (replace_order); alice offers 10 of hers at 0.66.'
SELECT pg_sleep(0.3) \g /dev/null
\connect - carol
LISTEN market_events;
SELECT market.replace_order(:carol, market.outcome_id(:rain, 1), 'buy', 10, 0.70) AS carol_order \gset
\connect - alice
LISTEN market_events;
SELECT market.place_order(:alice, market.outcome_id(:rain, 1), 'sell', 10, 0.66) AS alice_order \gset
\connect - backend
LISTEN market_events;
SELECT kind, quantity, sets, bids, surplus FROM market.execute(:rain);
\echo '-- carol offers 5 YES at 0.80, alice buys them back at 0.82; bob bids 0.10 for 10 NO, in vain.'
SELECT pg_sleep(0.3) \g /dev/null
\connect - carol
LISTEN market_events;
SELECT market.place_order(:carol, market.outcome_id(:rain, 1), 'sell', 5, 0.80) AS carol_order \gset
\connect - alice
LISTEN market_events;
SELECT market.place_order(:alice, market.outcome_id(:rain, 1), 'buy', 5, 0.82) AS alice_order \gset
\connect - bob
LISTEN market_events;
SELECT market.place_order(:bob, market.outcome_id(:rain, 2), 'buy', 10, 0.10) AS bob_order \gset
\connect - backend
LISTEN market_events;
SELECT kind, quantity, sets, bids, surplus FROM market.execute(:rain);

\echo
\echo '== 8. Market data: candles, a price sparkline, the listing =='
SELECT outcome, open, high, low, close, volume, trades FROM market.candles(:rain, '1 day');
SELECT market.sparkline(:rain, 1, '0.3 seconds') AS yes_price_over_time;
SELECT outcome_label, best_bid, best_ask, last_price, volume, implied_probability
  FROM market.market_listing WHERE market = :rain ORDER BY outcome_number;

\echo
\echo '== 9. Positions and account summary (the operator reads every account) =='
SELECT account_label, outcome_label, quantity, cost_basis, average_price, last_price,
	   market_value, unrealized_pnl
  FROM market.position_holdings ORDER BY account_label, outcome_number;
SELECT label, balance, locked, invested, market_value, total, unrealized_pnl
  FROM market.account_summary WHERE label <> 'weather desk' ORDER BY label;

\echo
\echo '== 10. Close, report, dispute, second report =='
\echo '-- The admin closes the market: the closing auction finds nothing to match;'
\echo '-- bob''s resting bid is cancelled and its escrow released.'
\connect - exchange_admin
LISTEN market_events;
SELECT market.close_market(:rain) \g /dev/null
\echo '-- The oracle reports YES.'
\connect - oracle
LISTEN market_events;
SELECT market.resolve(:rain, market.outcome_id(:rain, 1)) \g /dev/null
\echo
\echo '-- Mistake (55000): bob claims his payout inside the dispute window.'
\connect - bob
LISTEN market_events;
\set ON_ERROR_STOP 0
SELECT * FROM market.settle(:rain, :bob);
\set ON_ERROR_STOP 1
\echo
\echo '-- The admin upholds a dispute: the report is withdrawn, the market is closed again.'
\connect - exchange_admin
LISTEN market_events;
SELECT market.dispute(:rain, 'the rain gauge was read a day early') \g /dev/null
\echo '-- The oracle reports again: NO.'
\connect - oracle
LISTEN market_events;
SELECT market.resolve(:rain, market.outcome_id(:rain, 2)) \g /dev/null
\echo '-- The admin confirms the report now rather than wait out the window.'
\connect - exchange_admin
LISTEN market_events;
SELECT market.finalize(:rain) \g /dev/null
SELECT market_number, outcome_label, payout, state FROM market.market_payouts ORDER BY outcome_number;

\echo
\echo '== 11. Settlement: bob claims his own payout, the operator pays everyone else =='
\connect - bob
LISTEN market_events;
SELECT payout FROM market.settle(:rain, :bob);
\connect - backend
LISTEN market_events;
SELECT a.label, s.payout FROM market.settle(:rain) s
  JOIN market.accounts a ON a.id = s.account ORDER BY a.label;
SELECT account_label, contracts, cost_basis, realized_pnl, payout, status, result
  FROM market.positions_summary ORDER BY account_label;
SELECT label, balance, locked, available FROM market.account_balances
 WHERE kind = 'user' AND label <> 'weather desk' ORDER BY label;

\echo
\echo '== 12. Fees: market 2 charges 1% to the house and 0.5% to its creator, the weather desk =='
\echo '-- Each fill pays, per rate, bps x min(paid, quantity - paid): at 0.60 on 10 contracts, 1% and'
\echo '-- 0.5% of 4.00. Escrow reserves the largest fee the order can pay at its limit.'
\connect - exchange_admin
LISTEN market_events;
SELECT market.create_market('Will it snow in Paris this winter?', ARRAY['YES', 'NO'],
		fee_bps => 100, creator => :desk, creator_fee_bps => 50) AS snow \gset
\connect - alice
LISTEN market_events;
\echo '-- alice bids 0.60 for 10 YES: escrow 6.00 + 1.5% x 0.50 x 10 = 6.075000.'
SELECT market.place_order(:alice, market.outcome_id(:snow, 1), 'buy', 10, 0.60) AS alice_order \gset
\connect - bob
LISTEN market_events;
\echo '-- bob, holding no YES, asks 0.60 for 10: escrow 4.00 + 1.5% x 0.40 x 10 = 4.060000.'
SELECT market.place_order(:bob, market.outcome_id(:snow, 1), 'sell', 10, 0.60) AS bob_order \gset
\connect - backend
LISTEN market_events;
SELECT account_label, side, price, escrow FROM market.open_orders WHERE market = :snow ORDER BY account_label;
SELECT kind, quantity, sets, bids, surplus FROM market.execute(:snow);
\echo '-- Each paid 0.04 to the house and 0.02 to the creator''s account for market 2.'
SELECT account_label, side, filled, paid, fees FROM market.order_history
 WHERE market = :snow ORDER BY account_label;
\echo '-- Fees are part of cost: alice''s 10 YES cost 6.06, worth 6.00 at the last price.'
SELECT account_label, quantity, cost_basis, market_value, unrealized_pnl
  FROM market.position_holdings WHERE market = :snow AND outcome_number = 1;
\echo '-- The admin cancels market 2: the creator is paid what accrued, once.'
\connect - exchange_admin
LISTEN market_events;
SELECT market.cancel_market(:snow, 'the question was badly worded') \g /dev/null
\connect - backend
LISTEN market_events;
SELECT count(*) AS refunded FROM market.settle(:snow);
SELECT label, kind, balance FROM market.account_balances
 WHERE kind IN ('house', 'creator_fees') OR label = 'weather desk' ORDER BY kind, label;

\echo
\echo '== 13. A distribution market: trade the whole distribution of a number =='
\echo '-- The operator opens a liquidity account owned by the admin and funds it with 100;'
\echo '-- the admin backs a market on March rainfall (mm) with it: mean 50, stddev 10,'
\echo '-- min_stddev 5, a 1% fee. k = 100 sqrt(5 sqrt(pi)) keeps the peak under the backing.'
\connect - backend
LISTEN market_events;
SELECT market.create_account('rain fund', 'exchange_admin') AS fund \gset
SELECT market.deposit(:fund, 100) \g /dev/null
\connect - exchange_admin
LISTEN market_events;
SELECT market.create_distribution_market('March rainfall in Paris, mm', 50, 10, 100, :fund, 5,
		oracle => :desk, fee_bps => 100) AS mm \gset
SELECT mean, stddev, lambda, k, backing, peak FROM market.distribution_overview WHERE market = :mm;
\echo '-- The market''s curve (market.distribution_chart draws it with market.bar_chart):'
SELECT x, density, bar FROM market.distribution_chart(:mm, 17, 40, 26, 74);
\echo
\echo '-- alice thinks it will be wetter: she quotes a move to mean 60, then trades it.'
\connect - alice
LISTEN market_events;
SELECT collateral, fee, total, max_payout, worst_at, best_at
  FROM market.quote_distribution(:mm, 60, 10);
SELECT market.trade_distribution(:alice, :mm, 60, 10, 40) \g /dev/null
\echo '-- bob is surer: mean 57, stddev 6.'
\connect - bob
LISTEN market_events;
SELECT collateral, fee, total FROM market.quote_distribution(:mm, 57, 6);
SELECT market.trade_distribution(:bob, :mm, 57, 6, 50) \g /dev/null
\echo
\echo '-- Mistake (22023): carol tries a stddev below the market''s min_stddev.'
\connect - carol
LISTEN market_events;
\set ON_ERROR_STOP 0
SELECT market.trade_distribution(:carol, :mm, 57, 4, 100);
\echo '-- Mistake (22003): carol allows less than the quoted collateral plus fee.'
SELECT market.trade_distribution(:carol, :mm, 45, 8, 1);
\set ON_ERROR_STOP 1
\echo
\echo '-- The curve after the two trades:'
SELECT x, density, bar FROM market.distribution_chart(:mm, 17, 40, 26, 74);
\echo '-- alice''s and bob''s positions, and what each would be paid at a few final values.'
\connect - backend
LISTEN market_events;
SELECT account_label, old_mean, old_stddev, new_mean, new_stddev, collateral, fee
  FROM market.distribution_account_positions WHERE market = :mm ORDER BY position;
SELECT p.account_label, x AS if_it_rains, market.distribution_payoff(p.position, x) AS payout
  FROM market.distribution_account_positions p, unnest(ARRAY[45, 55, 60, 70]::numeric[]) x
 WHERE p.market = :mm ORDER BY p.position, x;
\echo
\echo '-- The weather desk reports 58 mm; the admin confirms it.'
\connect - oracle
LISTEN market_events;
SELECT market.resolve_value(:mm, 58) \g /dev/null
\connect - exchange_admin
LISTEN market_events;
SELECT market.finalize(:mm) \g /dev/null
\echo '-- alice claims her own position; the operator settles the rest (bob, and the fund''s remainder).'
\connect - alice
LISTEN market_events;
SELECT payout FROM market.settle(:mm, :alice);
\connect - backend
LISTEN market_events;
SELECT a.label, s.payout FROM market.settle(:mm) s JOIN market.accounts a ON a.id = s.account ORDER BY a.label;
SELECT account_label, collateral, fee, final_value, payout, pnl, status
  FROM market.distribution_account_positions WHERE market = :mm ORDER BY position;
SELECT collateral AS collateral_left FROM market.market_overview WHERE id = :mm;
SELECT count(*) AS invariant_violations FROM market.check_invariants();
DO $$
BEGIN
	IF EXISTS (SELECT FROM market.check_invariants()) THEN
		RAISE EXCEPTION 'check_invariants() found violations';
	END IF;
END $$;
\echo
\echo '== 14. A parimutuel pool: cash committed to outcomes, the winners share the pool =='
\echo '-- The admin opens a pool on the cup final, reported by the weather desk (which also'
\echo '-- created it): 2% of the pool to the house and 1% to the creator.'
\connect - exchange_admin
LISTEN market_events;
SELECT market.create_market('Who wins the cup final?', ARRAY['Ajax', 'Benfica', 'Celtic'],
		kind => 'parimutuel', oracle => :desk, fee_bps => 200,
		creator => :desk, creator_fee_bps => 100) AS cup \gset
\echo '-- alice commits 20 to Ajax, bob 30 to Benfica, and carol 10 against Celtic'
\echo '-- (a "no" commitment wins if its outcome loses).'
\connect - alice
LISTEN market_events;
SELECT market.place_commitment(:alice, market.outcome_id(:cup, 1), 20) \g /dev/null
\connect - bob
LISTEN market_events;
SELECT market.place_commitment(:bob, market.outcome_id(:cup, 2), 30) \g /dev/null
\connect - carol
LISTEN market_events;
SELECT market.place_commitment(:carol, market.outcome_id(:cup, 3), 10, 'no') \g /dev/null
\set ON_ERROR_STOP 0
\echo '-- Mistake (22023): carol commits with a position that is neither yes nor no.'
SELECT market.place_commitment(:carol, market.outcome_id(:cup, 1), 5, 'maybe');
\set ON_ERROR_STOP 1
\echo '-- The pool per outcome: W is what wins if it wins; 1.00 on a winning side is paid'
\echo '-- (pool - fees) / W = (60 - 1.80) / W.'
SELECT outcome_label, yes, no, winning, payout_per_unit, implied_probability
  FROM market.pool_outcomes WHERE market = :cup ORDER BY outcome_number;
\echo
\echo '-- The weather desk reports Benfica; the admin confirms; the operator pays the distribution.'
\connect - oracle
LISTEN market_events;
SELECT market.resolve(:cup, market.outcome_id(:cup, 2)) \g /dev/null
\connect - exchange_admin
LISTEN market_events;
SELECT market.finalize(:cup) \g /dev/null
\connect - backend
LISTEN market_events;
SELECT count(*) AS paid FROM market.settle(:cup);
SELECT a.label, r.outcome_number, r.position, r.result, r.amount, r.share, r.payout, r.profit
  FROM market.distribution_results r JOIN market.accounts a ON a.id = r.account
 WHERE r.market = :cup AND r.status = 'completed' ORDER BY a.label;
\echo
\echo '-- The final is replayed: the admin rolls the distribution back. Every payout and fee is'
\echo '-- reversed, the pool is closed again, and the oracle reports anew: Ajax.'
\connect - exchange_admin
LISTEN market_events;
SELECT market.rollback_distribution(d.id, 'the final was replayed') FROM market.distributions d
 WHERE d.market = :cup AND d.status = 'completed' \g /dev/null
\connect - oracle
LISTEN market_events;
SELECT market.resolve(:cup, market.outcome_id(:cup, 1)) \g /dev/null
\connect - exchange_admin
LISTEN market_events;
SELECT market.finalize(:cup) \g /dev/null
\connect - backend
LISTEN market_events;
SELECT count(*) AS paid FROM market.settle(:cup);
SELECT d.status, a.label, d.committed, d.payout, d.profit, d.loss
  FROM market.distribution_accounts d JOIN market.accounts a ON a.id = d.account
 WHERE d.market = :cup ORDER BY d.distribution, a.label;
SELECT total_committed, active_accounts, distribution_status, payouts, paid, house_fee, creator_fee
  FROM market.pool_dashboard WHERE market = :cup;

\echo
\echo '== 15. Everything adds up: traders and the house hold exactly what was deposited, and no invariant is broken =='
SELECT sum(balance) FILTER (WHERE kind = 'user') AS traders_hold,
	   sum(balance) FILTER (WHERE kind = 'house') AS house_holds, -market.balance(1) AS deposited
  FROM market.account_balances;
SELECT count(*) AS invariant_violations FROM market.check_invariants();
DO $$
BEGIN
	IF EXISTS (SELECT FROM market.check_invariants()) THEN
		RAISE EXCEPTION 'check_invariants() found violations';
	END IF;
END $$;

\echo
\echo '== The end =='
