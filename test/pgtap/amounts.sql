-- Amounts and account arguments: every bad input is refused with its
-- SQLSTATE, and nothing changes.
\ir common.psql

SELECT plan(33);

SELECT market.create_account('amounts') AS acct \gset
SELECT market.deposit(:acct, 50);
CREATE TEMP TABLE before AS
SELECT (SELECT count(*) FROM market.journal) AS entries,
	   (SELECT count(*) FROM market.events) AS events,
	   market.balance(:acct) AS balance,
	   market.balance(1) AS external;

-- deposit
SELECT throws_ok(format('SELECT market.deposit(%s, NULL)', :acct),
	'22004', 'amount must not be null', 'deposit: NULL amount');
SELECT throws_ok(format('SELECT market.deposit(%s, 0)', :acct),
	'22023', 'amount must be positive', 'deposit: zero');
SELECT throws_ok(format('SELECT market.deposit(%s, -1)', :acct),
	'22023', 'amount must be positive', 'deposit: negative');
SELECT throws_ok(format('SELECT market.deposit(%s, -0.000001)', :acct),
	'22023', 'amount must be positive', 'deposit: smallest negative');
SELECT throws_ok(format('SELECT market.deposit(%s, ''NaN'')', :acct),
	'22023', 'amount must be a finite number', 'deposit: NaN');
SELECT throws_ok(format('SELECT market.deposit(%s, ''Infinity'')', :acct),
	'22023', 'amount must be a finite number', 'deposit: Infinity');
SELECT throws_ok(format('SELECT market.deposit(%s, ''-Infinity'')', :acct),
	'22023', 'amount must be a finite number', 'deposit: -Infinity');
SELECT throws_ok(format('SELECT market.deposit(%s, 1.0000001)', :acct),
	'22023', 'amount has more than 6 decimal places', 'deposit: seven decimals');
SELECT throws_ok(format('SELECT market.deposit(%s, 0.0000005)', :acct),
	'22023', 'amount has more than 6 decimal places', 'deposit: half a micro-unit is not rounded');
SELECT throws_ok(format('SELECT market.deposit(%s, 1000000000000.000001)', :acct),
	'22003', 'amount is too large', 'deposit: above one trillion');
SELECT throws_ok(format('SELECT market.deposit(%s, 1e30)', :acct),
	'22003', 'amount is too large', 'deposit: far too large');
SELECT throws_ok('SELECT market.deposit(NULL, 1)',
	'22004', 'account must not be null', 'deposit: NULL account');
SELECT throws_ok('SELECT market.deposit(987654321, 1)',
	'P0002', 'account 987654321 does not exist', 'deposit: unknown account');
SELECT throws_ok('SELECT market.deposit(1, 1)',
	'22023', 'account 1 is a system account', 'deposit: into external');
SELECT throws_ok('SELECT market.deposit(2, 1)',
	'22023', 'account 2 is a system account', 'deposit: into house');

-- withdraw
SELECT throws_ok(format('SELECT market.withdraw(%s, NULL)', :acct),
	'22004', 'amount must not be null', 'withdraw: NULL amount');
SELECT throws_ok(format('SELECT market.withdraw(%s, 0)', :acct),
	'22023', 'amount must be positive', 'withdraw: zero');
SELECT throws_ok(format('SELECT market.withdraw(%s, -5)', :acct),
	'22023', 'amount must be positive', 'withdraw: negative');
SELECT throws_ok(format('SELECT market.withdraw(%s, ''NaN'')', :acct),
	'22023', 'amount must be a finite number', 'withdraw: NaN');
SELECT throws_ok(format('SELECT market.withdraw(%s, ''Infinity'')', :acct),
	'22023', 'amount must be a finite number', 'withdraw: Infinity');
SELECT throws_ok(format('SELECT market.withdraw(%s, 0.1234567)', :acct),
	'22023', 'amount has more than 6 decimal places', 'withdraw: seven decimals');
SELECT throws_ok(format('SELECT market.withdraw(%s, 2000000000000)', :acct),
	'22003', 'amount is too large', 'withdraw: too large');
SELECT throws_ok('SELECT market.withdraw(987654321, 1)',
	'P0002', 'account 987654321 does not exist', 'withdraw: unknown account');
SELECT throws_ok(format('SELECT market.withdraw(%s, 50.000001)', :acct),
	'MK001', format('insufficient funds in account %s', :acct),
	'withdraw: one micro-unit more than available');

-- balance and available
SELECT throws_ok('SELECT market.balance(NULL)',
	'22004', 'account must not be null', 'balance: NULL account');
SELECT throws_ok('SELECT market.balance(987654321)',
	'P0002', 'account 987654321 does not exist', 'balance: unknown account');
SELECT throws_ok('SELECT market.available(987654321)',
	'P0002', 'account 987654321 does not exist', 'available: unknown account');

-- Idempotency keys must be usable.
SELECT throws_ok(format('SELECT market.deposit(%s, 1, '''')', :acct),
	'22023', 'idempotency key must be 1 to 200 bytes long', 'an empty key');
SELECT throws_ok(format('SELECT market.deposit(%s, 1, repeat(''k'', 201))', :acct),
	'22023', 'idempotency key must be 1 to 200 bytes long', 'a key that is too long');

-- Nothing changed.
SELECT is((SELECT count(*) FROM market.journal), (SELECT entries FROM before),
	'no journal entry was written by a refused call');
SELECT is((SELECT count(*) FROM market.events), (SELECT events FROM before),
	'no event was written by a refused call');
SELECT is(market.balance(:acct), (SELECT balance FROM before),
	'the balance is unchanged');
SELECT is(market.balance(1), (SELECT external FROM before),
	'the external account is unchanged');

SELECT * FROM finish();
ROLLBACK;
