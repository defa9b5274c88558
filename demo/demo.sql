-- The market demo: what `make demo` runs in a throwaway cluster.
\pset footer off
\set VERBOSITY terse
\echo
\echo '== market demo =='
CREATE EXTENSION market;

\echo
\echo '-- Two traders open accounts (ids are 64-bit snowflakes).'
SELECT market.create_account('alice') AS alice \gset
SELECT market.create_account('bob') AS bob \gset
SELECT id, label FROM market.accounts WHERE kind = 'user' ORDER BY id;

\echo
\echo '-- Cash comes in from the outside world (the external account).'
SELECT market.deposit(:alice, 500) AS alice_balance;
SELECT market.deposit(:bob, 250.75) AS bob_balance;
\echo '-- A client retrying with the same idempotency key deposits once.'
SELECT market.deposit(:bob, 100, 'wire-2026-0042') AS first_call,
	   market.deposit(:bob, 100, 'wire-2026-0042') AS retry;
\echo '-- Alice withdraws some.'
SELECT market.withdraw(:alice, 120.5) AS alice_balance;
\echo '-- Bob tries to withdraw more than he has: refused, nothing changes.'
\set ON_ERROR_STOP 0
SELECT market.withdraw(:bob, 1000);
\set ON_ERROR_STOP 1

\echo
\echo '-- Every account; external holds the negative of what came in.'
SELECT label, kind, balance, locked, available
  FROM market.account_balances ORDER BY id;

\echo
\echo '-- The journal: every transfer is entries summing to zero,'
\echo '-- each with the balance before and after it.'
SELECT transfer, label, kind, amount, balance_before, balance_after
  FROM market.account_journal ORDER BY transfer, amount;

\echo
\echo '-- The event log (each row was also sent as NOTIFY market_events).'
SELECT e.name, a.label AS account, e.payload
  FROM market.events e LEFT JOIN market.accounts a ON a.id = e.account
 ORDER BY e.id;

\echo
\echo '== A market =='
\echo '-- An admin opens a binary market (numbered 1) and a three-way one.'
SELECT market.create_market('Will it rain in Paris tomorrow?', ARRAY['YES', 'NO']) AS rain \gset
SELECT market.create_market('Who wins the final?', ARRAY['home', 'draw', 'away'],
		close_at => now() + interval '7 days') AS final \gset
SELECT number, description, state, tick_size, outcomes FROM market.market_overview ORDER BY number;

\echo
\echo '-- Orders reserve escrow: a buy reserves quantity x price,'
\echo '-- a sell of contracts not held reserves quantity x (1 - price).'
SELECT market.place_order(:alice, market.outcome_id(:rain, 1), 'buy', 100, 0.42) AS alice_order \gset
SELECT market.place_order(:bob, market.outcome_id(:rain, 1), 'sell', 60, 0.48) AS bob_order \gset
\echo '-- "Invest 50": a buy by cash amount, quantity rounded down.'
SELECT market.place_order(:bob, market.outcome_id(:final, 1), 'buy', NULL, 0.35, amount => 50) AS bob_final \gset
SELECT account_label, market_number, outcome_label, side, price, quantity, escrow
  FROM market.open_orders ORDER BY market_number, account_label;
SELECT label, balance, locked, available FROM market.account_balances WHERE kind = 'user' ORDER BY label;

\echo
\echo '-- The order book (public depth, no names).'
SELECT market_number, outcome_label, side, price, quantity, orders
  FROM market.order_book ORDER BY market_number, outcome_number, side DESC, price DESC;

\echo
\echo '-- Alice raises her bid with replace_order; bob cancels his sell.'
SELECT market.replace_order(:alice, market.outcome_id(:rain, 1), 'buy', 100, 0.45) > 0 AS replaced;
SELECT market.cancel_order(:bob, :rain) AS escrow_released;
\echo '-- Pausing stops trading; closing cancels every open order.'
SELECT market.pause_market(:rain);
\set ON_ERROR_STOP 0
SELECT market.place_order(:bob, market.outcome_id(:rain, 2), 'buy', 10, 0.5);
\set ON_ERROR_STOP 1
SELECT market.close_market(:rain);
SELECT number, state, open_orders FROM market.market_overview ORDER BY number;
SELECT label, balance, locked, available FROM market.account_balances WHERE kind = 'user' ORDER BY label;

\echo
\echo '== Matching =='
\echo '-- Three traders each bid on one outcome of the final; nobody sells.'
\echo '-- 0.40 + 0.35 + 0.30 = 1.05 >= 1: together they buy complete sets.'
SELECT market.create_account('carol') AS carol \gset
SELECT market.deposit(:carol, 100) AS carol_balance;
SELECT market.replace_order(:bob, market.outcome_id(:final, 2), 'buy', 10, 0.35) > 0 AS bob_replaced;
SELECT market.place_order(:alice, market.outcome_id(:final, 1), 'buy', 10, 0.40) > 0 AS alice_placed;
SELECT market.place_order(:carol, market.outcome_id(:final, 3), 'buy', 10, 0.30) > 0 AS carol_placed;
SELECT market_number, outcome_label, side, price, quantity FROM market.order_book
 WHERE market_number = 2 ORDER BY outcome_number;
