-- Distribution markets (SPEC section 10a): every rule of creation,
-- quoting, trading, resolution and settlement, and every rejection with
-- its SQLSTATE, each acted as the role that would do it.
\ir common.psql

SELECT plan(74);

CREATE ROLE tap_liquidity_admin IN ROLE market_admin;
SELECT market.create_account('d-liq', 'tap_liquidity_admin') AS liq \gset
SELECT market.create_account('d-alice', 'tap_alice') AS alice \gset
SELECT market.create_account('d-bob', 'tap_bob') AS bob \gset
SELECT market.create_account('d-oracle', 'tap_oracle') AS oracle \gset
SELECT market.create_account('d-poor', 'tap_liquidity_admin') AS poor \gset
SELECT market.create_account('d-alice-spare', 'tap_alice') AS spare \gset
SELECT market.deposit(:liq, 1000), market.deposit(:alice, 100), market.deposit(:bob, 100),
       market.deposit(:poor, 1), market.deposit(:spare, 1);

-- the comments of the kind columns name every kind
SELECT ok(col_description('market.markets'::regclass,
	(SELECT attnum FROM pg_attribute WHERE attrelid = 'market.markets'::regclass AND attname = 'kind'))
	~ 'orderbook.*parimutuel.*distribution', 'markets.kind''s comment names orderbook, parimutuel and distribution');
SELECT ok(col_description('market.market_overview'::regclass,
	(SELECT attnum FROM pg_attribute WHERE attrelid = 'market.market_overview'::regclass AND attname = 'kind'))
	~ 'orderbook.*parimutuel.*distribution', 'market_overview.kind''s comment names orderbook, parimutuel and distribution');

---------------------------------------------------------------- create
SET ROLE tap_operator;
SELECT throws_ok(format('SELECT market.create_distribution_market(''x'', 50, 10, 100, %s, 5)', :liq),
	'42501', NULL, 'an operator cannot create a market');
RESET ROLE;
SET ROLE tap_admin;
SELECT throws_ok(format('SELECT market.create_distribution_market(''x'', 50, 10, 100, %s, 5)', :liq),
	'42501', format('permission denied to back a market for account %s', :liq),
	'an admin who neither owns the liquidity account nor is an operator cannot spend it');
RESET ROLE;
SET ROLE tap_liquidity_admin;
SELECT throws_ok(format('SELECT market.create_distribution_market(''x'', 50, 10, 0, %s, 5)', :liq),
	'22023', 'backing must be positive', 'a backing of 0 is refused');
SELECT throws_ok(format('SELECT market.create_distribution_market(''x'', 50, 10, -1, %s, 5)', :liq),
	'22023', 'backing must be positive', 'a negative backing is refused');
SELECT throws_ok(format('SELECT market.create_distribution_market(''x'', 50, 0, 100, %s, 5)', :liq),
	'22023', 'stddev must be positive', 'a stddev of 0 is refused');
SELECT throws_ok(format('SELECT market.create_distribution_market(''x'', 50, 10, 100, %s, -5)', :liq),
	'22023', 'min_stddev must be positive', 'a negative min_stddev is refused');
SELECT throws_ok(format('SELECT market.create_distribution_market(''x'', 50, 4.999999, 100, %s, 5)', :liq),
	'22023', 'stddev must be at least the market''s min_stddev', 'a start stddev below min_stddev is refused');
SELECT throws_ok(format('SELECT market.create_distribution_market(''x'', ''NaN'', 10, 100, %s, 5)', :liq),
	'22023', 'mean must be a finite number', 'a NaN mean is refused');
SELECT throws_ok(format('SELECT market.create_distribution_market(''x'', 50, ''Infinity'', 100, %s, 5)', :liq),
	'22023', 'stddev must be a finite number', 'an infinite stddev is refused');
SELECT throws_ok(format('SELECT market.create_distribution_market(''x'', 50, 10, 100.0000001, %s, 5)', :liq),
	'22023', 'backing has more than 6 decimal places', 'a backing finer than a micro-unit is refused');
SELECT throws_ok(format('SELECT market.create_distribution_market(''x'', 50, 10, 10000001, %s, 5)', :liq),
	'22003', 'backing is too large', 'a backing above 10,000,000 is refused');
SELECT throws_ok(format('SELECT market.create_distribution_market(''x'', 2000000000, 10, 100, %s, 5)', :liq),
	'22003', 'mean is too large', 'a mean beyond 1e9 is refused');
SELECT throws_ok(format('SELECT market.create_distribution_market(''x'', 50, 10, 100, %s, 5, fee_bps => 10001)', :liq),
	'22003', 'fee_bps must be between 0 and 10000', 'fee_bps above 10000 is refused');
