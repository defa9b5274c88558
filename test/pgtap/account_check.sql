-- The commit-time account check (account_check, src/invariants.c): a
-- superuser's direct writes to market.accounts are caught however many
-- rows a statement changes, after an earlier check passed, and after a
-- subtransaction rolled back; the journal's key holds one entry per
-- account and transfer.
\ir common.psql

SELECT plan(10);

SELECT count(market.deposit(market.create_account('b-' || i), 100)) FROM generate_series(1, 5) i;
CREATE TEMP TABLE b AS
SELECT id, row_number() OVER (ORDER BY id) AS n FROM market.accounts WHERE label LIKE 'b-%';
SELECT id AS b1 FROM b WHERE n = 1 \gset
SELECT id AS b3 FROM b WHERE n = 3 \gset
SELECT id AS b5 FROM b WHERE n = 5 \gset
SELECT market.create_market('batch', ARRAY['YES', 'NO']) AS m \gset
SELECT market.outcome_id(:m, 1) AS yes \gset

-- A statement changing five accounts, one of them wrong: the check names it.
UPDATE market.accounts SET balance = balance + CASE WHEN id = :b3 THEN 1 ELSE 0 END
 WHERE id IN (SELECT id FROM b);
SELECT throws_ok('SET CONSTRAINTS market.account_check IMMEDIATE',
	'MK004', format('balance of account %s does not match its journal', :b3),
	'one wrong balance among five accounts of one statement is refused');
UPDATE market.accounts SET balance = balance - 1 WHERE id = :b3;
SELECT lives_ok('SET CONSTRAINTS market.account_check IMMEDIATE',
	'five right accounts pass');
SET CONSTRAINTS market.account_check DEFERRED;

-- Orders and an auction: many accounts checked at once, then one of them
-- written again after that check passed.
SELECT count(market.place_order(id, :yes, CASE WHEN n % 2 = 0 THEN 'buy' ELSE 'sell' END, n, 0.50))
  FROM b;
SELECT ok((SELECT count(*) FROM market.execute(:m)) > 0, 'the auction matched');
SELECT lives_ok('SET CONSTRAINTS market.account_check IMMEDIATE',
	'the auction''s accounts pass the check');
SET CONSTRAINTS market.account_check DEFERRED;
UPDATE market.accounts SET locked = locked + 1 WHERE id = :b5;
SELECT throws_ok('SET CONSTRAINTS market.account_check IMMEDIATE',
	'MK004', format('locked cash of account %s does not match the escrow of its open orders', :b5),
	'an account changed after a check passed is checked again');
UPDATE market.accounts SET locked = locked - 1 WHERE id = :b5;
SET CONSTRAINTS market.account_check DEFERRED;

-- Several writes to one account in one transaction: its last version counts.
UPDATE market.accounts SET balance = balance + 2 WHERE id = :b1;
UPDATE market.accounts SET balance = balance - 1 WHERE id = :b1;
SELECT throws_ok('SET CONSTRAINTS market.account_check IMMEDIATE',
	'MK004', format('balance of account %s does not match its journal', :b1),
	'the last of several writes to an account is checked');
UPDATE market.accounts SET balance = balance - 1 WHERE id = :b1;
SELECT lives_ok('SET CONSTRAINTS market.account_check IMMEDIATE',
	'an account written back to its journal''s balance passes');
SET CONSTRAINTS market.account_check DEFERRED;

-- A subtransaction that rolls back: what it did not undo is still checked.
UPDATE market.accounts SET balance = balance + 1 WHERE id = :b1;
SAVEPOINT s;
UPDATE market.accounts SET locked = locked WHERE id IN (SELECT id FROM b);
ROLLBACK TO SAVEPOINT s;
SELECT throws_ok('SET CONSTRAINTS market.account_check IMMEDIATE',
	'MK004', format('balance of account %s does not match its journal', :b1),
	'a wrong account written before a rolled-back subtransaction is refused');
UPDATE market.accounts SET balance = balance - 1 WHERE id = :b1;
SET CONSTRAINTS market.account_check DEFERRED;

-- The journal's key: one entry per account and transfer.
SELECT throws_ok(format($$INSERT INTO market.journal (transfer, account, amount, balance_after, kind)
						  SELECT transfer, account, amount, balance_after, kind FROM market.journal
						   WHERE account = %s LIMIT 1$$, :b1),
	'23505', NULL, 'a second entry of an account in one transfer is refused');
SELECT is((SELECT count(*) FROM market.check_invariants()), 0::bigint,
	'the ledger is whole');

SELECT * FROM finish();
ROLLBACK;
