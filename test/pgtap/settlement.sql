-- Resolution and settlement: who may do what, every rejection with its
-- SQLSTATE, and the rules of payouts.
\ir common.psql

SELECT plan(53);

SELECT market.create_account('s-alice', 'tap_alice') AS alice \gset
SELECT market.create_account('s-bob', 'tap_bob') AS bob \gset
SELECT market.create_account('s-oracle', 'tap_oracle') AS oracle \gset
SELECT market.deposit(:alice, 100), market.deposit(:bob, 100);
SELECT market.create_market('manual', ARRAY['YES', 'NO'], oracle => :oracle,
							dispute_window => '1 day') AS m \gset
SELECT market.create_market('ai', ARRAY['YES', 'NO'], oracle => :oracle, oracle_kind => 'ai') AS ai \gset
SELECT market.create_market('scalar', ARRAY['low', 'high'],
							outcome_ranges => ARRAY['(,0)'::numrange, '[0,10)']) AS sc \gset
SELECT market.place_order(:alice, market.outcome_id(:m, 1), 'buy', 10, 0.5) > 0;
SELECT market.place_order(:bob, market.outcome_id(:m, 2), 'buy', 10, 0.5) > 0;
SELECT count(*) FROM market.execute(:m);

---------------------------------------------------------------- resolve
SET ROLE tap_alice;
SELECT throws_ok(format('SELECT market.resolve(%s, market.outcome_id(%s, 1))', :m, :m),
	'42501', NULL, 'a trader cannot resolve');
RESET ROLE;
CREATE ROLE tap_other_oracle IN ROLE market_oracle;
SET ROLE tap_other_oracle;
SELECT throws_ok(format('SELECT market.resolve(%s, market.outcome_id(%s, 1))', :m, :m),
	'42501', format('permission denied to resolve market %s', (SELECT number FROM market.markets WHERE id = :m)),
	'an oracle that is not this market''s cannot resolve it');
RESET ROLE;
SELECT throws_ok(format('SELECT market.resolve(%s, market.outcome_id(%s, 1))', :m, :ai),
	'22023', NULL, 'resolve: an outcome of another market');
SELECT throws_ok(format('SELECT market.resolve(%s, 987654321)', :m),
	'P0002', 'outcome 987654321 does not exist', 'resolve: an id that is no outcome at all');
SELECT throws_ok('SELECT market.resolve(987654321, 1::bigint)', 'P0002', NULL, 'resolve: unknown market');
SELECT throws_ok(format('SELECT market.resolve(%s, ARRAY[0.5, 0.4])', :m),
	'22023', 'payouts must sum to 1', 'a payout vector must sum to 1');
SELECT throws_ok(format('SELECT market.resolve(%s, ARRAY[1.0])', :m),
	'22023', 'payouts must have one entry per outcome', 'a payout vector needs one entry per outcome');
SELECT throws_ok(format('SELECT market.resolve(%s, ARRAY[1.5, -0.5])', :m),
	'22003', NULL, 'a payout above 1 is refused');
SELECT throws_ok(format('SELECT market.resolve(%s, ARRAY[0.5000001, 0.4999999])', :m),
	'22023', 'payout has more than 6 decimal places', 'payouts are exact to the micro-unit');
SELECT throws_ok(format('SELECT market.resolve(%s, ARRAY[NULL, 1]::numeric[])', :m),
	'22004', NULL, 'a NULL payout is refused');
SELECT throws_ok(format('SELECT market.resolve(%s, NULL::numeric[])', :m),
	'22004', 'payouts must not be null', 'a NULL payout vector is refused');
SELECT throws_ok(format('SELECT market.resolve(%s, ARRAY[[0.5, 0.5]])', :m),
	'22023', 'payouts must be a one-dimensional array', 'a 2-D payout vector is refused');
SELECT throws_ok(format('SELECT market.resolve_value(%s, NULL)', :sc),
	'22004', 'value must not be null', 'resolve_value: NULL');
SELECT throws_ok(format('SELECT market.resolve_value(%s, 5)', :m),
	'22023', format('market %s has no outcome ranges', (SELECT number FROM market.markets WHERE id = :m)),
	'resolve_value needs a market with outcome ranges');
SELECT throws_ok(format('SELECT market.resolve_value(%s, 12)', :sc),
	'22023', NULL, 'a value in no outcome''s range is refused');
SELECT throws_ok(format('SELECT market.resolve_value(%s, ''NaN'')', :sc),
	'22023', 'value must be a finite number', 'resolve_value: NaN');
SELECT throws_ok(format('SELECT market.resolve_value(%s, ''Infinity'')', :sc),
	'22023', 'value must be a finite number', 'resolve_value: Infinity');
SELECT lives_ok(format('SELECT market.resolve_value(%s, -3)', :sc), 'resolve_value: -3 is low');
SELECT is((SELECT payouts FROM market.markets WHERE id = :sc), ARRAY[1000000, 0]::bigint[],
	'the bucket holding the value wins');

SET ROLE tap_oracle;
SELECT lives_ok(format('SELECT market.resolve(%s, market.outcome_id(%s, 1))', :m, :m),
	'the market''s oracle resolves it');
SELECT throws_ok(format('SELECT market.resolve(%s, market.outcome_id(%s, 2))', :m, :m),
	'55000', NULL, 'a market is resolved once');
SELECT throws_ok(format('SELECT market.finalize(%s)', :m),
	'55000', NULL, 'the oracle cannot finalize during the dispute window');
