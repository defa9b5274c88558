-- The matching engine's rules (SPEC sections 7, 13) checked on real
-- auctions, and every rejection with its SQLSTATE.
\ir common.psql

SELECT plan(29);

SELECT count(market.create_account('x-' || i, 'tap_alice')) FROM generate_series(1, 6) i;
CREATE TEMP TABLE traders AS
SELECT id, row_number() OVER (ORDER BY id) AS n FROM market.accounts WHERE label LIKE 'x-%';
SELECT count(market.deposit(id, 1000)) FROM traders;
SELECT market.create_market('rules', ARRAY['A', 'B', 'C']) AS m \gset

-- A book that crosses every way at once: direct on A, a triangle of buys,
-- and sellers of every outcome.
SELECT count(*) FROM (
	SELECT market.place_order((SELECT id FROM traders WHERE n = 1), market.outcome_id(:m, 1), 'buy', 30, 0.45)
	UNION ALL SELECT market.place_order((SELECT id FROM traders WHERE n = 2), market.outcome_id(:m, 2), 'buy', 20, 0.35)
	UNION ALL SELECT market.place_order((SELECT id FROM traders WHERE n = 3), market.outcome_id(:m, 3), 'buy', 25, 0.33)
	UNION ALL SELECT market.place_order((SELECT id FROM traders WHERE n = 4), market.outcome_id(:m, 1), 'sell', 7.5, 0.40)
	UNION ALL SELECT market.place_order((SELECT id FROM traders WHERE n = 5), market.outcome_id(:m, 2), 'sell', 3.333333, 0.30)
	UNION ALL SELECT market.place_order((SELECT id FROM traders WHERE n = 6), market.outcome_id(:m, 3), 'sell', 11, 0.31)) p;
CREATE TEMP TABLE made AS SELECT * FROM market.execute(:m);

SELECT ok((SELECT count(*) FROM made) >= 2, 'the auction made several matches');
SELECT is((SELECT count(*) FROM made WHERE id NOT IN (SELECT id FROM market.executions)), 0::bigint,
	'execute returns the executions it recorded');
SELECT is((SELECT count(*) FROM made x
			WHERE (SELECT sum(paid) FROM market.fills f WHERE f.execution = x.id)
				  <> x.sets * x.quantity * 1000000),
	0::bigint, 'the legs of every match pay exactly K per unit');
SELECT is((SELECT count(*) FROM market.fills f JOIN market.orders o ON o.id = f.order_id
			WHERE f.paid > ceil(f.quantity::numeric
								* CASE WHEN o.side = 'buy' THEN o.price ELSE 1000000 - o.price END
								/ 1000000)),
	0::bigint, 'no leg pays more than its limit (rounded up to a micro-unit)');
SELECT is((SELECT count(*) FROM made x
			WHERE x.bids < x.sets), 0::bigint, 'every match crossed: bids sum to at least K');
SELECT is((SELECT count(*) FROM (SELECT f.execution, f.outcome, f.side, sum(f.quantity) AS q
								   FROM market.fills f GROUP BY 1, 2, 3) l
			JOIN made x ON x.id = l.execution WHERE l.q <> x.quantity * 1000000),
	0::bigint, 'every leg of a match fills the match quantity');
SELECT is((SELECT count(*) FROM (SELECT execution, account FROM market.fills
								  GROUP BY 1, 2 HAVING count(*) > 1) d),
	0::bigint, 'a match is made of orders from distinct accounts');
SELECT is((SELECT count(*) FROM market.journal j WHERE j.execution IN (SELECT id FROM made)
			GROUP BY j.transfer HAVING sum(amount) <> 0), NULL::bigint,
	'each match is one journal transfer summing to zero');
SELECT is((SELECT count(DISTINCT transfer) FROM market.journal WHERE execution IN (SELECT id FROM made)),
	(SELECT count(*) FROM made), 'one transfer per match');
SELECT is((SELECT min(coalesce(s, 0)) FROM (SELECT o.id, sum(h.quantity) s FROM market.outcomes o
			LEFT JOIN market.holdings h ON h.outcome = o.id WHERE o.market = :m GROUP BY o.id) x),
	(SELECT max(coalesce(s, 0)) FROM (SELECT o.id, sum(h.quantity) s FROM market.outcomes o
			LEFT JOIN market.holdings h ON h.outcome = o.id WHERE o.market = :m GROUP BY o.id) x),
	'every outcome has the same supply');
SELECT is((SELECT collateral FROM market.market_overview WHERE id = :m),
	(SELECT sum(h.quantity) * 0.000001 FROM market.holdings h
	  WHERE h.outcome = market.outcome_id(:m, 1)),
	'the collateral holds exactly the outstanding complete sets');
