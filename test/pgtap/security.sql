-- Security (SPEC section 12): who may call what, and how the definitions
-- protect themselves.  Every refusal is SQLSTATE 42501.
\ir common.psql

SELECT plan(42);

-- How the functions are defined.
SELECT is((SELECT count(*) FROM pg_proc
			WHERE pronamespace = 'market'::regnamespace
			  AND prorettype <> 'trigger'::regtype AND NOT prosecdef),
	0::bigint, 'every callable function is SECURITY DEFINER');
SELECT is((SELECT count(*) FROM pg_proc
			WHERE pronamespace = 'market'::regnamespace
			  AND prorettype <> 'trigger'::regtype
			  AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (proconfig), false)),
	0::bigint, 'every callable function pins search_path to pg_catalog, pg_temp');
SELECT is((SELECT count(*) FROM pg_proc
			WHERE pronamespace = 'market'::regnamespace AND proacl IS NULL),
	0::bigint, 'no function keeps the default ACL (which lets PUBLIC execute)');
SELECT is((SELECT count(*) FROM pg_proc p, aclexplode(p.proacl) a
			WHERE p.pronamespace = 'market'::regnamespace AND a.grantee = 0),
	0::bigint, 'PUBLIC may execute no function');
SELECT is((SELECT count(*) FROM pg_class c, aclexplode(c.relacl) a
			WHERE c.relnamespace = 'market'::regnamespace AND a.grantee = 0),
	0::bigint, 'PUBLIC has no privilege on any table or view');
SELECT is((SELECT count(*) FROM pg_class c, aclexplode(c.relacl) a
			WHERE c.relnamespace = 'market'::regnamespace
			  AND a.grantee IN (SELECT oid FROM pg_roles WHERE rolname LIKE 'market\_%')
			  AND a.privilege_type <> 'SELECT'),
	0::bigint, 'the market roles may only SELECT from tables and views');
SELECT ok(NOT has_schema_privilege('tap_nobody', 'market', 'USAGE'),
	'a role outside the market roles cannot even see into the schema');

-- Fixtures, made as superuser.
SELECT market.create_account('alice', 'tap_alice') AS alice \gset
SELECT market.create_account('bob', 'tap_bob') AS bob \gset
SELECT market.create_account('desk') AS desk \gset
SELECT market.deposit(:alice, 100);
SELECT market.deposit(:bob, 100);

-- Tables are not writable by any market role.
SET ROLE tap_operator;
SELECT throws_ok($$INSERT INTO market.accounts (id, kind) VALUES (99, 'user')$$,
	'42501', NULL, 'operator: INSERT into accounts refused');
SELECT throws_ok('UPDATE market.accounts SET balance = balance + 1',
	'42501', NULL, 'operator: UPDATE of accounts refused');
SELECT throws_ok($$INSERT INTO market.journal (transfer, account, amount, kind) VALUES (1, 1, 1, 'deposit')$$,
	'42501', NULL, 'operator: INSERT into journal refused');
SELECT throws_ok('DELETE FROM market.events',
	'42501', NULL, 'operator: DELETE from events refused');
SELECT throws_ok('SELECT * FROM market.idempotency',
	'42501', NULL, 'operator: idempotency keys are private');
RESET ROLE;
SET ROLE tap_admin;
SELECT throws_ok('UPDATE market.accounts SET locked = 0',
	'42501', NULL, 'admin: UPDATE of accounts refused');
SELECT throws_ok('TRUNCATE market.events',
	'42501', NULL, 'admin: TRUNCATE of events refused');
RESET ROLE;
SET ROLE tap_alice;
SELECT throws_ok('UPDATE market.accounts SET balance = 1000000000',
	'42501', NULL, 'trader: UPDATE of accounts refused');
SELECT throws_ok($$INSERT INTO market.events (id, name) VALUES (1, 'x')$$,
	'42501', NULL, 'trader: INSERT into events refused');
RESET ROLE;

