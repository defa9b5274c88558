-- Markets and orders (SPEC sections 5, 6, 16): every validation error with
-- its SQLSTATE, and the escrow rules.
\ir common.psql

SELECT plan(108);

SELECT market.create_account('m-alice', 'tap_alice') AS alice \gset
SELECT market.create_account('m-bob', 'tap_bob') AS bob \gset
SELECT market.create_account('m-poor') AS poor \gset
SELECT market.deposit(:alice, 100), market.deposit(:bob, 100), market.deposit(:poor, 1);
SELECT market.create_market('rules', ARRAY['YES', 'NO']) AS m \gset
SELECT market.outcome_id(:m, 1) AS yes \gset
SELECT market.outcome_id(:m, 2) AS no \gset
SELECT market.create_market('fine ticks', ARRAY['A', 'B', 'C'], tick_size => 0.0001) AS f \gset
SELECT market.outcome_id(:f, 1) AS fa \gset

---------------------------------------------------------------- create_market
SELECT throws_ok($$SELECT market.create_market(NULL, ARRAY['a', 'b'])$$,
	'22004', 'description must not be null', 'create_market: NULL description');
SELECT throws_ok($$SELECT market.create_market('', ARRAY['a', 'b'])$$,
	'22023', 'description must not be empty', 'create_market: empty description');
SELECT throws_ok($$SELECT market.create_market('q', NULL)$$,
	'22004', 'outcomes must not be null', 'create_market: NULL outcomes');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['only'])$$,
	'22023', 'a market needs between 2 and 256 outcomes', 'create_market: one outcome');
SELECT throws_ok($$SELECT market.create_market('q', '{}'::text[])$$,
	'22023', 'a market needs between 2 and 256 outcomes', 'create_market: no outcomes');
SELECT throws_ok($$SELECT market.create_market('q', (SELECT array_agg(i::text) FROM generate_series(1, 257) i))$$,
	'22023', 'a market needs between 2 and 256 outcomes', 'create_market: too many outcomes');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', NULL])$$,
	'22023', 'outcome 2 has no label', 'create_market: NULL outcome label');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', ''])$$,
	'22023', 'outcome 2 has no label', 'create_market: empty outcome label');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b', 'a'])$$,
	'22023', 'outcome "a" is listed twice', 'create_market: duplicate outcome');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY[['a', 'b'], ['c', 'd']])$$,
	'22023', 'outcomes must be a one-dimensional array', 'create_market: 2-D outcomes');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], tick_size => 0.05)$$,
	'22023', 'tick_size must be 0.1, 0.01, 0.001 or 0.0001', 'create_market: tick 0.05');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], tick_size => 1)$$,
	'22023', 'tick_size must be 0.1, 0.01, 0.001 or 0.0001', 'create_market: tick 1');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], tick_size => 0.00001)$$,
	'22023', 'tick_size must be 0.1, 0.01, 0.001 or 0.0001', 'create_market: tick 0.00001');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], tick_size => NULL)$$,
	'22004', 'tick_size must not be null', 'create_market: NULL tick');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], close_at => now() - interval '1 s')$$,
	'22023', 'close_at must be in the future', 'create_market: close_at in the past');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], oracle_kind => 'crystal ball')$$,
	'22023', 'oracle_kind must be ''manual'' or ''ai''', 'create_market: unknown oracle kind');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], oracle_kind => 'ai')$$,
	'22023', 'an ''ai'' oracle must name the agent''s account', 'create_market: ai oracle without agent');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], oracle => 987654321)$$,
	'P0002', 'oracle account 987654321 does not exist', 'create_market: unknown oracle');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], oracle => 2)$$,
	'22023', 'oracle account 2 is a system account', 'create_market: system account as oracle');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], kind => 'parimutuel', auto_execute => true)$$,
	'22023', 'a parimutuel pool has no order book to execute', 'create_market: a pool has no book to auto_execute');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], kind => 'casino')$$,
	'22023', 'kind must be ''orderbook'' or ''parimutuel''', 'create_market: unknown kind');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], fee_bps => -1)$$,
	'22003', 'fee_bps must be between 0 and 10000', 'create_market: negative fee');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], fee_bps => 10001)$$,
	'22003', 'fee_bps must be between 0 and 10000', 'create_market: fee above 100%');