RESET ROLE;
SELECT throws_ok(format('SELECT market.place_order(%s, market.outcome_id(%s, 1), ''buy'', 1, 0.5)', :alice, :m),
	'55000', NULL, 'a resolved market takes no orders');

---------------------------------------------------------------- settle before final
SELECT throws_ok(format('SELECT * FROM market.settle(%s)', :m),
	'55000', NULL, 'nothing is paid before the report is final');
SET ROLE tap_alice;
SELECT throws_ok(format('SELECT * FROM market.settle(%s)', :m),
	'42501', 'permission denied to settle every position', 'a trader cannot settle everyone');
SELECT throws_ok(format('SELECT * FROM market.settle(%s, %s)', :m, :bob),
	'42501', NULL, 'a trader cannot settle another trader''s position');
SELECT throws_ok(format('SELECT * FROM market.settle(%s, 0)', :m),
	'P0002', 'account 0 does not exist', 'account 0 is not "everyone"');
RESET ROLE;
SELECT throws_ok(format('SELECT * FROM market.settle(%s, max_positions => 0)', :m),
	'22023', 'max_positions must be positive', 'max_positions must be positive');

---------------------------------------------------------------- dispute
SET ROLE tap_operator;
SELECT throws_ok(format('SELECT market.dispute(%s, ''no'')', :m), '42501', NULL, 'an operator cannot dispute');
RESET ROLE;
SELECT throws_ok(format('SELECT market.dispute(%s, '''')', :m), '22023', 'a dispute needs a reason',
	'a dispute needs a reason');
SELECT throws_ok(format('SELECT market.dispute(%s, ''x'')', :ai), '55000', NULL,
	'only a resolved market can be disputed');

---------------------------------------------------------------- finalize, ai oracles
SET ROLE tap_oracle;
SELECT lives_ok(format('SELECT market.resolve(%s, market.outcome_id(%s, 2))', :ai, :ai),
	'the ai agent reports');
SELECT throws_ok(format('SELECT market.finalize(%s)', :ai), '42501', NULL,
	'an ai report is final only when an admin confirms it');
RESET ROLE;
SELECT throws_ok(format('SELECT * FROM market.settle(%s)', :ai), '55000', NULL,
	'an unconfirmed ai report pays nothing');
SET ROLE tap_admin;
SELECT lives_ok(format('SELECT market.finalize(%s)', :ai), 'an admin confirms the ai report');
SELECT lives_ok(format('SELECT market.finalize(%s)', :m), 'an admin finalizes early');
RESET ROLE;
SELECT throws_ok(format('SELECT market.finalize(%s)', :m), '55000', NULL, 'finalized once');

---------------------------------------------------------------- settle
SET ROLE tap_alice;
SELECT results_eq(format('SELECT payout FROM market.settle(%s, %s)', :m, :alice),
	$$VALUES (10.000000::numeric)$$, 'a holder claims its own position: 10 YES pay 10');
RESET ROLE;
SELECT is((SELECT count(*) FROM market.settle(:m, :alice)), 0::bigint, 'a position is paid once');
SELECT is((SELECT sum(payout) FROM market.settle(:m)), 0.000000, 'the loser''s position settles for nothing');
SELECT is((SELECT collateral FROM market.market_overview WHERE id = :m), 0.000000,
	'every position settled: the collateral is exactly zero');
SELECT throws_ok(format('SELECT market.cancel_market(%s, ''late'')', :m), '55000', NULL,
	'a finalized market cannot be cancelled');

---------------------------------------------------------------- cancel_market, unknown markets
SELECT market.create_market('to cancel', ARRAY['YES', 'NO']) AS x \gset
SELECT throws_ok(format('SELECT market.cancel_market(%s, '''')', :x),
	'22023', 'cancelling a market needs a reason', 'cancelling needs a reason');
SET ROLE tap_alice;
SELECT throws_ok(format('SELECT market.cancel_market(%s, ''mine'')', :x), '42501', NULL,
	'a trader cannot cancel a market');
RESET ROLE;
SELECT lives_ok(format('SELECT market.cancel_market(%s, ''no interest'')', :x), 'an admin cancels it');
SELECT throws_ok(format('SELECT market.cancel_market(%s, ''again'')', :x), '55000',
	format('market %s is cancelled', (SELECT number FROM market.markets WHERE id = :x)),
	'a market is cancelled once');
SELECT throws_ok('SELECT market.finalize(987654321)', 'P0002', 'market 987654321 does not exist',
	'finalize: unknown market');
SELECT throws_ok('SELECT * FROM market.settle(987654321)', 'P0002', 'market 987654321 does not exist',
	'settle: unknown market');
SELECT throws_ok('SELECT market.dispute(987654321, ''x'')', 'P0002', 'market 987654321 does not exist',
	'dispute: unknown market');

---------------------------------------------------------------- after the window
SELECT market.create_market('quick', ARRAY['YES', 'NO'], oracle => :oracle) AS q \gset
SET ROLE tap_oracle;
SELECT lives_ok(format('SELECT market.resolve(%s, market.outcome_id(%s, 2))', :q, :q),
	'the oracle resolves a market with no dispute window');
RESET ROLE;
SET ROLE tap_other_oracle;
SELECT throws_ok(format('SELECT market.finalize(%s)', :q), '42501', NULL,
	'another market''s oracle cannot finalize it');
RESET ROLE;
SET ROLE tap_oracle;
SELECT lives_ok(format('SELECT market.finalize(%s)', :q),
	'and, the window being over, finalizes it itself');
RESET ROLE;
SELECT is((SELECT state FROM market.markets WHERE id = :q), 'finalized', 'the report is final');

SELECT * FROM finish();
ROLLBACK;
