-- Bulk cancel (SPEC sections 5, 6, 16): cancel_orders(account),
-- cancel_orders(account, market) and cancel_orders(market => m); who may
-- call which, every refusal's SQLSTATE, escrow released exactly, events
-- as cancel_order writes them, and a second call that cancels nothing.
\ir common.psql

SELECT plan(44);

SELECT market.create_account('bc-alice', 'tap_alice') AS alice \gset
SELECT market.create_account('bc-bob', 'tap_bob') AS bob \gset
SELECT market.deposit(:alice, 100), market.deposit(:bob, 100);
SELECT market.create_market('bulk one', ARRAY['YES', 'NO']) AS m1 \gset
SELECT market.create_market('bulk two', ARRAY['YES', 'NO']) AS m2 \gset
SELECT market.create_market('bulk three', ARRAY['YES', 'NO']) AS m3 \gset
SELECT market.create_market('bulk resolved', ARRAY['YES', 'NO']) AS mr \gset
SELECT market.resolve(:mr, market.outcome_id(:mr, 1));

-- alice: a buy in m1 (escrow 4), a sell in m2 (escrow 3), a buy in m3 (2);
-- bob: a buy in m1 and in m3 (escrow 1 each)
SELECT market.place_order(:alice, market.outcome_id(:m1, 1), 'buy', 10, 0.40);
SELECT market.place_order(:alice, market.outcome_id(:m2, 1), 'sell', 10, 0.70);
SELECT market.place_order(:alice, market.outcome_id(:m3, 2), 'buy', 10, 0.20);
SELECT market.place_order(:bob, market.outcome_id(:m1, 2), 'buy', 10, 0.10);
SELECT market.place_order(:bob, market.outcome_id(:m3, 1), 'buy', 10, 0.10);
SELECT market.pause_market(:m2);

---------------------------------------------------------------- refusals
SELECT throws_ok($$SELECT market.cancel_orders()$$,
	'22004', 'account and market must not both be null', 'cancel_orders: both arguments null');
SELECT throws_ok($$SELECT market.cancel_orders(NULL, NULL)$$,
	'22004', 'account and market must not both be null', 'cancel_orders: both arguments null, explicitly');
SELECT throws_ok($$SELECT market.cancel_orders(987654321)$$,
	'P0002', 'account 987654321 does not exist', 'cancel_orders: unknown account');
SELECT throws_ok($$SELECT market.cancel_orders(2)$$,
	'22023', 'account 2 is a system account', 'cancel_orders: a system account');
SELECT throws_ok(format($$SELECT market.cancel_orders(%s, 987654321)$$, :alice),
	'P0002', 'market 987654321 does not exist', 'cancel_orders: account in an unknown market');
SELECT throws_ok($$SELECT market.cancel_orders(market => 987654321)$$,
	'P0002', 'market 987654321 does not exist', 'cancel_orders: unknown market''s book');

SET ROLE tap_bob;
SELECT throws_ok(format($$SELECT market.cancel_orders(%s)$$, :alice),
	'42501', 'permission denied to cancel orders for account ' || :alice,
	'a trader cannot cancel another account''s orders');
SELECT throws_ok(format($$SELECT market.cancel_orders(%s, %s)$$, :alice, :m1),
	'42501', 'permission denied to cancel orders for account ' || :alice,
	'a trader cannot cancel another account''s order in a market');
SELECT throws_ok(format($$SELECT market.cancel_orders(market => %s)$$, :m1),
	'42501', 'permission denied to cancel a market''s book',
	'a trader cannot cancel a market''s book');
SELECT throws_ok($$SELECT market.cancel_orders()$$,
	'22004', 'account and market must not both be null', 'a trader, both arguments null');
RESET ROLE;
SET ROLE tap_admin;
SELECT throws_ok(format($$SELECT market.cancel_orders(%s)$$, :alice),
	'42501', 'permission denied to cancel orders',
	'an admin does not act for accounts');