SELECT throws_ok(format('SELECT market.create_distribution_market(''x'', 50, 10, 100, %s, 5, close_at => now() - interval ''1 hour'')', :liq),
	'22023', 'close_at must be in the future', 'a close_at in the past is refused');
SELECT throws_ok(format('SELECT market.create_distribution_market(''x'', 50, 10, 100, %s, 5)', :poor),
	'MK001', format('insufficient funds in account %s', :poor), 'a liquidity account short of the backing is refused');
SELECT throws_ok('SELECT market.create_distribution_market(''x'', 50, 10, 100, 2, 5)',
	'22023', 'liquidity account 2 is a system account', 'house cannot back a market');
SELECT throws_ok('SELECT market.create_distribution_market(''x'', 50, 10, 100, 987654321, 5)',
	'P0002', 'account 987654321 does not exist', 'an unknown liquidity account');
SELECT market.create_distribution_market('rain', 50, 10, 100, :liq, 5, oracle => :oracle,
		fee_bps => 100) AS m \gset
SELECT market.create_distribution_market('paused', 0, 1, 10, :liq, 1) AS p \gset
RESET ROLE;
SELECT market.create_market('book', ARRAY['YES', 'NO']) AS book \gset
SELECT is((SELECT k FROM market.distribution_markets WHERE market = :m), 297695637::bigint,
	'k = 100 sqrt(5 sqrt(pi)) = 297.695637..., stored rounded down in micro-units');
SELECT is(market.balance(:liq), 890.000000, 'the liquidity account paid both backings');
SELECT is((SELECT collateral FROM market.market_overview WHERE id = :m), 100.000000,
	'the backing is the market''s collateral');
SELECT is((SELECT kind FROM market.markets WHERE id = :m), 'distribution', 'the market''s kind');
SELECT is((SELECT peak FROM market.distribution_overview WHERE market = :m), 70.710678,
	'the start peak is k / sqrt(10 sqrt(pi))');

---------------------------------------------------------------- quote
SET ROLE tap_oracle;
SELECT results_eq(format('SELECT collateral, fee, total FROM market.quote_distribution(%s, 60, 10)', :m),
	$$VALUES (39.515647, 0.395156, 39.910803)$$,
	'anyone quotes: collateral 39.515647 (the largest loss, rounded up), fee 1% rounded down');
RESET ROLE;
SELECT throws_ok(format('SELECT * FROM market.quote_distribution(%s, 60, 4)', :m),
	'22023', 'stddev must be at least the market''s min_stddev', 'a quote below min_stddev is refused');
SELECT throws_ok(format('SELECT * FROM market.quote_distribution(%s, 60, 10)', :book),
	'22023', NULL, 'an order-book market has no quote');
SELECT throws_ok('SELECT * FROM market.quote_distribution(987654321, 60, 10)',
	'P0002', NULL, 'quote: an unknown market');
SELECT is((SELECT collateral FROM market.quote_distribution(:m, 50, 10)), 0.000000,
	'a trade to the current parameters costs 0');

---------------------------------------------------------------- trade
SET ROLE tap_alice;
SELECT throws_ok(format('SELECT market.trade_distribution(%s, %s, 60, 10, 39.910802)', :alice, :m),
	'22003', 'the trade needs more than max_collateral',
	'max_collateral one micro-unit below collateral plus fee is refused');
SELECT is(market.balance(:alice), 100.000000, 'the refused trade changed nothing');
SELECT throws_ok(format('SELECT market.trade_distribution(%s, %s, 60, 4.5, 100)', :alice, :m),
	'22023', 'stddev must be at least the market''s min_stddev', 'a trade below min_stddev is refused');
SELECT throws_ok(format('SELECT market.trade_distribution(%s, %s, 60, 10, 100)', :bob, :m),
	'42501', NULL, 'a trader cannot trade for another''s account');
SELECT throws_ok(format('SELECT market.trade_distribution(%s, %s, 60, 10, -1)', :alice, :m),
	'22023', 'max_collateral must not be negative', 'a negative max_collateral');
SELECT throws_ok(format('SELECT market.trade_distribution(%s, %s, 40, 5, 1000)', :spare, :m),
	'MK001', format('insufficient funds in account %s', :spare), 'a trade the account cannot pay is refused');
SELECT market.trade_distribution(:alice, :m, 60, 10, 39.910803, 'k1') AS a1 \gset
SELECT is(market.trade_distribution(:alice, :m, 60, 10, 39.910803, 'k1'), :a1::bigint,
	'the same idempotency key and arguments return the first position');
SELECT throws_ok(format('SELECT market.trade_distribution(%s, %s, 61, 10, 100, ''k1'')', :alice, :m),
	'MK002', NULL, 'the same key with other arguments is refused');
