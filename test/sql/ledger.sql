-- The double-entry ledger: accounts, deposits, withdrawals, the journal
-- with balances before and after, events, and idempotency keys.
-- Ids are snowflakes, so this file refers to accounts by label.
-- A fresh extension, so this file does not depend on the others.
SET market.allow_drop = on;   -- the previous file's ledger holds entries
DROP EXTENSION market CASCADE;
RESET market.allow_drop;
CREATE EXTENSION market;

SELECT id, label, kind, balance, locked, available
  FROM market.account_balances ORDER BY id;

SELECT market.create_account('alice') AS alice \gset
SELECT market.create_account('bob') AS bob \gset

SELECT market.deposit(:alice, 100);
SELECT market.deposit(:bob, 250.123456);
SELECT market.withdraw(:alice, 30.5);
SELECT market.balance(:alice), market.available(:alice);
SELECT market.balance(:bob), market.available(:bob);

-- external is the world outside: it gave what the traders hold.
SELECT market.balance(1) AS external, market.balance(2) AS house;

-- Every transfer is a group of entries summing to zero, one per account,
-- each with the balance before and after it.
SELECT label, kind, amount, balance_before, balance_after
  FROM market.account_journal ORDER BY transfer, amount;

SELECT transfer_count, entries_per_transfer, sum_of_entries
  FROM (SELECT count(DISTINCT transfer) AS transfer_count,
			   min(n) AS entries_per_transfer
		  FROM (SELECT transfer, count(*) AS n FROM market.journal GROUP BY transfer) t) c,
	   (SELECT sum(amount) AS sum_of_entries FROM market.journal) s;

-- Every state change wrote an event.
SELECT e.name, a.label, e.payload - 'transfer' AS payload
  FROM market.events e LEFT JOIN market.accounts a ON a.id = e.account
 ORDER BY e.id;

-- An idempotency key: the same call again returns the first result and
-- changes nothing.
SELECT market.deposit(:alice, 5, 'order-17') AS first,
	   market.deposit(:alice, 5, 'order-17') AS again;
SELECT market.withdraw(:alice, 1, 'payout-3') AS first;
SELECT market.withdraw(:alice, 1, 'payout-3') AS again;
SELECT market.balance(:alice);
SELECT count(*) AS alice_entries FROM market.journal WHERE account = :alice;

-- The same key with other arguments is an error, and changes nothing.
SELECT market.deposit(:alice, 6, 'order-17');
SELECT market.withdraw(:alice, 5, 'order-17');
-- Keys belong to an account: bob may use the same key.
SELECT market.deposit(:bob, 5, 'order-17');

-- A withdrawal never takes more than available.  (Messages that name an
-- account carry its snowflake id; here only their SQLSTATE is shown.)
\set VERBOSITY sqlstate
SELECT market.withdraw(:alice, 73.500001);
\set VERBOSITY default
SELECT market.withdraw(:alice, 73.5);
SELECT market.balance(:alice), market.available(:alice);

-- System accounts take no deposits or withdrawals.
SELECT market.deposit(1, 10);
SELECT market.withdraw(2, 10);

-- Amounts are exact: trailing zeros are fine, a seventh decimal is not.
SELECT market.deposit(:bob, 0.1000000);
SELECT market.deposit(:bob, 0.0000001);

SELECT * FROM market.check_invariants();