-- Cash crosses the boundary only through an operator.
SET ROLE tap_operator;
SELECT is(market.deposit(:alice, 1), 101.000000, 'operator: deposit to any account');
SELECT is(market.withdraw(:bob, 1), 99.000000, 'operator: withdraw from any account');
SELECT is(market.balance(:alice), 101.000000, 'operator: read any balance');
SELECT ok(market.create_account('made by operator') IS NOT NULL, 'operator: create accounts');
SELECT is((SELECT count(*) FROM market.check_invariants()), 0::bigint, 'operator: check invariants');
RESET ROLE;

SET ROLE tap_alice;
SELECT throws_ok(format('SELECT market.deposit(%s, 1)', :alice),
	'42501', NULL, 'trader: deposit refused, even to its own account');
SELECT throws_ok(format('SELECT market.withdraw(%s, 1)', :alice),
	'42501', NULL, 'trader: withdraw refused, even from its own account');
SELECT is(market.balance(:alice), 101.000000, 'trader: reads its own balance');
SELECT is(market.available(:alice), 101.000000, 'trader: reads its own available cash');
SELECT throws_ok(format('SELECT market.balance(%s)', :bob),
	'42501', format('permission denied to read the balance for account %s', :bob),
	'trader: another trader''s balance refused');
SELECT throws_ok(format('SELECT market.available(%s)', :desk),
	'42501', NULL, 'trader: an unowned account''s balance refused');
SELECT throws_ok('SELECT * FROM market.check_invariants()',
	'42501', 'permission denied for function check_invariants',
	'trader: check_invariants refused (no EXECUTE)');
SELECT is((SELECT array_agg(label) FROM market.account_balances), ARRAY['alice'],
	'trader: the balances view shows only its own accounts');
SELECT is((SELECT count(DISTINCT account) FROM market.account_journal), 1::bigint,
	'trader: the journal view shows only its own entries');
SELECT is((SELECT count(*) FROM market.events WHERE account <> :alice), 0::bigint,
	'trader: sees only its own events');
SELECT market.create_account('alice savings') AS savings \gset
SELECT is((SELECT owner::text FROM market.accounts WHERE id = :savings),
	'tap_alice', 'trader: a new account is owned by the trader');
SELECT throws_ok($$SELECT market.create_account('for bob', 'tap_bob')$$,
	'42501', 'permission denied to create an account owned by role "tap_bob"',
	'trader: cannot create an account for another role');
RESET ROLE;

-- The C checks hold even if EXECUTE is granted by mistake.
GRANT EXECUTE ON FUNCTION market.deposit(bigint, numeric, text) TO market_trader;
SET ROLE tap_alice;
SELECT throws_ok(format('SELECT market.deposit(%s, 1)', :alice),
	'42501', 'permission denied to deposit',
	'trader: deposit refused by the function itself');
RESET ROLE;
GRANT EXECUTE ON FUNCTION market.check_invariants() TO market_trader;
SET ROLE tap_alice;
SELECT throws_ok('SELECT * FROM market.check_invariants()',
	'42501', 'permission denied to check invariants',
	'trader: check_invariants refused by the function itself');
RESET ROLE;

SET ROLE tap_admin;
SELECT throws_ok(format('SELECT market.deposit(%s, 1)', :alice),
	'42501', NULL, 'admin: deposit refused');
SELECT is(market.balance(:bob), 99.000000, 'admin: reads any balance');
SELECT is((SELECT count(*) FROM market.check_invariants()), 0::bigint, 'admin: checks invariants');
RESET ROLE;

SET ROLE tap_oracle;
SELECT throws_ok(format('SELECT market.deposit(%s, 1)', :alice),
	'42501', NULL, 'oracle: deposit refused');
SELECT throws_ok(format('SELECT market.balance(%s)', :alice),
	'42501', NULL, 'oracle: balance refused');
RESET ROLE;

SET ROLE tap_nobody;
SELECT throws_ok(format('SELECT market.balance(%s)', :alice),
	'42501', NULL, 'a role with no market role: refused');
SELECT throws_ok('SELECT market.create_account()',
	'42501', NULL, 'a role with no market role: cannot create accounts');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