SELECT is((SELECT count(*) FROM market.holdings h
			WHERE h.market = :m
			  AND h.quantity > 0
			  AND (SELECT min(coalesce(h2.quantity, 0)) FROM market.outcomes o
					 LEFT JOIN market.holdings h2 ON h2.outcome = o.id AND h2.account = h.account
					WHERE o.market = :m) > 0),
	0::bigint, 'no account is left holding a complete set (they are redeemed)');
SELECT is((SELECT count(*) FROM market.check_invariants()), 0::bigint, 'every invariant holds');
SELECT is((SELECT array_agg(account ORDER BY account) FROM market.positions WHERE market = :m),
	(SELECT array_agg(DISTINCT account ORDER BY account) FROM market.fills WHERE market = :m),
	'every account that traded, and only those, has a position');
UPDATE market.holdings SET cost = cost + 1
 WHERE (account, outcome) IN (SELECT account, outcome FROM market.holdings WHERE market = :m AND quantity > 0 LIMIT 1);
SELECT is((SELECT count(*) FROM market.check_invariants() WHERE invariant = 'position_cost_basis'), 1::bigint,
	'a cost basis that no longer matches the cash paid in is reported');
UPDATE market.holdings SET cost = cost - 1
 WHERE (account, outcome) IN (SELECT account, outcome FROM market.holdings WHERE market = :m AND quantity > 0 LIMIT 1);
SELECT is((SELECT count(*) FROM market.execute(:m)), 0::bigint,
	'nothing crosses afterwards: a second auction matches nothing');
SELECT is((SELECT sum(balance) FROM market.account_balances WHERE kind IN ('user', 'collateral')),
	6000.000000, 'cash is conserved: traders and collateral hold what was deposited');

-- ioc orders do not outlive the auction.
SELECT market.create_account('x-ioc') AS ioc \gset
SELECT market.deposit(:ioc, 1);
SELECT market.place_order(:ioc, market.outcome_id(:m, 2), 'buy', 1, 0.01, 'ioc') > 0;
SELECT is((SELECT count(*) FROM market.execute(:m)), 0::bigint, 'an ioc bid far from the book does not fill');
SELECT is((SELECT count(*) FROM market.orders WHERE time_in_force = 'ioc' AND status = 'open'), 0::bigint,
	'and is cancelled by the auction');

---------------------------------------------------------------- rejections
SELECT throws_ok('SELECT * FROM market.execute(NULL)', '22004', 'market must not be null',
	'execute: NULL market');
SELECT throws_ok('SELECT * FROM market.execute(987654321)', 'P0002', 'market 987654321 does not exist',
	'execute: unknown market');
SELECT market.pause_market(:m);
SELECT throws_ok(format('SELECT * FROM market.execute(%s)', :m), '55000', NULL,
	'execute: a paused market is refused');
SELECT market.resume_market(:m);
SET ROLE tap_alice;
SELECT throws_ok(format('SELECT * FROM market.execute(%s)', :m), '42501', NULL,
	'execute: traders do not run auctions');
SELECT throws_ok('SELECT market.execute_all()', '42501', NULL,
	'execute_all: traders do not run auctions');
RESET ROLE;
SET ROLE tap_operator;
SELECT lives_ok(format('SELECT * FROM market.execute(%s)', :m), 'execute: operators run auctions');
RESET ROLE;

---------------------------------------------------------------- invariant 4
-- Each tamper runs inside throws_ok's subtransaction, so it is undone.
SELECT throws_ok(format($$UPDATE market.holdings SET quantity = quantity + 1
						  WHERE (account, outcome) IN (SELECT account, outcome FROM market.holdings
													   WHERE market = %s AND quantity > 0 LIMIT 1);
						  SET CONSTRAINTS market.holding_check IMMEDIATE$$, :m), 'MK004',
	format('outcomes of market %s have different supplies', (SELECT number FROM market.markets WHERE id = :m)),
	'a commit where one outcome''s supply differs is refused');
-- one more contract of every outcome for one account: supplies stay equal
SELECT throws_ok(format($$INSERT INTO market.holdings (account, outcome, market, quantity)
						  SELECT %s, o.id, o.market, 1000000 FROM market.outcomes o WHERE o.market = %s
						  ON CONFLICT (account, outcome) DO UPDATE SET quantity = market.holdings.quantity + 1000000;
						  SET CONSTRAINTS market.holding_check IMMEDIATE$$, :ioc, :m), 'MK004',
	format('collateral of market %s does not match its complete sets', (SELECT number FROM market.markets WHERE id = :m)),
	'a commit where collateral differs from the complete sets is refused');
SELECT throws_ok(format($$UPDATE market.accounts SET balance = balance + 1 WHERE id = %s;
						  SET CONSTRAINTS market.account_check IMMEDIATE$$,
						(SELECT collateral FROM market.markets WHERE id = :m)), 'MK004', NULL,
	'collateral changed without its journal is refused');
SELECT is((SELECT count(*) FROM market.check_invariants()), 0::bigint, 'and nothing of it stayed');

SELECT * FROM finish();
ROLLBACK;
