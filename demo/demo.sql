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
\echo '-- The invariants hold (no rows = healthy).'
SELECT * FROM market.check_invariants();
\pset footer on