RESET ROLE;
SET ROLE tap_oracle;
SELECT throws_ok(format($$SELECT market.cancel_orders(market => %s)$$, :m1),
	'42501', NULL, 'an oracle has no EXECUTE on cancel_orders');
RESET ROLE;
SET ROLE tap_nobody;
SELECT throws_ok(format($$SELECT market.cancel_orders(%s)$$, :alice),
	'42501', NULL, 'a role with no market role has no EXECUTE on cancel_orders');
RESET ROLE;

SELECT is((SELECT count(*) FROM market.orders WHERE status = 'open'), 5::bigint,
	'the refusals cancelled nothing');

---------------------------------------------------------------- one account, one market
SET ROLE tap_alice;
SELECT is(market.cancel_orders(:alice, :m1), 1, 'cancel_orders(account, market) cancels the order there');
SELECT is(market.cancel_orders(:alice, :m1), 0, 'a second call cancels nothing and does not fail');
SELECT is(market.available(:alice), 95.000000, 'its escrow of 4 is released, the others'' 5 kept');
SELECT is(market.cancel_orders(:alice, :mr), 0, 'a market that left trading has nothing to cancel');
RESET ROLE;

---------------------------------------------------------------- one account, every market
SET ROLE tap_alice;
SELECT market.place_order(:alice, market.outcome_id(:m1, 1), 'buy', 10, 0.30);
SELECT is(market.available(:alice), 92.000000, 'alice re-bids in m1 (escrow 3)');
SELECT is(market.cancel_orders(:alice), 3,
	'cancel_orders(account) cancels in every market, paused ones included');
SELECT is(market.available(:alice), 100.000000, 'every escrow is released');
SELECT is((SELECT locked FROM market.accounts WHERE id = :alice), 0::bigint, 'locked is 0');
SELECT is(market.cancel_orders(:alice), 0, 'a second cancel_orders(account) cancels nothing');
SELECT is(market.cancel_orders(account => :alice), 0, 'named argument form');
RESET ROLE;

SELECT is((SELECT count(*) FROM market.orders WHERE account = :alice AND status = 'open'), 0::bigint,
	'alice has no open order left');
SELECT is((SELECT count(*) FROM market.orders WHERE account = :bob AND status = 'open'), 2::bigint,
	'bob''s orders are untouched');
SELECT is((SELECT locked FROM market.accounts WHERE id = :bob), 2000000::bigint,
	'bob''s escrow is untouched');
SELECT results_eq(
	format($$SELECT e.market, e.payload->>'reason', (e.payload->>'released')::numeric
			   FROM market.events e JOIN market.orders o ON o.id = (e.payload->>'order')::bigint
			  WHERE e.name = 'order_cancelled' AND e.account = %s
			  ORDER BY e.id$$, :alice),
	format($$VALUES (%s::bigint, 'cancelled', 4.000000),
					(%s, 'cancelled', 3.000000), (%s, 'cancelled', 3.000000), (%s, 'cancelled', 2.000000)$$,
		   :m1, :m1, :m2, :m3),
	'one order_cancelled event per order, in its market, with its escrow released');
SELECT is((SELECT count(DISTINCT cancel_reason) FROM market.orders WHERE account = :alice),
	1::bigint, 'every order of alice is cancelled with reason cancelled');

---------------------------------------------------------------- an operator, for an account
SET ROLE tap_alice;
SELECT market.place_order(:alice, market.outcome_id(:m3, 2), 'buy', 10, 0.20);
RESET ROLE;
SET ROLE tap_operator;
SELECT is(market.cancel_orders(:alice), 1, 'an operator cancels any account''s orders');
RESET ROLE;

