-- The extension's internals (issue: roles that work): the trigger
-- functions live in market_internal, out of the API's way; they pin their
-- search_path, so a caller's schema cannot slip an operator into the
-- checks that run at commit; called directly they refuse with the
-- trigger-protocol SQLSTATE; and an account is a trader's only when it
-- owns it, never through one of the extension's own roles.
\ir common.psql

SELECT plan(26);

-- Where the internals live.
SELECT is((SELECT count(*) FROM pg_proc
			WHERE pronamespace = 'market'::regnamespace
			  AND prorettype = 'trigger'::regtype),
	0::bigint, '\df market.* lists no trigger function: only the API');
SELECT set_eq($$SELECT proname::text FROM pg_proc
				WHERE pronamespace = 'market_internal'::regnamespace$$,
	ARRAY['journal_append_only', 'journal_check', 'account_check', 'holding_check',
		  'require_market'],
	'the four trigger functions and the shared market check live in market_internal');
SELECT is((SELECT count(*) FROM pg_proc
			WHERE pronamespace = 'market_internal'::regnamespace
			  AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (proconfig), false)),
	0::bigint, 'every internal function pins search_path to pg_catalog, pg_temp');
SELECT is((SELECT count(*) FROM pg_proc p, aclexplode(p.proacl) a
			WHERE p.pronamespace = 'market_internal'::regnamespace AND a.grantee = 0),
	0::bigint, 'PUBLIC may execute no internal function');
SELECT is((SELECT count(*) FROM pg_proc
			WHERE pronamespace = 'market_internal'::regnamespace AND proacl IS NULL),
	0::bigint, 'no internal function keeps the default ACL');
SELECT ok(NOT has_schema_privilege(r, 'market_internal', 'USAGE'),
	format('%s has no USAGE on market_internal', r))
  FROM unnest(ARRAY['market_admin', 'market_operator', 'market_trader', 'market_oracle']) r;
SELECT is((SELECT prosecdef FROM pg_proc
			WHERE oid = 'market_internal.journal_check()'::regprocedure),
	true, 'journal_check reads the journal as its owner, whoever inserts');

-- The views that run with their owner's rights are security barriers: a
-- caller's function in a WHERE clause sees only what the view returns.
SELECT is((SELECT count(*) FROM pg_class c
			WHERE c.relkind = 'v' AND c.relnamespace IN ('market'::regnamespace, 'market_internal'::regnamespace)
			  AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)
			  AND NOT coalesce('security_barrier=true' = ANY (c.reloptions), false)),
	0::bigint, 'every view is security_invoker or a security barrier');

-- Called directly, even by a superuser, the triggers refuse cleanly.
SELECT throws_ok('SELECT market_internal.account_check()', '39P01',
	'function account_check was not called by the trigger manager',
	'account_check called directly: 39P01, not an internal error');
SELECT throws_ok('SELECT market_internal.holding_check()', '39P01', NULL,
	'holding_check called directly: 39P01');
SELECT throws_ok('SELECT market_internal.journal_append_only()', '39P01', NULL,
	'journal_append_only called directly: 39P01');
SELECT throws_ok('SELECT market_internal.journal_check()', '0A000', NULL,
	'journal_check called directly: PL/pgSQL refuses (0A000)');

-- A caller's search_path cannot reach into the commit-time checks.  The
-- schema below shadows = on bigint; were the checks to run under the
-- caller's path, they would call it and fail.
CREATE SCHEMA tap_evil;
CREATE FUNCTION tap_evil.eq(bigint, bigint) RETURNS boolean
	LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'the caller''s operator ran'; END$$;
CREATE OPERATOR tap_evil.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = tap_evil.eq);
SELECT market.create_account('alice', 'tap_alice') AS alice \gset
SELECT market.create_market('pinned', ARRAY['YES', 'NO']) AS m \gset
SELECT market.deposit(:alice, 50) \g /dev/null
SELECT market.place_order(:alice, market.outcome_id(:m, 1), 'buy', 10, 0.5) \g /dev/null
SET search_path = tap_evil, pg_catalog, public;
SELECT lives_ok('SET CONSTRAINTS market.account_check, market.holding_check IMMEDIATE',
	'the commit-time checks ignore an operator the caller''s search_path puts first');
