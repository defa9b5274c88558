#!/bin/sh
# A parimutuel pool's whole life with no superuser after setup: every step
# is one psql connection as the login role that does it, in autocommit, so
# the commit-time checks (the pool's collateral among them) run for that
# role.  Sourced by test/roles/run.sh (common.sh loaded, the login roles
# created); $DB is a fresh database with market installed.
#
# Three outcomes, 2% house and 1% creator fee.  alice commits 100 yes on 1
# and 25 yes on 3, bob 50 yes on 2 and 30 no on 1: a pool of 205, fees
# 4.10 + 2.05, 198.85 to share.  Outcome 2 wins: bob's two commitments
# (W = 80) take it all.  Rolled back, outcome 1 wins: alice's 100 takes it.

step roles_admin "pool: an admin opens the oracle's and the creator's accounts and the pool" -d "$DB" <<'SQL'
SELECT market.create_account('oracle', 'roles_oracle');
SELECT market.create_account('creator');
SELECT market.create_market('pool: who wins the cup?', ARRAY['Ajax', 'Benfica', 'Celtic'],
       kind => 'parimutuel', oracle => (SELECT id FROM market.accounts WHERE label = 'oracle'),
       fee_bps => 200, creator => (SELECT id FROM market.accounts WHERE label = 'creator'),
       creator_fee_bps => 100, dispute_window => '1 hour');
SQL
for t in alice bob; do
	step roles_$t "pool: trader $t opens its own account" -d "$DB" -v t=$t <<'SQL'
SELECT market.create_account(:'t');
SQL
done
step roles_operator "pool: the operator deposits 1000 for each trader" -d "$DB" <<'SQL'
SELECT market.deposit(id, 1000) FROM market.accounts WHERE label IN ('alice', 'bob');
SQL
step roles_alice "pool: alice commits 100 yes on Ajax and 25 yes on Celtic" -d "$DB" <<'SQL'
SELECT market.place_commitment(id, market.outcome_id(market.market_id(1), 1), 100) FROM market.accounts;
SELECT market.place_commitment(id, market.outcome_id(market.market_id(1), 3), 25, 'yes', 'celtic-1')
  FROM market.accounts;
DO $$ BEGIN
	ASSERT (SELECT count(*) FROM market.commitments) = 2, 'alice sees her two commitments';
	ASSERT (SELECT balance FROM market.account_balances) = 875;
END $$;
SQL
step roles_bob "pool: bob commits 50 yes on Benfica and 30 no on Ajax; he sees only his own" -d "$DB" <<'SQL'
SELECT market.place_commitment(id, market.outcome_id(market.market_id(1), 2), 50) FROM market.accounts;
SELECT market.place_commitment(id, market.outcome_id(market.market_id(1), 1), 30, 'no') FROM market.accounts;
DO $$ BEGIN
	ASSERT (SELECT count(*) FROM market.commitments) = 2, 'bob sees his own two only';
	ASSERT (SELECT pool FROM market.pool_outcomes WHERE outcome_number = 2) = 205;
	ASSERT (SELECT winning FROM market.pool_outcomes WHERE outcome_number = 2) = 80;
END $$;
SQL
step roles_oracle "pool: the oracle reports Benfica: a pending distribution" -d "$DB" <<'SQL'
SELECT market.resolve(market.market_id(1), market.outcome_id(market.market_id(1), 2));
DO $$ BEGIN
	ASSERT (SELECT status FROM market.distributions) = 'pending';
	ASSERT (SELECT payouts FROM market.distributions) = 198850000;
END $$;
SQL
step roles_admin "pool: an admin disputes; the distribution is disputed" -d "$DB" <<'SQL'
SELECT market.dispute(market.market_id(1), 'replayed');
DO $$ BEGIN
	ASSERT (SELECT status FROM market.distributions) = 'disputed';