SELECT lives_ok(format($t$DO $b$ BEGIN
	ASSERT market.trade_distribution(%s, %s, 60.0, 10.000000, 39.910803, 'k1') = %s;
END $b$$t$, :alice, :m, :a1),
	'the same key with the same numbers written otherwise (60.0, 10.000000) returns the first position');
RESET ROLE;
SELECT is(market.balance(:alice), 100 - 39.910803, 'alice paid collateral plus fee, once');
SELECT is((SELECT sum(amount) * 0.000001 FROM market.journal WHERE account = 2 AND market = :m), 0.395156,
	'the fee went to house');
SELECT results_eq(format('SELECT mean, stddev, collateral_posted, trades FROM market.distribution_overview WHERE market = %s', :m),
	$$VALUES (60.000000, 10.000000, 39.515647, 1)$$, 'the market moved to the trade''s Normal');
SELECT results_eq(format('SELECT old_mean, new_mean, collateral, fee FROM market.distribution_positions WHERE id = %s', :a1),
	$$VALUES (50000000::bigint, 60000000::bigint, 39515647::bigint, 395156::bigint)$$, 'one position row per trade');
SELECT is((SELECT account FROM market.events WHERE name = 'trade' AND market = :m), :alice::bigint,
	'the trade event names the account in its row');
SELECT is((SELECT payload->>'size' FROM market.events WHERE name = 'trade' AND market = :m), '39.515647',
	'the trade event''s size is the collateral posted');
SELECT is(market.distribution_payoff(:a1, 60), 67.338130, 'payoff at 60: 39.515647 + 70.710678 - 42.888194');
SET ROLE tap_bob;
SELECT throws_ok(format('SELECT market.distribution_payoff(%s, 60)', :a1),
	'P0002', format('position %s does not exist', :a1),
	'a trader cannot read another''s payoff: refused as if it did not exist');
-- the trade event publishes position ids: the refusal must not tell a
-- position of another account from a missing one, nor name the account
SELECT lives_ok(format($t$DO $b$
DECLARE
	st text; msg text; det text; hnt text; other text; missing text;
BEGIN
	BEGIN
		PERFORM market.distribution_payoff(%1$s, 60);
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
			det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
		other := replace(concat_ws(' | ', st, msg, det, hnt), '%1$s', 'N');
	END;
	BEGIN
		PERFORM market.distribution_payoff(1, 60);
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
			det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
		missing := replace(concat_ws(' | ', st, msg, det, hnt), '1', 'N');
	END;
	ASSERT other = missing, format('another''s position: %%s; a missing one: %%s', other, missing);
	ASSERT other NOT LIKE '%%account%%', 'the refusal names an account';
END $b$$t$, :a1), 'another account''s position and a missing one are refused alike, naming no account');
SELECT is((SELECT count(*) FROM market.distribution_positions), 0::bigint, 'a trader sees only its own positions');
RESET ROLE;
SELECT market.pause_market(:p);
SET ROLE tap_bob;
SELECT throws_ok(format('SELECT market.trade_distribution(%s, %s, 1, 1, 10)', :bob, :p),
	'55000', NULL, 'a paused market does not trade');
RESET ROLE;
SET ROLE tap_operator;
SELECT market.trade_distribution(:bob, :m, 55, 5, 100) AS b1 \gset
RESET ROLE;

---------------------------------------------------------------- resolve
SELECT throws_ok(format('SELECT market.resolve(%s, ARRAY[1.0])', :m),
	'22023', NULL, 'a distribution market has no payout vector');
SET ROLE tap_alice;
SELECT throws_ok(format('SELECT market.resolve_value(%s, 57)', :m), '42501', NULL, 'a trader cannot report');
SELECT throws_ok(format('SELECT * FROM market.settle(%s, %s)', :m, :alice), '55000', NULL,
	'nothing pays before the report');
RESET ROLE;
SET ROLE tap_oracle;
SELECT throws_ok(format('SELECT market.resolve_value(%s, ''NaN'')', :m), '22023', NULL, 'a NaN value');
SELECT throws_ok(format('SELECT market.resolve_value(%s, 1e10)', :m), '22003', NULL, 'a value beyond 1e9');
SELECT lives_ok(format('SELECT market.resolve_value(%s, 57)', :m), 'the oracle reports 57');
RESET ROLE;
SELECT is((SELECT final_value FROM market.markets WHERE id = :m), 57000000::bigint, 'the final value is stored');
SET ROLE tap_bob;
SELECT throws_ok(format('SELECT market.trade_distribution(%s, %s, 1, 10, 100)', :bob, :m),
	'55000', NULL, 'a resolved market does not trade');
SELECT throws_ok(format('SELECT * FROM market.settle(%s)', :m), '42501', NULL,
	'a trader cannot settle everyone');
