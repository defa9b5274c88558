-- The market listing: one row per outcome with its market's columns; best
-- prices count the prices the other outcomes imply; implied probability is
-- the mid of bid and ask, else the last price.  Public market data.
\ir common.psql

SELECT plan(13);

SELECT market.create_market('listing', ARRAY['YES', 'NO']) AS m \gset
SELECT market.outcome_id(:m, 1) AS yes \gset
SELECT market.outcome_id(:m, 2) AS no \gset
SELECT market.create_account(l) AS alice FROM (VALUES ('alice')) v(l) \gset
SELECT market.create_account('bob') AS bob \gset
SELECT market.create_account('carol') AS carol \gset
SELECT market.create_account('dave') AS dave \gset
SELECT market.deposit(a, 100) FROM unnest(ARRAY[:alice, :bob, :carol, :dave]::bigint[]) a \g /dev/null

-- YES: a bid of 0.40 and an ask of 0.65; NO: a bid of 0.50.
SELECT market.place_order(:alice, :yes, 'buy', 10, 0.40) \g /dev/null
SELECT market.place_order(:bob, :no, 'buy', 10, 0.50) \g /dev/null
SELECT market.place_order(:carol, :yes, 'sell', 5, 0.65) \g /dev/null

SELECT results_eq(
	format('SELECT outcome_number, outcome_label, best_bid, best_ask, last_price, volume, implied_probability
			  FROM market.market_listing WHERE market = %s ORDER BY outcome_number', :m),
	$$VALUES (1, 'YES', 0.400000, 0.500000, NULL::numeric, 0.000000, 0.450000),
			 (2, 'NO', 0.500000, 0.600000, NULL::numeric, 0.000000, 0.550000)$$,
	'YES''s ask is what NO''s bid implies (0.50, below its own 0.65); NO''s ask is what YES''s bid implies; NO''s bid beats the 0.35 YES''s ask implies; the mid is the probability');
SELECT results_eq(
	format('SELECT market_number, description, state, kind, payouts, resolved_at, finalizes_at
			  FROM market.market_listing WHERE market = %s AND outcome_number = 1', :m),
	format($$VALUES (%s, 'listing', 'active', 'orderbook', NULL::numeric[], NULL::timestamptz, NULL::timestamptz)$$,
		   (SELECT number FROM market.markets WHERE id = :m)),
	'the market''s columns on each outcome''s row');

-- A trade: dave sells 10 YES at 0.40 to alice.
SELECT market.place_order(:dave, :yes, 'sell', 10, 0.40) \g /dev/null
SELECT count(*) FROM market.execute(:m) \g /dev/null
SELECT results_eq(
	format('SELECT outcome_number, best_bid, best_ask, last_price, volume, implied_probability
			  FROM market.market_listing WHERE market = %s ORDER BY outcome_number', :m),
	$$VALUES (1, NULL::numeric, 0.500000, 0.400000, 10.000000, 0.400000),
			 (2, 0.500000, NULL::numeric, NULL::numeric, 0.000000, NULL::numeric)$$,
	'after a direct trade of YES: YES has its last price and volume, and with no bid its probability is the last price; NO did not trade');

-- The other outcomes' bids imply an ask only when every other outcome has one.
SELECT market.create_market('three', ARRAY['A', 'B', 'C']) AS t \gset
SELECT market.place_order(:alice, market.outcome_id(:t, 1), 'buy', 1, 0.20) \g /dev/null
SELECT market.place_order(:bob, market.outcome_id(:t, 2), 'buy', 1, 0.30) \g /dev/null
SELECT results_eq(
	format('SELECT outcome_number, best_bid, best_ask FROM market.market_listing WHERE market = %s ORDER BY 1', :t),
	$$VALUES (1, 0.200000, NULL::numeric), (2, 0.300000, NULL::numeric), (3, NULL::numeric, 0.500000)$$,
	'three outcomes: C''s ask is 1 - (0.20 + 0.30); A and B have no implied ask while C has no bid');
SELECT market.place_order(:carol, market.outcome_id(:t, 1), 'sell', 1, 0.90) \g /dev/null
SELECT market.place_order(:dave, market.outcome_id(:t, 3), 'sell', 1, 0.70) \g /dev/null
SELECT is((SELECT best_bid FROM market.market_listing WHERE market = :t AND outcome_number = 2), 0.300000,
	'B''s own bid 0.30 beats nothing: A and C asks sum to 1.60, so no merge bid');
SELECT market.cancel_order(:carol, :t) \g /dev/null
SELECT market.place_order(:carol, market.outcome_id(:t, 1), 'sell', 1, 0.10) \g /dev/null
SELECT is((SELECT best_bid FROM market.market_listing WHERE market = :t AND outcome_number = 2), 0.300000,
	'B: the merge bid 1 - (0.10 + 0.70) = 0.20 is below its own 0.30');
SELECT is((SELECT best_bid FROM market.market_listing WHERE market = :t AND outcome_number = 3), NULL::numeric,
	'C: no bid of its own, and B has no ask, so no merge bid either');

-- Bids of the other outcomes that already pay for a whole set: a buy at
-- one tick would mint against them, so that is the implied ask.
SELECT market.create_market('full', ARRAY['YES', 'NO']) AS f \gset
SELECT market.place_order(:dave, market.outcome_id(:f, 2), 'buy', 1, 1.00) \g /dev/null
SELECT is((SELECT implied_ask FROM market.book_prices WHERE market = :f AND outcome_number = 1), 0.010000,
	'book_prices: NO bid at 1.00 implies a YES ask of one tick, not 0');
SELECT is((SELECT best_ask FROM market.market_listing WHERE market = :f AND outcome_number = 1), 0.010000,
	'market_listing: the same one-tick ask');

-- The report, in cash units, on every row; the state as the clock has it.
SELECT market.resolve(:m, ARRAY[0.3, 0.7]) \g /dev/null
SELECT results_eq(
	format('SELECT state, payouts, resolved_at IS NOT NULL, finalizes_at IS NOT NULL
			  FROM market.market_listing WHERE market = %s', :m),
	$$VALUES ('resolved', ARRAY[0.300000, 0.700000], true, true),
			 ('resolved', ARRAY[0.300000, 0.700000], true, true)$$,
	'a resolved market shows its payouts in cash units on each outcome''s row');
-- (the transaction's now() does not move: the fixture moves close_at back)
SELECT market.create_market('closing', ARRAY['Y', 'N'], close_at => now() + interval '1 hour') AS c \gset
UPDATE market.markets SET close_at = now() - interval '1 second' WHERE id = :c;
SELECT is((SELECT DISTINCT state FROM market.market_listing WHERE market = :c), 'closed',
	'a market past close_at lists as closed');

-- Public market data.
SET ROLE tap_oracle;
SELECT is((SELECT count(*) FROM market.market_listing WHERE market = :m), 2::bigint,
	'an oracle reads the listing');
RESET ROLE;
SET ROLE tap_nobody;
SELECT throws_ok('SELECT * FROM market.market_listing', '42501', NULL, 'a role with no market role may not');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