SELECT throws_ok(format($$SELECT market.create_market('q', ARRAY['a', 'b'], fee_bps => 6000,
						  creator => %s, creator_fee_bps => 5000)$$, :alice),
	'22003', 'fee_bps and creator_fee_bps together must not exceed 10000', 'create_market: fees above 100%');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], creator_fee_bps => 10)$$,
	'22023', 'creator_fee_bps needs a creator account to pay', 'create_market: creator fee without creator');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], creator => 987654321)$$,
	'P0002', 'creator account 987654321 does not exist', 'create_market: unknown creator');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], dispute_window => '-1 hour')$$,
	'22023', 'dispute_window must not be negative', 'create_market: negative dispute window');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], auto_execute => NULL)$$,
	'22004', 'auto_execute must not be null', 'create_market: NULL auto_execute');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b', 'c'], outcome_ranges => ARRAY['[0,1)'::numrange, '[1,2)'])$$,
	'22023', 'outcome_ranges must hold one range per outcome', 'create_market: too few buckets');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], outcome_ranges => ARRAY['[0,10)'::numrange, '[5,20)'])$$,
	'22023', 'outcome_ranges are not ordered, non-overlapping buckets', 'create_market: overlapping buckets');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], outcome_ranges => ARRAY['[10,20)'::numrange, '[0,10)'])$$,
	'22023', 'outcome_ranges are not ordered, non-overlapping buckets', 'create_market: buckets out of order');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], outcome_ranges => ARRAY['empty'::numrange, '[0,10)'])$$,
	'22023', 'outcome_ranges are not ordered, non-overlapping buckets', 'create_market: empty bucket');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b', 'c'], outcome_ranges => ARRAY['[0,1)'::numrange, '[1,)', '[5,6)'])$$,
	'22023', 'outcome_ranges are not ordered, non-overlapping buckets', 'create_market: unbounded middle bucket');
SELECT lives_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], outcome_ranges => ARRAY['(,0]'::numrange, '(0,)'])$$,
	'create_market: adjacent buckets unbounded at both ends are fine');
SELECT is((SELECT max(number) FROM market.markets) - (SELECT min(number) FROM market.markets) + 1,
	(SELECT count(*)::int FROM market.markets), 'markets are numbered without gaps');

---------------------------------------------------------------- lookups
SELECT throws_ok(format('SELECT market.outcome_id(%s, 3)', :m),
	'P0002', format('market %s has no outcome 3', (SELECT number FROM market.markets WHERE id = :m)),
	'outcome_id: no such outcome (the message names the market by number, as every message does)');
SELECT throws_ok('SELECT market.market_id(99999)',
	'P0002', 'there is no market number 99999', 'market_id: no such market');

---------------------------------------------------------------- transitions
SELECT throws_ok('SELECT market.pause_market(987654321)',
	'P0002', 'market 987654321 does not exist', 'pause_market: unknown market');
SELECT throws_ok(format('SELECT market.resume_market(%s)', :m),
	'55000', NULL, 'resume_market: an active market');
SELECT lives_ok(format('SELECT market.pause_market(%s)', :m), 'pause_market: active -> paused');
SELECT throws_ok(format('SELECT market.pause_market(%s)', :m),
	'55000', NULL, 'pause_market: already paused');
SELECT lives_ok(format('SELECT market.resume_market(%s)', :m), 'resume_market: paused -> active');

---------------------------------------------------------------- place_order arguments
SELECT throws_ok(format($$SELECT market.place_order(NULL, %s, 'buy', 1, 0.5)$$, :yes),
	'22004', 'account must not be null', 'place_order: NULL account');
SELECT throws_ok(format($$SELECT market.place_order(%s, NULL, 'buy', 1, 0.5)$$, :alice),
	'22004', 'outcome must not be null', 'place_order: NULL outcome');