RESET ROLE;
SET ROLE tap_operator;
SELECT is((SELECT count(*) FROM market.settle(:m, max_positions => 1)), 1::bigint, 'a batch of one');
SELECT is((SELECT count(*) FROM market.settle(:m)), 2::bigint, 'the rest');
SELECT is((SELECT count(*) FROM market.settle(:m)), 0::bigint, 'settling again pays nothing');
RESET ROLE;
SELECT is((SELECT collateral FROM market.market_overview WHERE id = :m), 0.000000,
	'the collateral account ends at exactly 0');
SELECT is((SELECT sum(amount) FROM market.settlements WHERE market = :m)::bigint,
	(SELECT backing + posted FROM market.distribution_markets WHERE market = :m),
	'the payouts add up to backing plus collateral posted');
SELECT is((SELECT count(*) FROM market.settlements WHERE market = :m AND position IS NULL), 1::bigint,
	'the liquidity account''s remainder is one row with no position');
SELECT is((SELECT count(*) FROM market.events WHERE market = :m AND name = 'settled'), 2::bigint,
	'one settled event per batch that paid');

---------------------------------------------------------------- payouts capped
-- Rounding keeps every payout at or under its exact value; should payouts
-- ever add up to more than the collateral holds, finalization caps them
-- (the positions paid last, by id, get less) instead of failing.  Forced
-- here by tripling a market's k behind its back, then undone.
SAVEPOINT tamper;
SET ROLE tap_liquidity_admin;
SELECT market.create_distribution_market('tampered', 0, 2, 10, :liq, 1, oracle => :oracle) AS tm \gset
RESET ROLE;
SET ROLE tap_operator;
SELECT market.trade_distribution(:bob, :tm, 3, 1, 100) AS tmp \gset
RESET ROLE;
UPDATE market.distribution_markets SET k = k * 3 WHERE market = :tm;
SELECT throws_ok(format('SELECT collateral FROM market.quote_distribution(%s, 3, 1)', :tm),
	'MK004', 'the peak at stddev 1.000000 exceeds the backing', 'a k that breaks the peak''s bound is an invariant violation');
SET ROLE tap_oracle;
SELECT market.resolve_value(:tm, 3);
RESET ROLE;
SET ROLE tap_operator;
SELECT lives_ok(format('SELECT count(*) FROM market.settle(%s)', :tm),
	'payouts above the collateral are capped: finalization does not fail');
RESET ROLE;
SELECT results_eq(format('SELECT sum(amount)::bigint, min(amount) FILTER (WHERE position IS NULL) FROM market.settlements WHERE market = %s', :tm),
	format('SELECT backing + posted, 0::bigint FROM market.distribution_markets WHERE market = %s', :tm),
	'the capped payouts add up to exactly the collateral, the remainder is 0');
ROLLBACK TO SAVEPOINT tamper;

---------------------------------------------------------------- cancel
SET ROLE tap_liquidity_admin;
SELECT market.create_distribution_market('resolved then cancelled', 0, 2, 10, :liq, 1,
		oracle => :oracle, dispute_window => '1 day') AS rc \gset
RESET ROLE;
SET ROLE tap_operator;
SELECT market.trade_distribution(:bob, :rc, 1, 2, 10) AS rcp \gset
RESET ROLE;
SET ROLE tap_oracle;
SELECT market.resolve_value(:rc, 1);
RESET ROLE;
SET ROLE tap_admin;
SELECT lives_ok(format('SELECT market.cancel_market(%s, ''called off'')', :rc),
	'an admin cancels a resolved distribution market');
RESET ROLE;
SELECT results_eq(format('SELECT state, final_value FROM market.markets WHERE id = %s', :rc),
	$$VALUES ('cancelled', NULL::bigint)$$, 'the cancelled market reports no value');
SELECT results_eq(format('SELECT amount FROM market.settlements WHERE market = %s ORDER BY position NULLS FIRST', :rc),
	format('VALUES (10000000::bigint), ((SELECT collateral FROM market.distribution_positions WHERE id = %s))', :rcp),
	'cancelling owes the backing and every collateral back, no fee');

---------------------------------------------------------------- invariants
SELECT is_empty('SELECT * FROM market.check_invariants()', 'the invariants hold');
UPDATE market.distribution_markets SET posted = posted + 1 WHERE market = :p;
SELECT results_eq('SELECT invariant FROM market.check_invariants()',
	$$VALUES ('distribution_collateral'), ('distribution_posted')$$,
	'check_invariants finds collateral <> backing + posted - paid');
SELECT market.resume_market(:p);
SET ROLE tap_operator;
SELECT market.trade_distribution(:bob, :p, 1, 1, 10);
RESET ROLE;
SELECT throws_ok('SET CONSTRAINTS ALL IMMEDIATE', 'MK004', NULL,
	'the commit-time check refuses a collateral that is not backing + posted - paid');

SELECT * FROM finish();
ROLLBACK;
