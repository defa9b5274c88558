-- Ids against numbers: markets and outcomes have snowflake ids and small
-- numbers.  A number passed where an id goes is refused with P0002 as
-- before, and the hint says it is a number and shows the call that gives
-- the id; an id that is neither gets no such hint.
\ir common.psql

SELECT plan(22);

-- The hint (or NULL) of the error a statement raises.
CREATE FUNCTION pg_temp.hint_of(statement text) RETURNS text
	LANGUAGE plpgsql AS $$
DECLARE
	hint text;
BEGIN
	EXECUTE statement;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS hint = PG_EXCEPTION_HINT;
	RETURN nullif(hint, '');
END
$$;

SELECT market.create_market('ids and numbers', ARRAY['YES', 'NO', 'MAYBE']) AS m \gset
SELECT number AS n FROM market.markets WHERE id = :m \gset
SELECT market.create_account('alice', 'tap_alice') AS alice \gset
SELECT market.deposit(:alice, 10) \g /dev/null

-- A market number where a market id goes.
SELECT throws_ok(format('SELECT market.pause_market(%s)', :n), 'P0002',
	format('market %s does not exist', :n), 'pause_market(number): still P0002');
SELECT is(pg_temp.hint_of(format('SELECT market.pause_market(%s)', :n)),
	format('Pass market.market_id(%s) to name market number %s.', :n, :n),
	'pause_market(number): the hint shows market.market_id(number)');
SELECT is(pg_temp.hint_of(format('SELECT * FROM market.execute(%s)', :n)),
	format('Pass market.market_id(%s) to name market number %s.', :n, :n),
	'execute(number): the same hint');
SELECT is(pg_temp.hint_of(format('SELECT * FROM market.settle(%s)', :n)),
	format('Pass market.market_id(%s) to name market number %s.', :n, :n),
	'settle(number): the same hint');
SELECT is(pg_temp.hint_of(format('SELECT market.cancel_order(%s, %s)', :alice, :n)),
	format('Pass market.market_id(%s) to name market number %s.', :n, :n),
	'cancel_order(account, number): the same hint');
SELECT is(pg_temp.hint_of(format($$SELECT market.dispute(%s, 'why')$$, :n)),
	format('Pass market.market_id(%s) to name market number %s.', :n, :n),
	'dispute(number): the same hint');
SELECT throws_ok(format($$SELECT * FROM market.candles(%s, '1 hour')$$, :n), 'P0002',
	format('market %s does not exist', :n), 'candles(number): P0002');
SELECT is(pg_temp.hint_of(format($$SELECT * FROM market.candles(%s, '1 hour')$$, :n)),
	format('Pass market.market_id(%s) to name market number %s.', :n, :n),
	'candles(number): the same hint');
SELECT throws_ok(format('SELECT market.outcome_id(%s, 1)', :n), 'P0002',
	format('market %s does not exist', :n), 'outcome_id(number, 1): the market is not found');
SELECT is(pg_temp.hint_of(format('SELECT market.outcome_id(%s, 1)', :n)),
	format('Pass market.market_id(%s) to name market number %s.', :n, :n),
	'outcome_id(number, 1): the hint shows market.market_id(number)');
SELECT is(market.outcome_id(market.market_id(:n), 1), market.outcome_id(:m, 1),
	'(the call the hint shows gives the id)');

-- An outcome number where an outcome id goes.
SELECT throws_ok(format('SELECT market.resolve(%s, 2::bigint)', :m), 'P0002',
	'outcome 2 does not exist', 'resolve(m, number): still P0002');
SELECT is(pg_temp.hint_of(format('SELECT market.resolve(%s, 2::bigint)', :m)),
	format('Pass market.outcome_id(%s, 2) to name outcome number 2.', :m),
	'resolve(m, number): the hint shows market.outcome_id(m, number) with the market''s id');
SELECT throws_ok(format($$SELECT market.place_order(%s, 2, 'buy', 1, 0.5)$$, :alice), 'P0002',
	'outcome 2 does not exist', 'place_order(account, number): still P0002');
SELECT is(pg_temp.hint_of(format($$SELECT market.place_order(%s, 2, 'buy', 1, 0.5)$$, :alice)),
	'Pass market.outcome_id(market, 2), with the market''s id, to name outcome number 2.',
	'place_order(account, number): the hint shows market.outcome_id(market, number)');
SELECT throws_ok(format($$SELECT market.place_order(%s, %s, 'buy', 1, 0.5)$$, :alice, :m), 'P0002',
	format('outcome %s does not exist', :m),
	'place_order with the market''s id as the outcome: P0002');

-- Ids that are neither get no number hint.
SELECT is(pg_temp.hint_of('SELECT market.pause_market(987654321)'), NULL,
	'pause_market(no such id or number): no hint');
SELECT is(pg_temp.hint_of('SELECT * FROM market.candles(987654321)'), NULL,
	'candles(no such id or number): no hint');
SELECT is(pg_temp.hint_of(format('SELECT market.resolve(%s, 987654321::bigint)', :m)),
	'Look the outcome up with market.outcome_id(market, number).',
	'resolve(m, no such id or number): the general hint');
SELECT is(pg_temp.hint_of(format('SELECT market.resolve(%s, 4::bigint)', :m)),
	'Look the outcome up with market.outcome_id(market, number).',
	'resolve(m, 4) in a market of three outcomes: the general hint, no promise of an outcome 4');

-- Nothing was changed by any of it.
SELECT is((SELECT state FROM market.markets WHERE id = :m), 'active', 'the market is still active');
SELECT is((SELECT count(*) FROM market.orders WHERE account = :alice), 0::bigint, 'no order was placed');

SELECT * FROM finish();
ROLLBACK;
