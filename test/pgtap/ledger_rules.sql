-- The ledger's rules (SPEC sections 4 and 13), each as an assertion that
-- fails if the rule breaks.
\ir common.psql

SELECT plan(30);

SELECT market.create_account('r1') AS r1 \gset
SELECT market.create_account('r2') AS r2 \gset

-- Deposits and withdrawals move cash between external and the account.
SELECT is(market.deposit(:r1, 10.5), 10.500000, 'deposit returns the new balance');
SELECT is(market.deposit(:r1, 0.000001), 10.500001, 'a deposit of one micro-unit is exact');
SELECT is(market.withdraw(:r1, 0.500001), 10.000000, 'withdraw returns the new balance');
SELECT is(market.available(:r1), 10.000000, 'available is balance minus locked');
SELECT is(market.balance(1), -10.000000, 'external holds the negative of what came in');
SELECT is(market.withdraw(:r1, 10), 0.000000, 'a withdrawal may take everything available');

-- Double entry.
SELECT is((SELECT count(*) FROM (SELECT transfer FROM market.journal
								  GROUP BY transfer HAVING sum(amount) <> 0) t),
	0::bigint, 'every transfer sums to zero');
SELECT is((SELECT count(*) FROM (SELECT transfer FROM market.journal
								  GROUP BY transfer HAVING count(*) <> 2) t),
	0::bigint, 'a deposit or withdrawal is two entries');
SELECT is((SELECT sum(balance) FROM market.account_balances), 0.000000,
	'all balances together sum to zero');
SELECT is((SELECT count(*) FROM market.journal WHERE account = 1 AND balance_after IS NOT NULL),
	0::bigint, 'external keeps no running balance in its entries');
SELECT results_eq(
	format($$SELECT balance_before + amount = balance_after
			   FROM market.account_journal WHERE account = %s$$, :r1),
	$$VALUES (true), (true), (true), (true)$$,
	'each entry: balance before + amount = balance after');
SELECT is((SELECT array_agg(kind ORDER BY transfer) FROM market.journal WHERE account = :r1),
	ARRAY['deposit', 'deposit', 'withdrawal', 'withdrawal'],
	'entries carry their kind');

-- Events.
SELECT is((SELECT array_agg(name ORDER BY id) FROM market.events WHERE account = :r1),
	ARRAY['account_created', 'deposit', 'deposit', 'withdrawal', 'withdrawal'],
	'every state change wrote an event');
SELECT is((SELECT payload->>'amount' FROM market.events
			WHERE account = :r1 AND name = 'deposit' ORDER BY id LIMIT 1),
	'10.500000', 'the event payload carries the amount');

-- Idempotency.
SELECT is(market.deposit(:r2, 7, 'dep-1'), 7.000000, 'first call with a key');
SELECT is(market.deposit(:r2, 7, 'dep-1'), 7.000000, 'the repeat returns the first result');
SELECT is(market.deposit(:r2, 7.000000, 'dep-1'), 7.000000, 'equal amounts are the same request');
SELECT is(market.balance(:r2), 7.000000, 'the repeat changed nothing');
SELECT is((SELECT count(*) FROM market.events WHERE account = :r2 AND name = 'deposit'),
	1::bigint, 'the repeat wrote no event');
SELECT throws_ok(format('SELECT market.deposit(%s, 8, ''dep-1'')', :r2),
	'MK002', 'idempotency key "dep-1" was already used for a different request',
	'the same key with another amount is refused');
SELECT throws_ok(format('SELECT market.withdraw(%s, 7, ''dep-1'')', :r2),
	'MK002', 'idempotency key "dep-1" was already used for a different request',
	'the same key for another function is refused');
SELECT is(market.withdraw(:r2, 2, 'wd-1'), 5.000000, 'a withdrawal with a key');
SELECT is(market.deposit(:r2, 100, 'wd-1-replay-check'), 105.000000, 'another deposit');
SELECT is(market.withdraw(:r2, 2, 'wd-1'), 5.000000,
	'a repeated withdrawal returns its first result, not the current balance');

-- The journal is append-only.
SELECT throws_ok('UPDATE market.journal SET amount = amount',
	'MK003', 'the journal is append-only', 'UPDATE of the journal is refused');
SELECT throws_ok('DELETE FROM market.journal',
	'MK003', 'the journal is append-only', 'DELETE from the journal is refused');
SELECT throws_ok('TRUNCATE market.journal',
	'MK003', 'the journal is append-only', 'TRUNCATE of the journal is refused');

-- Invariant triggers.
SELECT throws_ok(format($$INSERT INTO market.journal (transfer, account, amount, balance_after, kind)
						  VALUES (1, %s, 5, 105000005, 'deposit')$$, :r2),
	'MK004', 'transfer 1 does not balance', 'an unbalanced transfer is refused');
UPDATE market.accounts SET balance = balance + 1 WHERE id = :r2;
SELECT throws_ok('SET CONSTRAINTS market.account_check IMMEDIATE',
	'MK004', format('balance of account %s does not match its journal', :r2),
	'a balance that differs from the journal is refused at commit');
SELECT throws_ok(format('UPDATE market.accounts SET locked = balance + 1 WHERE id = %s', :r2),
	'23514', NULL, 'locked above the balance is refused');

SELECT * FROM finish();
ROLLBACK;