SELECT throws_ok(format($$SELECT market.place_order(%s, 987654321, 'buy', 1, 0.5)$$, :alice),
	'P0002', 'outcome 987654321 does not exist', 'place_order: unknown outcome');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'hold', 1, 0.5)$$, :alice, :yes),
	'22023', 'side must be ''buy'' or ''sell''', 'place_order: unknown side');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, NULL, 1, 0.5)$$, :alice, :yes),
	'22004', 'side must not be null', 'place_order: NULL side');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', NULL, 0.5)$$, :alice, :yes),
	'22004', 'quantity must not be null', 'place_order: no quantity and no amount');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, 0.5, amount => 1)$$, :alice, :yes),
	'22023', 'give either a quantity or an amount, not both', 'place_order: quantity and amount');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'sell', NULL, 0.5, amount => 1)$$, :alice, :yes),
	'22023', 'only a buy may give a cash amount', 'place_order: sell by amount');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 0, 0.5)$$, :alice, :yes),
	'22023', 'quantity must be positive', 'place_order: zero quantity');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', -3, 0.5)$$, :alice, :yes),
	'22023', 'quantity must be positive', 'place_order: negative quantity');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 'NaN', 0.5)$$, :alice, :yes),
	'22023', 'quantity must be a finite number', 'place_order: NaN quantity');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1.0000001, 0.5)$$, :alice, :yes),
	'22023', 'quantity has more than 6 decimal places', 'place_order: quantity with 7 decimals');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1000000000.000001, 0.5)$$, :alice, :yes),
	'22003', 'quantity is too large', 'place_order: quantity above 1e9');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, NULL)$$, :alice, :yes),
	'22004', 'price must not be null', 'place_order: NULL price');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, 0)$$, :alice, :yes),
	'22023', 'price must be positive', 'place_order: price 0');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, -0.5)$$, :alice, :yes),
	'22023', 'price must be positive', 'place_order: negative price');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, 1.01)$$, :alice, :yes),
	'22003', 'price is too large', 'place_order: price above 1');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, 'Infinity')$$, :alice, :yes),
	'22023', 'price must be a finite number', 'place_order: infinite price');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, 0.425)$$, :alice, :yes),
	'22023', format('price 0.425000 is not a multiple of the tick size 0.010000 of market %s',
					(SELECT number FROM market.markets WHERE id = :m)),
	'place_order: price off the tick');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, 0.00005)$$, :alice, :fa),
	'22023', NULL, 'place_order: price off a 0.0001 tick');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, 0.5, 'fok')$$, :alice, :yes),
	'22023', 'time_in_force must be ''gtc'', ''gtd'' or ''ioc''', 'place_order: unknown time in force');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, 0.5, 'gtd')$$, :alice, :yes),
	'22023', 'a ''gtd'' order needs expires_at', 'place_order: gtd without expiry');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, 0.5, 'gtc', now() + interval '1 h')$$, :alice, :yes),
	'22023', 'expires_at is only for ''gtd'' orders', 'place_order: expiry on gtc');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, 0.5, 'gtd', now() - interval '1 s')$$, :alice, :yes),
	'22023', 'expires_at must be in the future', 'place_order: expiry in the past');
SELECT throws_ok(format($$SELECT market.place_order(987654321, %s, 'buy', 1, 0.5)$$, :yes),
	'P0002', 'account 987654321 does not exist', 'place_order: unknown account');
SELECT throws_ok(format($$SELECT market.place_order(1, %s, 'buy', 1, 0.5)$$, :yes),
	'22023', 'account 1 is a system account', 'place_order: system account');

---------------------------------------------------------------- escrow rules
SELECT is(market.available(:poor), 1.000000, 'poor has 1.00');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 2.000001, 0.5)$$, :poor, :yes),
	'MK001', format('insufficient funds in account %s', :poor),
	'buy escrow rounds up: 2.000001 at 0.5 needs 1.000001, one micro-unit more than available');
