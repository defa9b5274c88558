#!/bin/sh
# A distribution market's whole lifecycle as the login roles that do it in
# production, each step one psql connection in autocommit (so every
# commit-time check runs for that role): the admin backs and opens the
# market from an account it owns, the operator funds the traders, the
# traders trade and claim for their own accounts only, the oracle reports
# the value, the operator settles the rest in batches.  Sourced by
# test/roles/run.sh; $DB is a database with market installed.

step roles_operator "distribution: the operator opens and funds the liquidity account (the admin's) and the traders'" -d "$DB" <<'SQL'
SELECT market.deposit(market.create_account('liquidity', 'roles_admin'), 500);
SELECT market.deposit(market.create_account(l, ('roles_' || l)::regrole), 100)
  FROM unnest(ARRAY['alice', 'bob']) l;
SELECT market.create_account('oracle', 'roles_oracle');
SQL
step roles_operator "distribution: the operator cannot open a market" -d "$DB" <<'SQL'
DO $$ BEGIN
	PERFORM market.create_distribution_market('no', 0, 1, 1, (SELECT id FROM market.accounts WHERE label = 'liquidity'), 1);
	RAISE 'an operator opened a market';
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;
SQL
step roles_admin "distribution: the admin backs a market with its own account" -d "$DB" <<'SQL'
SELECT market.create_distribution_market('distribution: rainfall', 50, 10, 100,
       (SELECT id FROM market.accounts WHERE label = 'liquidity'), 5,
       oracle => (SELECT id FROM market.accounts WHERE label = 'oracle'), fee_bps => 100);
DO $$ BEGIN
	ASSERT (SELECT collateral_posted FROM market.distribution_overview) = 0;
	ASSERT (SELECT balance FROM market.account_balances WHERE label = 'liquidity') = 400;
END $$;
SQL
step roles_alice "distribution: alice trades for her own account (mean 55)" -d "$DB" <<'SQL'
SELECT market.trade_distribution(a.id, d.market, 55, 10, 21.213843)
  FROM market.accounts a, market.distribution_overview d;
DO $$ BEGIN
	ASSERT (SELECT balance FROM market.account_balances) = 100 - 21.003805 - 0.210038, 'alice paid the wrong amount';
END $$;
SQL
step roles_alice "distribution: alice cannot trade for an account she does not own" -d "$DB" <<'SQL'
DO $$ BEGIN
	PERFORM market.trade_distribution(d.liquidity_account, d.market, 50, 10, 100)
	   FROM market.distribution_markets d;
	RAISE 'alice traded for the liquidity account';
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;
SQL
step roles_operator "distribution: the operator trades for bob (mean 60, stddev 8)" -d "$DB" <<'SQL'
SELECT market.trade_distribution(a.id, d.market, 60, 8, 30.559444)
  FROM market.accounts a, market.distribution_overview d WHERE a.label = 'bob';
SQL
step roles_bob "distribution: bob sees only his own position" -d "$DB" <<'SQL'
DO $$ BEGIN
	ASSERT (SELECT count(*) FROM market.distribution_positions) = 1, 'bob sees other positions';
	ASSERT (SELECT collateral FROM market.distribution_account_positions) = 30.256876;
END $$;
SQL
step roles_oracle "distribution: the oracle reports the value 57" -d "$DB" <<'SQL'
SELECT market.resolve_value(market, 57) FROM market.distribution_overview;
SQL
step roles_alice "distribution: alice claims her own position" -d "$DB" <<'SQL'
SELECT market.settle(d.market, a.id) FROM market.accounts a, market.distribution_overview d;
DO $$ BEGIN
	ASSERT (SELECT status FROM market.distribution_account_positions) = 'settled';
	ASSERT (SELECT count(*) FROM market.settlements WHERE paid_at IS NOT NULL) = 1;
END $$;
SQL
step roles_operator "distribution: the operator settles the rest in batches of one" -d "$DB" <<'SQL'
SELECT count(*) FROM market.settle((SELECT market FROM market.distribution_overview), max_positions => 1);
SELECT count(*) FROM market.settle((SELECT market FROM market.distribution_overview), max_positions => 1);
DO $$ BEGIN
	ASSERT (SELECT count(*) FROM market.settlements WHERE paid_at IS NULL) = 0, 'unpaid settlements';
	ASSERT (SELECT collateral FROM market.market_overview) = 0, 'collateral left';
	ASSERT NOT EXISTS (SELECT FROM market.check_invariants()), 'invariants violated';
END $$;
SQL
