#!/bin/sh
# The whole lifecycle of two markets, and the cancellation of a third, with
# no superuser after setup: every step is one psql connection as the login
# role that does it in production, in autocommit, so every check that runs
# at COMMIT runs for that role.  Sourced by test/roles/run.sh (common.sh
# loaded, the login roles created); $DB is a database with market installed.
#
# The steps marked "(failed before 72fffb0)" stopped there: the commit-time
# checks ran as the caller, and row-level security hid the collateral
# account's journal from traders and the journal itself from the oracle.

# market 1: batch, window 1 s; market 2: auto_execute; market 3: cancelled
step roles_admin "an admin opens accounts for the oracles" -d "$DB" <<'SQL'
SELECT market.create_account('oracle', 'roles_oracle');
SELECT market.create_account('oracle2', 'roles_oracle2');
SQL
for t in alice bob; do
	step roles_$t "trader $t opens its own account" -d "$DB" -v t=$t <<'SQL'
SELECT market.create_account(:'t');
DO $$ BEGIN
	ASSERT (SELECT owner::text FROM market.accounts) = current_user, 'not owned by its creator';
END $$;
SQL
done
step roles_admin "an admin creates a batch market, an auto_execute market and a third" -d "$DB" <<'SQL'
SELECT market.create_market('batch: rain in Paris?', ARRAY['YES', 'NO'],
       oracle => (SELECT id FROM market.accounts WHERE label = 'oracle'),
       dispute_window => '1 second');
SELECT market.create_market('auto: snow in Oslo?', ARRAY['YES', 'NO'],
       oracle => (SELECT id FROM market.accounts WHERE label = 'oracle'),
       auto_execute => true);
SELECT market.create_market('to be called off', ARRAY['YES', 'NO'],
       oracle => (SELECT id FROM market.accounts WHERE label = 'oracle'));
SQL
step roles_operator "the operator deposits for both traders" -d "$DB" <<'SQL'
SELECT market.deposit(id, 100, 'wire-' || label) FROM market.accounts WHERE label IN ('alice', 'bob');
DO $$ BEGIN
	ASSERT (SELECT sum(balance) FROM market.account_balances WHERE label IN ('alice', 'bob')) = 200;
END $$;
SQL

# trading: batch markets 1 and 3 wait for an auction; market 2 matches at once
step roles_alice "alice bids in the batch markets" -d "$DB" <<'SQL'
SELECT market.place_order(id, market.outcome_id(market.market_id(1), 1), 'buy', 10, 0.6) FROM market.accounts;
SELECT market.place_order(id, market.outcome_id(market.market_id(3), 1), 'buy', 10, 0.5) FROM market.accounts;
SQL
step roles_bob "bob offers in the batch markets (nothing matches yet)" -d "$DB" <<'SQL'
SELECT market.place_order(id, market.outcome_id(market.market_id(1), 1), 'sell', 10, 0.5) FROM market.accounts;
SELECT market.place_order(id, market.outcome_id(market.market_id(3), 1), 'sell', 10, 0.5) FROM market.accounts;
DO $$ BEGIN
	ASSERT (SELECT count(*) FROM market.executions) = 0, 'a batch market matched at placement';
END $$;
SQL
step roles_alice "alice bids in the auto_execute market" -d "$DB" <<'SQL'
SELECT market.place_order(id, market.outcome_id(market.market_id(2), 1), 'buy', 10, 0.55) FROM market.accounts;
SQL
step roles_bob "bob's crossing order in the auto_execute market matches and commits (failed before 72fffb0)" -d "$DB" <<'SQL'
SELECT market.place_order(id, market.outcome_id(market.market_id(2), 1), 'sell', 10, 0.5) FROM market.accounts;
DO $$ BEGIN
	ASSERT (SELECT count(*) FROM market.executions WHERE market = market.market_id(2)) = 1, 'no execution';
	ASSERT (SELECT sum(quantity) FROM market.fills) = 10000000, 'bob does not see his fill';
END $$;
SQL
step roles_operator "the operator runs the batch auctions" -d "$DB" <<'SQL'
SELECT count(*) FROM market.execute(market.market_id(1));
SELECT count(*) FROM market.execute(market.market_id(3));
DO $$ BEGIN
	ASSERT (SELECT count(*) FROM market.executions) = 3, 'the auctions matched nothing';
	ASSERT (SELECT count(*) FROM market.check_invariants()) = 0;