SELECT is(market.available(:poor), 1.000000, 'a refused order changes nothing');
SELECT is((SELECT count(*) FROM market.orders WHERE account = :poor), 0::bigint,
	'a refused order leaves no row');
SELECT market.place_order(:poor, :yes, 'buy', 2, 0.5) AS poor_order \gset
SELECT is((SELECT escrow FROM market.orders WHERE id = :poor_order), 1000000::bigint,
	'buy escrow is quantity x price: 2 at 0.5 reserves exactly 1.000000');
SELECT is(market.available(:poor), 0.000000, 'available cash may be reserved to the last micro-unit');
SELECT is(market.cancel_order(:poor, :m), 1.000000, 'cancel_order returns the escrow released');
SELECT is(market.available(:poor), 1.000000, 'cancelling releases the escrow');

SELECT market.place_order(:bob, :yes, 'sell', 10, 0.42) AS bob_sell \gset
SELECT is((SELECT escrow FROM market.orders WHERE id = :bob_sell), 5800000::bigint,
	'naked sell escrow is quantity x (1 - price): 10 at 0.42 reserves 5.80');
SELECT market.place_order(:alice, :fa, 'sell', 3, 0.3333) AS o \gset
SELECT is((SELECT escrow FROM market.orders WHERE id = :o), 2000100::bigint,
	'sell escrow rounds up: 3 at 0.3333 reserves ceil(3 x 0.6667) = 2.000100');
SELECT market.replace_order(:alice, :fa, 'buy', NULL, 0.3, amount => 1) AS o \gset
SELECT is((SELECT quantity FROM market.orders WHERE id = :o), 3333333::bigint, 'a buy by amount: 1.00 at 0.30 buys 3.333333, rounded down');
SELECT is((SELECT escrow FROM market.orders WHERE account = :alice AND market = :f AND status = 'open'),
	1000000::bigint, 'and reserves at most the amount');

-- Covered sells: held contracts are sold first.  (Holdings come from
-- matching; here a holding is written directly to test the formula.)
INSERT INTO market.holdings (account, outcome, market, quantity) VALUES (:bob, :no, :m, 4000000);
SELECT market.cancel_order(:bob, :m);
SELECT market.place_order(:bob, :no, 'sell', 10, 0.42) AS o \gset
SELECT is((SELECT escrow FROM market.orders WHERE id = :o), 3480000::bigint, 'a sell of 10 holding 4 reserves only 6 x 0.58 = 3.48');
SELECT market.replace_order(:bob, :no, 'sell', 4, 0.42) AS o \gset
SELECT is((SELECT escrow FROM market.orders WHERE id = :o), 0::bigint, 'a sell fully covered by holdings reserves nothing');
SELECT market.replace_order(:bob, :yes, 'sell', 4, 0.42) AS o \gset
SELECT is((SELECT escrow FROM market.orders WHERE id = :o), 2320000::bigint, 'holdings of another outcome do not cover a sell');
SELECT market.cancel_order(:bob, :m);
DELETE FROM market.holdings WHERE account = :bob;

---------------------------------------------------------------- one open order per market
SELECT market.place_order(:alice, :yes, 'buy', 10, 0.4) AS alice_order \gset
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, 0.5)$$, :alice, :no),
	'23505', format('account %s already has an open order in market %s', :alice,
					(SELECT number FROM market.markets WHERE id = :m)),
	'place_order: a second open order in the same market');
SELECT throws_ok(format($$SELECT market.replace_order(%s, %s, 'buy', 1, 0.5)$$, :bob, :yes),
	'P0002', NULL, 'replace_order: nothing to replace');
SELECT throws_ok(format($$SELECT market.replace_order(%s, %s, 'buy', 250, 0.4)$$, :alice, :yes),
	'MK001', NULL, 'replace_order: the new escrow must fit available plus the old escrow');
SELECT is((SELECT status FROM market.orders WHERE id = :alice_order), 'open',
	'a refused replacement leaves the old order open');
