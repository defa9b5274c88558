-- Hardening from the adversarial sweep (issue 8): outcome_ranges of any
-- lower bound, the dispute window's bound, checked money arithmetic near
-- the int64 limit, resolve's and candles' own errors, and the checks of
-- labels, descriptions and reasons.  Every refusal with its SQLSTATE.
\ir common.psql

SELECT plan(63);

CREATE ROLE tap_carol IN ROLE market_trader;
SELECT market.create_account('h-alice', 'tap_alice') AS alice \gset
SELECT market.create_account('h-bob', 'tap_bob') AS bob \gset
SELECT market.create_account('h-carol', 'tap_carol') AS carol \gset
SELECT market.create_account('h-oracle', 'tap_oracle') AS oracle \gset
SELECT market.deposit(:alice, 100), market.deposit(:bob, 100), market.deposit(:carol, 100);

SET ROLE tap_admin;

------------------------------------------------------- outcome_ranges bounds
-- the k-th element is outcome k's bucket, whatever the array's lower bound
SELECT market.create_market('shifted', ARRAY['low', 'high'],
	outcome_ranges => '[0:1]={"(,0)","[0,10)"}'::numrange[]) AS sh \gset
SELECT results_eq(format('SELECT number, bucket FROM market.outcomes WHERE market = %s ORDER BY number', :sh),
	$$VALUES (1, '(,0)'::numrange), (2, '[0,10)'::numrange)$$,
	'outcome_ranges starting at subscript 0: outcome k gets the k-th range');
SELECT lives_ok(format('SELECT market.resolve_value(%s, 5)', :sh), 'resolve_value on it');
SELECT is((SELECT payouts FROM market.markets WHERE id = :sh), ARRAY[0, 1000000]::bigint[],
	'the value 5 pays the outcome whose range is [0,10), not its neighbour');
SELECT market.create_market('shifted up', ARRAY['a', 'b', 'c'],
	outcome_ranges => '[5:7]={"(,1)","[1,2)","[2,)"}'::numrange[]) AS su \gset
SELECT results_eq(format('SELECT bucket FROM market.outcomes WHERE market = %s ORDER BY number', :su),
	$$VALUES ('(,1)'::numrange), ('[1,2)'::numrange), ('[2,)'::numrange)$$,
	'outcome_ranges starting at subscript 5: in order');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'],
	outcome_ranges => '[0:1]={"[1,2)","(,0)"}'::numrange[])$$,
	'22023', 'outcome_ranges are not ordered, non-overlapping buckets',
	'a shifted array is checked in the same order it is stored');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'],
	outcome_ranges => '{{"(,0)","[0,1)"},{"[1,2)","[2,)"}}'::numrange[])$$,
	'22023', 'outcome_ranges must be a one-dimensional array', 'create_market: 2-D outcome_ranges');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'],
	outcome_ranges => '{{"(,0)"},{"[0,)"}}'::numrange[])$$,
	'22023', 'outcome_ranges must be a one-dimensional array', 'create_market: 2x1 outcome_ranges');

------------------------------------------------------- dispute window, close_at
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], dispute_window => '100000000 years')$$,
	'22023', 'dispute_window must be at most 366 days', 'create_market: a window of 1e8 years');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], dispute_window => '367 days')$$,
	'22023', 'dispute_window must be at most 366 days', 'create_market: a window of 367 days');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], dispute_window => '13 months')$$,
	'22023', 'dispute_window must be at most 366 days', 'create_market: a window of 13 months');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], dispute_window => '-1 day')$$,
	'22023', 'dispute_window must not be negative', 'create_market: a negative window');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', 'b'], dispute_window => '1 day -25 hours')$$,
	'22023', 'dispute_window must not be negative', 'create_market: a window with a negative part');
SELECT market.create_market('year', ARRAY['a', 'b'], dispute_window => '366 days',
	close_at => 'infinity') AS yr \gset
SELECT lives_ok(format('SELECT market.resolve(%s, market.outcome_id(%s, 1))', :yr, :yr),
	'the longest window (366 days) and close_at infinity: resolve works');
SELECT ok((SELECT finalizes_at - resolved_at = interval '366 days' FROM market.markets WHERE id = :yr),
	'the report is final 366 days later');
SELECT market.create_market('year 1', ARRAY['a', 'b'], dispute_window => '1 year') AS yr1 \gset
SELECT lives_ok(format('SELECT market.resolve(%s, market.outcome_id(%s, 1))', :yr1, :yr1),
	'a window of 1 year is accepted');

------------------------------------------------------- resolve errors
SELECT market.create_market('other', ARRAY['x', 'y']) AS other \gset
SELECT market.create_market('target', ARRAY['YES', 'NO'], oracle => :oracle) AS t \gset
SELECT throws_ok(format('SELECT market.resolve(%s, 987654321::bigint)', :t),
	'P0002', 'outcome 987654321 does not exist', 'resolve: an id that is no outcome at all');