END $$;
SQL
step roles_oracle "pool: the oracle reports Benfica again: a new distribution" -d "$DB" <<'SQL'
SELECT market.resolve(market.market_id(1), market.outcome_id(market.market_id(1), 2));
DO $$ BEGIN
	ASSERT (SELECT count(*) FROM market.distributions) = 2;
END $$;
SQL
step roles_admin "pool: an admin finalizes: fees paid to house and to the creator" -d "$DB" <<'SQL'
SELECT market.finalize(market.market_id(1));
DO $$ BEGIN
	ASSERT (SELECT balance FROM market.account_balances WHERE label = 'creator') = 2.05;
	ASSERT (SELECT balance FROM market.account_balances WHERE label = 'house') = 4.10;
END $$;
SQL
step roles_bob "pool: bob claims his payout" -d "$DB" <<'SQL'
SELECT market.settle(market.market_id(1), id) FROM market.accounts;
DO $$ BEGIN
	ASSERT (SELECT balance FROM market.account_balances) = 1118.85, 'bob 920 + 198.85';
	ASSERT (SELECT payout FROM market.distribution_accounts WHERE status = 'completed') = 198.85;
END $$;
SQL
step roles_operator "pool: the operator settles the rest" -d "$DB" <<'SQL'
SELECT count(*) FROM market.settle(market.market_id(1));
DO $$ BEGIN
	ASSERT (SELECT mismatched FROM market.distribution_audit WHERE status = 'completed') = 0;
END $$;
SQL
step roles_admin "pool: an admin rolls the distribution back: every balance as before, the market closed" -d "$DB" <<'SQL'
SELECT market.rollback_distribution((SELECT id FROM market.distributions WHERE status = 'completed'),
                                    'Ajax won on appeal');
DO $$ BEGIN
	ASSERT (SELECT state FROM market.markets) = 'closed';
	ASSERT (SELECT balance FROM market.account_balances WHERE label = 'bob') = 920;
	ASSERT (SELECT balance FROM market.account_balances WHERE label = 'alice') = 875;
	ASSERT (SELECT balance FROM market.account_balances WHERE label = 'creator') = 0;
	ASSERT (SELECT balance FROM market.account_balances WHERE label = 'house') = 0;
	ASSERT (SELECT rolled_back_by::text FROM market.distributions WHERE status = 'rolled_back') = 'roles_admin';
END $$;
SQL
step roles_oracle "pool: the oracle reports Ajax" -d "$DB" <<'SQL'
SELECT market.resolve(market.market_id(1), market.outcome_id(market.market_id(1), 1));
SQL
step roles_admin "pool: an admin finalizes" -d "$DB" <<'SQL'
SELECT market.finalize(market.market_id(1));
SQL
step roles_operator "pool: the operator settles everyone; alice is paid the second distribution" -d "$DB" <<'SQL'
SELECT count(*) FROM market.settle(market.market_id(1));
DO $$ BEGIN
	ASSERT (SELECT balance FROM market.account_balances WHERE label = 'alice') = 1073.85;
END $$;
SQL
step roles_operator "pool: the operator withdraws all of alice's cash" -d "$DB" <<'SQL'
SELECT market.withdraw(id, market.available(id)) FROM market.accounts WHERE label = 'alice';
SQL
step roles_admin "pool: a rollback is now refused (MK001) and changes nothing" -d "$DB" <<'SQL'
DO $$ BEGIN
	PERFORM market.rollback_distribution((SELECT id FROM market.distributions WHERE status = 'completed'), 'no');
	RAISE EXCEPTION 'the rollback was not refused';
EXCEPTION WHEN SQLSTATE 'MK001' THEN
	NULL;
END $$;
DO $$ BEGIN
	ASSERT (SELECT state FROM market.markets) = 'finalized';
	ASSERT NOT EXISTS (SELECT FROM market.check_invariants()), 'invariants violated';
	ASSERT (SELECT sum(collateral) FROM market.market_overview) = 0, 'collateral left';
END $$;
SQL