\echo '-- execute() runs the call auction: a synthetic (triangle) match mints'
\echo '-- 10 complete sets; the 0.05 surplus goes back pro-rata to the bids.'
SELECT kind, quantity, sets, bids, surplus FROM market.execute(:final);
SELECT a.label, o.label AS outcome, f.side, f.quantity * 0.000001 AS quantity,
	   f.price * 0.000001 AS effective_price, f.paid * 0.000001 AS paid
  FROM market.fills f JOIN market.accounts a ON a.id = f.account
  JOIN market.outcomes o ON o.id = f.outcome ORDER BY o.number;
\echo '-- A covered sell: alice sells the 10 "home" she now holds to dave.'
SELECT market.create_account('dave') AS dave \gset
SELECT market.deposit(:dave, 100) AS dave_balance;
SELECT market.place_order(:alice, market.outcome_id(:final, 1), 'sell', 10, 0.45) > 0 AS alice_sells;
SELECT market.place_order(:dave, market.outcome_id(:final, 1), 'buy', 10, 0.50) > 0 AS dave_buys;
SELECT kind, quantity, bids, surplus FROM market.execute(:final);
SELECT a.label, f.side, f.quantity * 0.000001 AS quantity, f.price * 0.000001 AS effective_price
  FROM market.fills f JOIN market.accounts a ON a.id = f.account
  JOIN market.executions x ON x.id = f.execution AND x.kind = 'direct' ORDER BY f.side;
\echo '-- Holdings, and the collateral behind them (1.00 per complete set).'
SELECT a.label, o.label AS outcome, h.quantity * 0.000001 AS contracts
  FROM market.holdings h JOIN market.accounts a ON a.id = h.account
  JOIN market.outcomes o ON o.id = h.outcome WHERE h.quantity > 0 ORDER BY o.number, a.label;
SELECT number, collateral FROM market.market_overview WHERE number = 2;
\echo '-- Every match is one journal transfer.'
SELECT j.kind, j.label, j.amount, j.balance_before, j.balance_after
  FROM market.account_journal j WHERE j.kind IN ('mint', 'trade', 'redeem') ORDER BY j.transfer, j.amount;
SELECT label, balance, locked, available FROM market.account_balances WHERE kind = 'user' ORDER BY label;

\echo
\echo '-- Positions: cost basis, value at the last trade price, P&L.'
SELECT a.label, p.outcome_label, p.quantity, p.cost_basis, p.average_price, p.last_price,
	   p.market_value, p.unrealized_pnl
  FROM market.position_holdings p JOIN market.accounts a ON a.id = p.account ORDER BY p.outcome_number;
SELECT a.label, p.contracts, p.cost_basis, p.realized_pnl, p.status
  FROM market.positions_summary p JOIN market.accounts a ON a.id = p.account ORDER BY a.label;
SELECT label, balance, invested, market_value, total FROM market.account_summary ORDER BY label;

\echo
\echo '== Resolution and settlement =='
\echo '-- Trading stops; the admin resolves the final: home won.'
SELECT market.close_market(:final);
SELECT market.resolve(:final, market.outcome_id(:final, 1));
SELECT o.number, o.state, m.payouts, o.collateral FROM market.market_overview o
  JOIN market.markets m ON m.id = o.id WHERE o.number = 2;
\echo '-- With no dispute window the report is final at the first settle.'
\echo '-- Every holder is paid from the collateral: 1.00 per winning contract.'
SELECT a.label, s.payout FROM market.settle(:final) s
  JOIN market.accounts a ON a.id = s.account ORDER BY a.label;
\echo '-- Settling again pays nothing.'
SELECT * FROM market.settle(:final);
SELECT a.label, p.realized_pnl, p.status, p.payout, p.result
  FROM market.positions_summary p JOIN market.accounts a ON a.id = p.account ORDER BY a.label;
SELECT j.kind, j.label, j.amount, j.balance_before, j.balance_after
  FROM market.account_journal j WHERE j.kind = 'payout' ORDER BY j.transfer, j.amount;
SELECT number, state, collateral FROM market.market_overview ORDER BY number;
\echo '-- Everything adds up: the traders hold what came in from outside.'
SELECT sum(balance) AS traders, -market.balance(1) AS deposits_less_withdrawals
  FROM market.account_balances WHERE kind = 'user';
SELECT label, balance, locked, available FROM market.account_balances WHERE kind = 'user' ORDER BY label;

\echo
\echo '-- The invariants hold (no rows = healthy).'
SELECT * FROM market.check_invariants();
\pset footer on