SELECT throws_ok(format('SELECT market.resolve(%s, market.outcome_id(%s, 1))', :t, :other),
	'22023', NULL, 'resolve: an outcome of another market');
SELECT throws_ok(format('SELECT market.resolve(%s, ARRAY[-0.5, 1.5])', :t),
	'22023', 'payout 1 must not be negative', 'resolve: a negative payout');
SELECT throws_ok(format('SELECT market.resolve(%s, ARRAY[1, ''-Infinity'']::numeric[])', :t),
	'22023', 'payout 2 must not be negative', 'resolve: a payout of -Infinity');
SELECT throws_ok(format('SELECT market.resolve(%s, ARRAY[0.5, 0.4])', :t),
	'22023', 'payouts must sum to 1', 'resolve: zero and positive payouts still must sum to 1');

------------------------------------------------------- candles
SELECT throws_ok(format('SELECT * FROM market.candles(%s, ''0'')', :t),
	'22023', 'width must be positive, at most 366 days and without months or years', 'candles: width 0');
SELECT throws_ok(format('SELECT * FROM market.candles(%s, ''-1 hour'')', :t),
	'22023', 'width must be positive, at most 366 days and without months or years', 'candles: negative width');
SELECT throws_ok(format('SELECT * FROM market.candles(%s, ''1 month'')', :t),
	'22023', 'width must be positive, at most 366 days and without months or years', 'candles: a month');
SELECT throws_ok(format('SELECT * FROM market.candles(%s, ''1 year'')', :t),
	'22023', 'width must be positive, at most 366 days and without months or years', 'candles: a year');
SELECT throws_ok(format('SELECT * FROM market.candles(%s, ''1000000000 days'')', :t),
	'22023', 'width must be positive, at most 366 days and without months or years', 'candles: a billion days');
SELECT throws_ok(format('SELECT * FROM market.candles(%s, NULL)', :t),
	'22004', 'width must not be null', 'candles: NULL width');
SELECT throws_ok('SELECT * FROM market.candles(987654321, ''1 hour'')',
	'P0002', 'market 987654321 does not exist', 'candles: a missing market');
SELECT is((SELECT count(*) FROM market.candles(:t, '366 days')), 0::bigint,
	'candles: a market with no trades, 366 days wide: no rows');

------------------------------------------------------- labels and reasons
SELECT throws_ok($$SELECT market.create_account('   ')$$, '22023', 'label must not be blank',
	'create_account: a label of spaces');
SELECT throws_ok($$SELECT market.create_account('')$$, '22023', 'label must not be blank',
	'create_account: an empty label');
SELECT throws_ok($$SELECT market.create_account(E'\u00a0\u2003')$$, '22023', 'label must not be blank',
	'create_account: a label of no-break and em spaces');
SELECT throws_ok($$SELECT market.create_account(E'a\tb')$$, '22023', 'label must not contain control characters',
	'create_account: a tab');
SELECT throws_ok($$SELECT market.create_account(E'a\nb')$$, '22023', 'label must not contain control characters',
	'create_account: a line break');
SELECT throws_ok($$SELECT market.create_account(E'a\u0085b')$$, '22023', 'label must not contain control characters',
	'create_account: a C1 control (NEL)');
SELECT throws_ok($$SELECT market.create_account(E'a\x7f')$$, '22023', 'label must not contain control characters',
	'create_account: DEL');
SELECT market.create_account(E'cafe\u0301') AS cafe \gset
SELECT is((SELECT label FROM market.accounts WHERE id = :cafe), E'caf\u00e9',
	'create_account: a decomposed label is stored in NFC');
SELECT throws_ok($$SELECT market.create_market('  ', ARRAY['a', 'b'])$$, '22023', 'description must not be blank',
	'create_market: a blank description');
SELECT throws_ok($$SELECT market.create_market(E'line\none', ARRAY['a', 'b'])$$, '22023',
	'description must not contain control characters', 'create_market: a line break in the description');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY['a', ' '])$$, '22023', 'label of outcome 2 must not be blank',
	'create_market: a blank outcome label');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY[E'a\x01', 'b'])$$, '22023',
	'label of outcome 1 must not contain control characters', 'create_market: a control character in a label');
SELECT throws_ok($$SELECT market.create_market('q', ARRAY[E'caf\u00e9', E'cafe\u0301'])$$, '22023',
	E'outcome "caf\u00e9" is listed twice', 'create_market: composed and decomposed é are the same label');
SELECT market.create_market(E'Cafe\u0301 opens?', ARRAY[E'oui\u0301', 'non']) AS nfc \gset
SELECT is((SELECT description FROM market.markets WHERE id = :nfc), E'Caf\u00e9 opens?',
	'create_market: the description is stored in NFC');
SELECT is((SELECT label FROM market.outcomes WHERE market = :nfc AND number = 1), E'ou\u00ed',
	'create_market: outcome labels are stored in NFC');
SELECT market.resolve(:other, market.outcome_id(:other, 1));
SELECT throws_ok(format('SELECT market.dispute(%s, '' '')', :other), '22023', 'reason must not be blank',
	'dispute: a blank reason');