SELECT is(market.available(:alice), 95.000000, 'alice has 95.00 available and 4.00 in her order');
SELECT throws_ok(format($$SELECT market.replace_order(%s, %s, 'buy', 247.500002, 0.4)$$, :alice, :yes),
	'MK001', NULL, 'replace_order: 99.000001 is more than 95.00 available plus 4.00 released');
SELECT lives_ok(format($$SELECT market.replace_order(%s, %s, 'buy', 247.5, 0.4)$$, :alice, :no),
	'replace_order: 99.00 fits 95.00 available plus the 4.00 the old order releases');
SELECT is(market.available(:alice), 0.000000, 'and all of it is now reserved');

---------------------------------------------------------------- idempotency
SELECT market.cancel_order(:bob, :f) FROM market.orders WHERE account = :bob AND market = :f AND status = 'open';
SELECT is(market.place_order(:bob, :fa, 'buy', 1, 0.5, idempotency_key => 'ord-1'),
	market.place_order(:bob, :fa, 'buy', 1, 0.5, idempotency_key => 'ord-1'),
	'place_order with the same key returns the first order id');
SELECT is((SELECT count(*) FROM market.orders WHERE account = :bob AND market = :f), 1::bigint,
	'and places one order');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 2, 0.5, idempotency_key => 'ord-1')$$, :bob, :fa),
	'MK002', NULL, 'the same key with another quantity is refused');

---------------------------------------------------------------- cancel_order
SELECT throws_ok(format('SELECT market.cancel_order(%s, %s)', :poor, :m),
	'P0002', format('account %s has no open order in market %s', :poor,
					(SELECT number FROM market.markets WHERE id = :m)),
	'cancel_order: no open order');
SELECT throws_ok(format('SELECT market.cancel_order(%s, 987654321)', :poor),
	'P0002', 'market 987654321 does not exist', 'cancel_order: unknown market');

---------------------------------------------------------------- who may trade
SET ROLE tap_alice;
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, 0.5)$$, :bob, :no),
	'42501', format('permission denied to place orders for account %s', :bob),
	'trader: cannot place orders for another trader''s account');
SELECT throws_ok(format('SELECT market.cancel_order(%s, %s)', :bob, :f),
	'42501', NULL, 'trader: cannot cancel another trader''s order');
SELECT throws_ok(format('SELECT market.pause_market(%s)', :m),
	'42501', NULL, 'trader: cannot pause markets');
SELECT throws_ok($$SELECT market.create_market('mine', ARRAY['a', 'b'])$$,
	'42501', NULL, 'trader: cannot create markets');
SELECT lives_ok(format('SELECT market.cancel_order(%s, %s)', :alice, :m),
	'trader: cancels its own order');
SELECT lives_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, 0.5)$$, :alice, :no),
	'trader: places orders for its own account');
SELECT is((SELECT count(DISTINCT account) FROM market.open_orders), 1::bigint,
	'trader: sees only its own open orders');
SELECT ok((SELECT count(*) FROM market.order_book) > 1,
	'trader: sees the whole book''s depth');
RESET ROLE;
SET ROLE tap_operator;
SELECT throws_ok(format('SELECT market.close_market(%s)', :m),
	'42501', NULL, 'operator: cannot close markets');
SELECT lives_ok(format($$SELECT market.replace_order(%s, %s, 'buy', 2, 0.5)$$, :alice, :no),
	'operator: acts for any account');
RESET ROLE;
SET ROLE tap_admin;
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, 0.5)$$, :poor, :no),
	'42501', NULL, 'admin: does not trade');
RESET ROLE;

---------------------------------------------------------------- invariant 3
UPDATE market.accounts SET locked = locked + 1 WHERE id = :alice;
SELECT throws_ok('SET CONSTRAINTS market.account_check IMMEDIATE',
	'MK004', format('locked cash of account %s does not match the escrow of its open orders', :alice),
	'a commit where locked differs from the open orders'' escrow is refused');

SELECT * FROM finish();
ROLLBACK;