---------------------------------------------------------------- a market's book
SET ROLE tap_alice;
SELECT market.place_order(:alice, market.outcome_id(:m3, 2), 'buy', 10, 0.20);
RESET ROLE;
SET ROLE tap_operator;
SELECT is(market.cancel_orders(market => :m3), 2, 'cancel_orders(market => m) cancels the whole book');
SELECT is(market.cancel_orders(market => :m3), 0, 'a second call cancels nothing');
RESET ROLE;
SET ROLE tap_admin;
SELECT is(market.cancel_orders(market => :m1), 1, 'an admin cancels a book too');
SELECT is(market.cancel_orders(market => :mr), 0, 'a resolved market''s book is empty: 0');
RESET ROLE;
SELECT is((SELECT count(*) FROM market.orders WHERE status = 'open'), 0::bigint, 'no open order left');
SELECT is((SELECT sum(locked) FROM market.accounts WHERE id IN (:alice, :bob)), 0::numeric,
	'all escrow released');
SELECT is((SELECT count(*) FROM market.orders WHERE cancel_reason = 'book cancelled'), 3::bigint,
	'a book''s orders are cancelled with reason book cancelled');
SELECT is_empty($$SELECT * FROM market.check_invariants()$$, 'the invariants hold');

-- A market whose close_at has passed is closed first, with its closing
-- auction, by whichever cancel_orders touches it.  (The transaction's
-- clock does not move: the fixture moves close_at into the past.)
SELECT market.create_market('bc-closing', ARRAY['YES', 'NO'], close_at => now() + interval '1 hour') AS cm \gset
SELECT market.create_market('bc-closing-2', ARRAY['YES', 'NO'], close_at => now() + interval '1 hour') AS cm2 \gset
SELECT market.place_order(:alice, market.outcome_id(:cm, 1), 'buy', 4, 0.60) \g /dev/null
SELECT market.place_order(:bob, market.outcome_id(:cm, 1), 'sell', 3, 0.50) \g /dev/null
SELECT market.place_order(:alice, market.outcome_id(:cm2, 1), 'buy', 2, 0.55) \g /dev/null
SELECT market.place_order(:bob, market.outcome_id(:cm2, 1), 'sell', 2, 0.55) \g /dev/null
UPDATE market.markets SET close_at = clock_timestamp() - interval '1 second' WHERE id IN (:cm, :cm2);
SET ROLE tap_alice;
SELECT is(market.cancel_orders(:alice), 0,
	'cancel_orders(account): the markets past close_at close first; nothing of alice''s is left to cancel');
RESET ROLE;
SELECT results_eq(format($$SELECT state, (SELECT count(*) FROM market.executions x WHERE x.market = m.id)
							 FROM market.markets m WHERE id IN (%s, %s) ORDER BY number$$, :cm, :cm2),
	$$VALUES ('closed', 1::bigint), ('closed', 1::bigint)$$,
	'both closes were written down, each with its closing auction');
SELECT results_eq(format($$SELECT account, status, cancel_reason FROM market.orders
							WHERE market = %s ORDER BY account = %s DESC$$, :cm, :alice),
	format($$VALUES (%s::bigint, 'cancelled', 'market closed'), (%s::bigint, 'filled', NULL)$$, :alice, :bob),
	'the auction filled 3 of alice''s 4; the close, not cancel_orders, cancelled the rest');
SELECT market.create_market('bc-closing-3', ARRAY['YES', 'NO'], close_at => now() + interval '1 hour') AS cm3 \gset
SELECT market.place_order(:alice, market.outcome_id(:cm3, 1), 'buy', 1, 0.50) \g /dev/null
SELECT market.place_order(:bob, market.outcome_id(:cm3, 2), 'buy', 1, 0.50) \g /dev/null
UPDATE market.markets SET close_at = clock_timestamp() - interval '1 second' WHERE id = :cm3;
SET ROLE tap_operator;
SELECT is(market.cancel_orders(market => :cm3), 0,
	'cancel_orders(market => m) past close_at: the close comes first and cancels the book itself');
RESET ROLE;
SELECT is((SELECT count(*) FROM market.executions WHERE market = :cm3), 1::bigint,
	'the book crossed (a mint of 0.50 + 0.50): the closing auction matched it');
SELECT is_empty($$SELECT * FROM market.check_invariants()$$, 'the invariants hold after the closes');

SELECT * FROM finish();
ROLLBACK;
