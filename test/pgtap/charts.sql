-- Charts for psql: depth_chart draws a market's book, sparkline an
-- outcome's price over time.  Both are public market data (every market
-- role may call them, like candles) and refuse bad arguments with the
-- extension's own errors.
\ir common.psql

SELECT plan(16);

SELECT market.create_market('charts', ARRAY['YES', 'NO']) AS m \gset
SELECT number AS n FROM market.markets WHERE id = :m \gset
SELECT market.outcome_id(:m, 1) AS yes \gset
SELECT market.create_account('alice', 'tap_alice') AS alice \gset
SELECT market.create_account('bob', 'tap_bob') AS bob \gset
SELECT market.create_account('carol') AS carol \gset
SELECT market.create_account('dave') AS dave \gset
SELECT market.deposit(a, 100) FROM unnest(ARRAY[:alice, :bob, :carol, :dave]::bigint[]) a \g /dev/null

-- The book: bids of 5 at 0.40 and 10 at 0.30, asks of 5 at 0.60 and 5 at 0.70.
SELECT market.place_order(:alice, :yes, 'buy', 5, 0.40) \g /dev/null
SELECT market.place_order(:bob, :yes, 'buy', 10, 0.30) \g /dev/null
SELECT market.place_order(:carol, :yes, 'sell', 5, 0.60) \g /dev/null
SELECT market.place_order(:dave, :yes, 'sell', 5, 0.70) \g /dev/null

SELECT results_eq(
	format('SELECT outcome, label, side, price, quantity, depth, bar FROM market.depth_chart(%s)', :m),
	$$VALUES (1, 'YES', 'ask', 0.700000, 5.000000, 10.000000, repeat('░', 20)),
			 (1, 'YES', 'ask', 0.600000, 5.000000, 5.000000, repeat('░', 10)),
			 (1, 'YES', 'bid', 0.400000, 5.000000, 5.000000, repeat('█', 10)),
			 (1, 'YES', 'bid', 0.300000, 10.000000, 15.000000, repeat('█', 30))$$,
	'depth_chart: asks from the top down, then bids; depth accumulates from the best price; bars scale to the deepest side');
SELECT is((SELECT string_agg(bar, ',' ORDER BY side, price DESC) FROM market.depth_chart(:m, 3)),
	'░░,░,█,███', 'depth_chart: the width scales the bars, and a level always gets one block');
SELECT market.create_market('empty', ARRAY['A', 'B']) AS empty \gset
SELECT is((SELECT count(*) FROM market.depth_chart(:empty)),
	0::bigint, 'depth_chart: an empty book draws nothing');

-- Prices over time: a trade at 0.20, three hours of nothing, a trade at 0.90.
SELECT market.cancel_order(a, :m) FROM unnest(ARRAY[:alice, :bob, :carol, :dave]::bigint[]) a \g /dev/null
SELECT market.place_order(:alice, :yes, 'buy', 10, 0.20) \g /dev/null
SELECT market.place_order(:bob, :yes, 'sell', 10, 0.20) \g /dev/null
SELECT count(*) FROM market.execute(:m) \g /dev/null
UPDATE market.executions SET created_at = date_bin('1 hour', now(), timestamptz '2024-01-01') - interval '3 hours'
 WHERE market = :m;
SELECT market.place_order(:carol, :yes, 'buy', 10, 0.90) \g /dev/null
SELECT market.place_order(:dave, :yes, 'sell', 10, 0.90) \g /dev/null
SELECT count(*) FROM market.execute(:m) \g /dev/null

SELECT is(market.sparkline(:m, 1), '▂▂▂█',
	'sparkline: one block per hour from the first trade to the last; an hour without trades keeps the price');
SELECT is(market.sparkline(:m, 1, points => 2), '▂█', 'sparkline: points keeps the latest intervals');
SELECT is(market.sparkline(:m, 2), '', 'sparkline: an outcome that never traded draws nothing');

-- Refusals.
SELECT throws_ok(format('SELECT * FROM market.depth_chart(%s, 0)', :m), '22023',
	'width must be between 1 and 200 characters', 'depth_chart: a width of 0');
SELECT throws_ok('SELECT * FROM market.depth_chart(NULL)', '22004', 'market must not be null',
	'depth_chart: no market');
SELECT throws_ok(format('SELECT * FROM market.depth_chart(%s)', :n), 'P0002',
	format('market %s does not exist', :n), 'depth_chart: a market number where the id goes');
SELECT throws_ok(format('SELECT market.sparkline(%s, 3)', :m), 'P0002',
	format('market %s has no outcome 3', :n), 'sparkline: an outcome the market does not have');
SELECT throws_ok(format('SELECT market.sparkline(%s, 1, points => 0)', :m), '22023',
	'points must be between 1 and 500', 'sparkline: no points');
SELECT throws_ok(format($$SELECT market.sparkline(%s, 1, '1 month')$$, :m), '22023', NULL,
	'sparkline: a width candles refuses');
SELECT throws_ok('SELECT market.sparkline(987654321, 1)', 'P0002',
	'market 987654321 does not exist', 'sparkline: no such market');

-- Public market data, for every market role.
SET ROLE tap_oracle;
SELECT is((SELECT count(*) FROM market.depth_chart(:m)), 0::bigint, 'an oracle draws the (now empty) book');
SELECT is(market.sparkline(:m, 1), '▂▂▂█', 'an oracle draws the price line');
RESET ROLE;
SET ROLE tap_nobody;
SELECT throws_ok(format('SELECT market.sparkline(%s, 1)', :m), '42501', NULL,
	'a role with no market role may not');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