SELECT throws_ok(format('SELECT market.dispute(%s, E''no\x1b[31m'')', :other), '22023',
	'reason must not contain control characters', 'dispute: an escape sequence in the reason');
SELECT throws_ok(format('SELECT market.cancel_market(%s, E''\u3000'')', :other), '22023', 'reason must not be blank',
	'cancel_market: a reason of ideographic space');
SELECT throws_ok(format('SELECT market.cancel_market(%s, E''x\ry'')', :other), '22023',
	'reason must not contain control characters', 'cancel_market: a carriage return');
SELECT lives_ok(format('SELECT market.cancel_market(%s, E''re\u0301vise\u0301'')', :other),
	'cancel_market: a proper reason');
SELECT is((SELECT cancel_reason FROM market.markets WHERE id = :other), E'r\u00e9vis\u00e9',
	'cancel_market: the reason is stored in NFC');
RESET ROLE;

------------------------------------------------------- money near the int64 limit
-- The largest balance is 9223372036854.775807 (int64 micro-units); one call
-- moves at most 1e12, so several deposits reach it.
SELECT market.create_market('big', ARRAY['YES', 'NO']) AS m \gset
SELECT market.create_market('big 2', ARRAY['YES', 'NO']) AS m2 \gset
SET ROLE tap_alice;
SELECT market.place_order(:alice, market.outcome_id(:m, 1), 'buy', 10, 0.5) > 0;
RESET ROLE;
SET ROLE tap_bob;
SELECT market.place_order(:bob, market.outcome_id(:m, 2), 'buy', 10, 0.5) > 0;
RESET ROLE;
SELECT count(*) FROM market.execute(:m);
-- alice holds 10 YES and 95.000000; bring her to the limit less 1
SELECT count(market.deposit(:alice, 1e12)) FROM generate_series(1, 9);
SELECT is(market.deposit(:alice, 223372036758.775807), 9223372036853.775807,
	'deposits bring a balance to 1 below the largest');
SELECT throws_ok(format('SELECT market.deposit(%s, 1.000001)', :alice), '22003',
	format('deposit would make the balance of account %s too large', :alice),
	'a deposit past the largest balance');
SELECT is(market.balance(:alice), 9223372036853.775807, 'and changes nothing');

-- A sale whose proceeds would take her free cash past the limit: the
-- matching core stops rather than wrap.
SET ROLE tap_alice;
SELECT market.place_order(:alice, market.outcome_id(:m, 1), 'sell', 10, 0.4) > 0;
RESET ROLE;
SET ROLE tap_carol;
SELECT market.place_order(:carol, market.outcome_id(:m, 1), 'buy', 10, 0.5) > 0;
RESET ROLE;
SELECT throws_ok(format('SELECT count(*) FROM market.execute(%s)', :m), '22003',
	(SELECT format('the auction in market %s would take a balance or a holding out of range', number)
	   FROM market.markets WHERE id = :m),
	'execute: proceeds past the largest balance (free cash) are refused');
SELECT is(market.balance(:alice), 9223372036853.775807, 'her balance is unchanged');
SELECT is((SELECT count(*) FROM market.executions WHERE market = :m), 1::bigint, 'no execution was written');

-- With cash locked in another market her free cash has room, but the
-- balance itself would pass the limit: refused by the SPI layer.
SET ROLE tap_alice;
SELECT market.place_order(:alice, market.outcome_id(:m2, 1), 'buy', 20, 0.5) > 0;
RESET ROLE;
SELECT throws_ok(format('SELECT count(*) FROM market.execute(%s)', :m), '22003',
	format('the balance of account %s would be out of range', :alice),
	'execute: proceeds past the largest balance are refused');
SELECT is(market.balance(:alice), 9223372036853.775807, 'her balance is unchanged');
SELECT is((SELECT count(*) FROM market.orders WHERE market = :m AND status = 'open'), 2::bigint,
	'both orders are still open');

-- A payout past the limit.
SELECT market.resolve(:m, market.outcome_id(:m, 1));
SELECT market.finalize(:m);
SELECT throws_ok(format('SELECT * FROM market.settle(%s, %s)', :m, :alice), '22003',
	format('the balance of account %s after its payout would be out of range', :alice),
	'settle: a payout past the largest balance is refused');
SELECT is(market.balance(:alice), 9223372036853.775807, 'her balance is unchanged');
SELECT is((SELECT count(*) FROM market.settlements WHERE market = :m AND account = :alice AND paid_at IS NOT NULL),
	0::bigint, 'and her payout is still owed');
SELECT market.withdraw(:alice, 1e12);
SELECT lives_ok(format('SELECT * FROM market.settle(%s, %s)', :m, :alice),
	'after a withdrawal the payout goes through');
SELECT is(market.balance(:alice), 8223372036863.775807, 'and is paid in full');

SELECT * FROM finish();
ROLLBACK;