END $$;
SQL
step roles_alice "alice leaves a bid in the book of market 1" -d "$DB" <<'SQL'
SELECT market.place_order(id, market.outcome_id(market.market_id(1), 1), 'buy', 5, 0.4) FROM market.accounts;
SQL
step roles_bob "bob leaves an offer in the book of market 1" -d "$DB" <<'SQL'
SELECT market.place_order(id, market.outcome_id(market.market_id(1), 1), 'sell', 5, 0.7) FROM market.accounts;
SQL

# resolution: report with an open book, dispute, report again, finalize
step roles_oracle "the oracle resolves market 1 with an open book, cancelling it (failed before 72fffb0)" -d "$DB" <<'SQL'
SELECT market.resolve(market.market_id(1), market.outcome_id(market.market_id(1), 1));
DO $$ BEGIN
	ASSERT (SELECT state || '/' || open_orders FROM market.market_overview WHERE number = 1) = 'resolved/0';
END $$;
SQL
step roles_admin "an admin upholds a dispute" -d "$DB" <<'SQL'
SELECT market.dispute(market.market_id(1), 'it rained only in the suburbs');
DO $$ BEGIN
	ASSERT (SELECT state FROM market.markets WHERE number = 1) = 'closed';
END $$;
SQL
step roles_oracle "the oracle reports again, 0.3 / 0.7, and finalizes after the window" -d "$DB" <<'SQL'
SELECT market.resolve(market.market_id(1), ARRAY[0.3, 0.7]);
SELECT pg_sleep(greatest(0, extract(epoch FROM finalizes_at - now())) + 0.05)
  FROM market.markets WHERE number = 1;
SELECT market.finalize(market.market_id(1));
DO $$ BEGIN
	ASSERT (SELECT state FROM market.markets WHERE number = 1) = 'finalized';
END $$;
SQL
step roles_oracle "the oracle resolves the auto_execute market 0.5 / 0.5" -d "$DB" <<'SQL'
SELECT market.resolve(market.market_id(2), ARRAY[0.5, 0.5]);
SQL
step roles_operator "the operator finalizes it (its window is zero)" -d "$DB" <<'SQL'
SELECT market.finalize(market.market_id(2));
SQL

# claims: a fractional vector leaves collateral behind after the first claim
step roles_alice "alice claims her own payouts under fractional vectors (failed before 72fffb0)" -d "$DB" <<'SQL'
SELECT market.settle(market.market_id(1), id) FROM market.accounts;
SELECT market.settle(market.market_id(2), id) FROM market.accounts;
DO $$ BEGIN
	ASSERT (SELECT sum(amount) FROM market.settlements) = 3000000 + 5000000, 'alice was not paid 0.3 x 10 + 0.5 x 10';
	ASSERT (SELECT string_agg(result, ',' ORDER BY market_number) FROM market.positions_summary
	         WHERE market_number IN (1, 2)) = 'WON,WON';
END $$;
SQL
step roles_bob "bob claims his own payouts" -d "$DB" <<'SQL'
SELECT market.settle(market.market_id(1), id) FROM market.accounts;
SELECT market.settle(market.market_id(2), id) FROM market.accounts;
DO $$ BEGIN
	ASSERT (SELECT sum(amount) FROM market.settlements) = 7000000 + 5000000, 'bob was not paid 0.7 x 10 + 0.5 x 10';
END $$;
SQL

# cancellation and refunds
step roles_admin "an admin cancels market 3" -d "$DB" <<'SQL'
SELECT market.cancel_market(market.market_id(3), 'the question was badly worded');
SQL
step roles_alice "alice claims her refund" -d "$DB" <<'SQL'
SELECT market.settle(market.market_id(3), id) FROM market.accounts;
DO $$ BEGIN
	ASSERT (SELECT result FROM market.positions_summary WHERE market_number = 3) = 'REFUNDED';
END $$;
SQL
step roles_operator "the operator settles the other refunds" -d "$DB" <<'SQL'
SELECT count(*) FROM market.settle(market.market_id(3));
SQL

step roles_admin "at the end the invariants hold, every collateral is zero and the traders hold all the cash" -d "$DB" <<'SQL'
DO $$ BEGIN
	ASSERT NOT EXISTS (SELECT FROM market.check_invariants()), 'invariants violated';
	ASSERT (SELECT sum(collateral) FROM market.market_overview) = 0, 'collateral left';
	ASSERT (SELECT sum(balance) FROM market.account_balances WHERE label IN ('alice', 'bob')) = 200;
	ASSERT (SELECT count(*) FROM market.settlements WHERE paid_at IS NULL) = 0, 'unpaid settlements';
END $$;
SQL