SET CONSTRAINTS ALL DEFERRED;
SELECT throws_ok('SELECT 1::bigint = 1::bigint', 'P0001', 'the caller''s operator ran',
	'(the shadowing operator is real: the session itself runs it)');
RESET search_path;

-- Accounts a trader may create and act for.
CREATE ROLE tap_desk;
GRANT tap_desk TO tap_alice;
SET ROLE tap_alice;
SELECT throws_ok($$SELECT market.create_account('shared', 'market_trader')$$, '42501',
	'permission denied to create an account owned by role "market_trader"',
	'trader: no account owned by market_trader, which every trader has');
SELECT throws_ok($$SELECT market.create_account('ops', 'market_operator')$$, '42501', NULL,
	'trader: no account owned by another extension role');
SELECT throws_ok($$SELECT market.create_account('bob''s', 'tap_bob')$$, '42501', NULL,
	'trader: no account owned by another trader');
SELECT lives_ok($$SELECT market.create_account('desk', 'tap_desk')$$,
	'trader: an account owned by a role it is a member of');
SELECT throws_ok($$SELECT market.create_account('ghost', 999999::oid::regrole)$$, '42704',
	'role with OID 999999 does not exist',
	'an owner that names no role: 42704 from the check, not while building another error');
RESET ROLE;

-- An account owned by an extension role (an operator may make one) is no
-- trader's to act for.
SET ROLE tap_operator;
SELECT market.create_account('pooled', 'market_trader') AS pooled \gset
SELECT market.deposit(:pooled, 10) \g /dev/null
RESET ROLE;
SET ROLE tap_bob;
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, 0.5)$$,
						:pooled, market.outcome_id(:m, 1)), '42501', NULL,
	'trader: cannot act for an account owned by market_trader');
SELECT throws_ok(format('SELECT market.balance(%s)', :pooled), '42501', NULL,
	'trader: cannot read an account owned by market_trader');
SELECT is((SELECT count(*) FROM market.accounts WHERE id = :pooled), 0::bigint,
	'trader: row-level security hides an account owned by market_trader too');
RESET ROLE;

-- A trader's cheap function in a WHERE clause on an owner-rights view sees
-- only the rows the view returns: the markets' collateral, never the
-- balances of the accounts it joins.  (The planner settings invite it to
-- run the function on the accounts scan, which it would without a barrier.)
CREATE FUNCTION pg_temp.peek(numeric) RETURNS boolean
	LANGUAGE plpgsql IMMUTABLE COST 0.0000001 AS $$
BEGIN
	PERFORM pg_catalog.set_config('tap.seen',
		pg_catalog.current_setting('tap.seen', true) || ',' || $1::text, false);
	RETURN true;
END
$$;
GRANT EXECUTE ON FUNCTION pg_temp.peek(numeric) TO PUBLIC;
SET ROLE tap_alice;
SET LOCAL enable_nestloop = off;
SET LOCAL enable_mergejoin = off;
SET LOCAL enable_indexscan = off;
SET LOCAL enable_bitmapscan = off;
SELECT pg_catalog.set_config('tap.seen', '', false) \g /dev/null
SELECT count(*) FROM market.market_overview WHERE pg_temp.peek(collateral) \g /dev/null
RESET ROLE;
RESET enable_nestloop; RESET enable_mergejoin; RESET enable_indexscan; RESET enable_bitmapscan;
SELECT is((SELECT count(*) FROM unnest(string_to_array(trim(leading ',' from current_setting('tap.seen')), ',')) v
			WHERE v::numeric NOT IN (SELECT collateral FROM market.market_overview)),
	0::bigint, 'a trader''s function on market_overview sees the collateral it shows, no account''s balance');

SELECT * FROM finish();
ROLLBACK;
