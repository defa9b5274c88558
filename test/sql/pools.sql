-- Parimutuel pools (SPEC section 10, seed 001), each step as the role
-- that does it: traders commit, the oracle reports, an admin disputes,
-- finalizes and rolls back, the operator settles.  Every statement is its
-- own transaction, so the commit-time checks run for that role.
SET market.allow_drop = on;   -- the previous file's ledger holds entries
DROP EXTENSION market CASCADE;
RESET market.allow_drop;
CREATE EXTENSION market;
DO $$ BEGIN
	CREATE ROLE pools_alice IN ROLE market_trader;
	CREATE ROLE pools_bob IN ROLE market_trader;
	CREATE ROLE pools_carol IN ROLE market_trader;
	CREATE ROLE pools_dave IN ROLE market_trader;
	CREATE ROLE pools_oracle IN ROLE market_oracle;
	CREATE ROLE pools_admin IN ROLE market_admin;
	CREATE ROLE pools_operator IN ROLE market_operator;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;

SET ROLE pools_operator;
SELECT count(market.create_account(l, ('pools_' || l)::regrole)) FROM unnest(ARRAY['alice', 'bob', 'carol', 'dave']) l;
SELECT count(market.deposit(id, 1000)) FROM market.accounts WHERE label IN ('alice', 'bob', 'carol', 'dave');
SELECT market.create_account('erin') AS erin, market.create_account('oracle', 'pools_oracle') AS oracle \gset
RESET ROLE;
SELECT id AS alice FROM market.accounts WHERE label = 'alice' \gset
SELECT id AS bob FROM market.accounts WHERE label = 'bob' \gset
SELECT id AS carol FROM market.accounts WHERE label = 'carol' \gset
SELECT id AS dave FROM market.accounts WHERE label = 'dave' \gset
CREATE VIEW cash AS
SELECT label, balance, available FROM market.account_balances
 WHERE label IN ('alice', 'bob', 'carol', 'dave', 'erin') ORDER BY label;

------------------------------------------------------------------------
-- The worked example: three outcomes, 2% house fee, 1% creator fee (erin).
SET ROLE pools_admin;
SELECT market.create_market('Who wins the cup?', ARRAY['Ajax', 'Benfica', 'Celtic'],
		kind => 'parimutuel', oracle => :oracle, fee_bps => 200,
		creator => :erin, creator_fee_bps => 100, dispute_window => '1 hour') AS m \gset
SELECT number, kind, state, fee_bps, creator_fee_bps, closing_auction FROM market.markets WHERE id = :m;
RESET ROLE;
SELECT market.outcome_id(:m, 1) AS a, market.outcome_id(:m, 2) AS b, market.outcome_id(:m, 3) AS c \gset

-- five commitments mixing yes and no; alice holds two
SET ROLE pools_alice;
SELECT market.place_commitment(:alice, :a, 100) > 0 AS placed;
SELECT market.place_commitment(:alice, :c, 25, 'yes', idempotency_key => 'c-1') AS alice_c \gset
SELECT market.place_commitment(:alice, :c, 25, 'yes', idempotency_key => 'c-1') = :alice_c AS same_commitment;
SET ROLE pools_bob;
SELECT market.place_commitment(:bob, :b, 50, 'yes') > 0 AS placed;
SET ROLE pools_carol;
SELECT market.place_commitment(:carol, :a, 30, 'no') > 0 AS placed;
SET ROLE pools_dave;
SELECT market.place_commitment(:dave, :c, 23, "position" => 'no') > 0 AS placed;
RESET ROLE;

-- the pool per outcome: W, payout per 1.00, implied probability (public)
SET ROLE pools_oracle;
SELECT outcome_number, outcome_label, yes, no, pool, winning, fees, payout_per_unit, implied_probability
  FROM market.pool_outcomes WHERE market = :m ORDER BY outcome_number;
RESET ROLE;
-- a trader sees its own commitments only
SET ROLE pools_alice;
SELECT count(*) AS alice_sees, sum(amount) * 0.000001 AS committed FROM market.commitments;
RESET ROLE;
SELECT * FROM cash;

-- bad input changes nothing, each with its SQLSTATE
\set VERBOSITY sqlstate
SET ROLE pools_alice;
SELECT market.place_commitment(:alice, :a, 0);
SELECT market.place_commitment(:alice, :a, -5);
SELECT market.place_commitment(:alice, :a, 5, 'maybe');
SELECT market.place_commitment(:alice, :a, 5000);
SELECT market.place_commitment(:alice, 12345, 5);
SELECT market.place_commitment(:bob, :a, 5);
SELECT market.place_commitment(:alice, :c, 26, 'yes', idempotency_key => 'c-1');
SELECT market.place_order(:alice, :a, 'buy', 10, 0.5);
RESET ROLE;
SET ROLE pools_oracle;
SELECT market.resolve(:m, ARRAY[0, 1, 0]::numeric[]);
RESET ROLE;
\set VERBOSITY default
SELECT count(*) AS commitments, sum(amount) * 0.000001 AS pool FROM market.commitments WHERE market = :m;
SELECT * FROM cash;

-- Benfica wins: W = bob's 50 yes + carol's 30 no on Ajax + dave's 23 no
-- on Celtic = 103.  Pool 228: house 4.56, erin 2.28, 221.16 to share.
-- 221.16 * 50/103 = 107.359223.30..., * 30/103 = 64.415533.98...,
-- * 23/103 = 49.385242.71...; the 2 micro-units left go to the largest
-- remainders: carol and dave.
SET ROLE pools_oracle;
SELECT market.resolve(:m, :b);
RESET ROLE;
SELECT status, cause, refund, pool * 0.000001 AS pool, winning * 0.000001 AS winning,
	   house_fee * 0.000001 AS house_fee, creator_fee * 0.000001 AS creator_fee,
	   payouts * 0.000001 AS payouts, residue
  FROM market.distributions WHERE market = :m;
SELECT a.label, r.outcome_number, r.position, r.result, r.amount, r.share, r.payout, r.profit,
	   dc.base, dc.remainder, dc.rank, dc.bonus
  FROM market.distribution_results r JOIN market.accounts a ON a.id = r.account
  JOIN market.distribution_commitments dc ON dc.commitment = r.commitment AND dc.distribution = r.distribution
 WHERE r.market = :m ORDER BY r.commitment;
-- nothing is paid while the report can be disputed (55000)
\set VERBOSITY sqlstate
SET ROLE pools_operator;
SELECT * FROM market.settle(:m);
RESET ROLE;
\set VERBOSITY default

-- An admin disputes: the distribution is disputed, the oracle reports
-- again (Benfica again), which writes a new one.
SET ROLE pools_admin;
SELECT market.dispute(:m, 'the final was replayed');
RESET ROLE;
SET ROLE pools_oracle;
SELECT market.resolve(:m, :b);
RESET ROLE;
SELECT status, payouts * 0.000001 AS payouts FROM market.distributions WHERE market = :m ORDER BY id;
SELECT id AS d1 FROM market.distributions WHERE market = :m AND status = 'pending' \gset

-- finalize: completed, fees paid at once (house, and erin directly)
SET ROLE pools_admin;
SELECT market.finalize(:m);
RESET ROLE;
SELECT status FROM market.distributions WHERE id = :d1;
SELECT * FROM cash;
SELECT sum(amount) * 0.000001 AS house FROM market.journal WHERE account = 2;

-- bob claims his own; the operator settles the rest in batches of one
SET ROLE pools_bob;
SELECT a.label, s.payout FROM market.settle(:m, :bob) s JOIN market.accounts a ON a.id = s.account;
SET client_min_messages = warning;   -- the notice names the account id
SELECT * FROM market.settle(:m, :bob);
RESET client_min_messages;
RESET ROLE;
SET ROLE pools_operator;
SELECT a.label, s.payout FROM market.settle(:m, max_positions => 1) s JOIN market.accounts a ON a.id = s.account;
SELECT a.label, s.payout FROM market.settle(:m) s JOIN market.accounts a ON a.id = s.account ORDER BY 1;
SELECT * FROM market.settle(:m);
RESET ROLE;
SELECT * FROM cash;
SELECT balance FROM market.accounts WHERE id = (SELECT collateral FROM market.markets WHERE id = :m);
-- seed 001's per-account figures, and the audit
SELECT a.label, d.commitments, d.committed, d.payout, d.profit, d.loss, d.net, d.paid_at IS NOT NULL AS paid
  FROM market.distribution_accounts d JOIN market.accounts a ON a.id = d.account
 WHERE d.distribution = :d1 ORDER BY a.label;
SELECT status, pool = recorded_pool AS pool_ok, house_fee, recorded_house_fee, creator_fee,
	   recorded_creator_fee, commitments, mismatched, payouts, paid, payout_transfers,
	   fee_transfer IS NOT NULL AS fees_paid
  FROM market.distribution_audit WHERE distribution = :d1;
-- the journal transfers that paid it, each entry with its balance after
SELECT j.kind, a.label, j.amount * 0.000001 AS amount, j.balance_after * 0.000001 AS balance_after
  FROM market.journal j JOIN market.accounts a ON a.id = j.account
 WHERE j.market = :m AND j.kind IN ('fee', 'distribution')
 ORDER BY j.transfer, a.label;
SELECT market_number, commitments, total_committed, active_accounts, distribution_status, payouts, paid,
	   house_fee, creator_fee
  FROM market.pool_dashboard WHERE market = :m;

-- The rollback: every payout and fee reversed exactly, the market closed
-- again with its report cleared.  Admins only; a reason is required.
\set VERBOSITY sqlstate
SET ROLE pools_operator;
SELECT market.rollback_distribution(:d1, 'wrong winner');
RESET ROLE;
SET ROLE pools_admin;
SELECT market.rollback_distribution(:d1, '');
RESET ROLE;
\set VERBOSITY default
SET ROLE pools_admin;
SELECT market.rollback_distribution(:d1, 'the cup went to Ajax on appeal');
RESET ROLE;
SELECT state, payouts, resolved_at, finalized_at FROM market.markets WHERE id = :m;
SELECT status, rolled_back_by, rollback_reason, rollback_transfer IS NOT NULL AS reversed
  FROM market.distributions WHERE id = :d1;
SELECT * FROM cash;
SELECT sum(amount) * 0.000001 AS house FROM market.journal WHERE account = 2;
SELECT balance * 0.000001 AS collateral FROM market.accounts WHERE id = (SELECT collateral FROM market.markets WHERE id = :m);
-- rolling back a rolled-back distribution is an error (55000)
\set VERBOSITY sqlstate
SET ROLE pools_admin;
SELECT market.rollback_distribution(:d1, 'again');
RESET ROLE;
\set VERBOSITY default

-- The second resolution: Ajax.  W = alice's 100 yes + dave's 23 no on
-- Celtic = 123; 221.16 * 100/123 = 179.804878.04..., * 23/123 =
-- 41.355121.95...: the micro-unit left goes to dave.
SET ROLE pools_oracle;
SELECT market.resolve(:m, :a);
RESET ROLE;
SET ROLE pools_admin;
SELECT market.finalize(:m);
RESET ROLE;
-- a failure in the middle of a payout leaves nothing behind: a trigger
-- fails the batch after the journal and balances were written
CREATE FUNCTION fail_on_dave() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.account = current_setting('pools.dave')::bigint THEN
		RAISE EXCEPTION 'injected failure paying dave';
	END IF;
	RETURN NEW;
END $$;
SELECT set_config('pools.dave', :'dave', false) IS NOT NULL AS noted;
CREATE TRIGGER fail_on_dave BEFORE UPDATE ON market.settlements
	FOR EACH ROW EXECUTE FUNCTION fail_on_dave();
\set VERBOSITY terse
SET ROLE pools_operator;
SELECT a.label, s.payout FROM market.settle(:m) s JOIN market.accounts a ON a.id = s.account ORDER BY 1;
RESET ROLE;
\set VERBOSITY default
SELECT * FROM cash;
SELECT count(*) FILTER (WHERE paid_at IS NOT NULL) AS paid_rows, count(*) AS rows
  FROM market.settlements WHERE market = :m AND distribution <> :d1;
SELECT count(*) AS distribution_entries FROM market.journal j
 WHERE j.market = :m AND j.kind = 'distribution' AND j.transfer > (SELECT rollback_transfer FROM market.distributions WHERE id = :d1);
DROP TRIGGER fail_on_dave ON market.settlements;
SET ROLE pools_operator;
SELECT a.label, s.payout FROM market.settle(:m) s JOIN market.accounts a ON a.id = s.account ORDER BY 1;
RESET ROLE;
SELECT id AS d2 FROM market.distributions WHERE market = :m AND status = 'completed' \gset
SELECT * FROM cash;
SELECT a.label, d.committed, d.payout, d.profit, d.loss, d.net
  FROM market.distribution_accounts d JOIN market.accounts a ON a.id = d.account
 WHERE d.distribution = :d2 ORDER BY a.label;
SELECT d.id = :d1 AS first, d.status, s.account IS NOT NULL AS row, count(*)
  FROM market.distributions d LEFT JOIN market.settlements s ON s.distribution = d.id
 WHERE d.market = :m GROUP BY 1, 2, 3 ORDER BY 1, 2;

-- dave's settlements in the pool, as he sees them: the rolled-back
-- distribution's payout stays paid in the record, marked rolled back
SET ROLE pools_dave;
SELECT kind, amount, paid_at IS NOT NULL AS paid, distribution = :d1 AS first, rolled_back
  FROM market.account_settlements WHERE market = :m ORDER BY distribution;
RESET ROLE;

-- dave withdraws his winnings: a rollback now would take back cash he no
-- longer has, so it is refused (MK001, naming him) and changes nothing
SET ROLE pools_operator;
SELECT market.withdraw(:dave, market.available(:dave)) AS dave_left;
RESET ROLE;
SELECT set_config('pools.d2', :'d2', false) IS NOT NULL AS noted;
SELECT set_config('pools.dave', :'dave', false) IS NOT NULL AS noted;
SET ROLE pools_admin;
DO $$
DECLARE
	detail text;
BEGIN
	PERFORM market.rollback_distribution(current_setting('pools.d2')::bigint, 'second thoughts');
EXCEPTION WHEN SQLSTATE 'MK001' THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
	RAISE NOTICE 'MK001 %: %', replace(SQLERRM, current_setting('pools.d2'), 'd2'),
		replace(detail, current_setting('pools.dave'), 'dave');
END $$;
RESET ROLE;
SELECT status FROM market.distributions WHERE id = :d2;
SELECT state FROM market.markets WHERE id = :m;
SELECT * FROM cash;

------------------------------------------------------------------------
-- Binary pool: yes and no mixed; nobody on the winning side => refunds
SET ROLE pools_admin;
SELECT market.create_market('Rain tomorrow?', ARRAY['YES', 'NO'], kind => 'parimutuel',
		oracle => :oracle, fee_bps => 500) AS m2 \gset
RESET ROLE;
SET ROLE pools_alice;
SELECT market.place_commitment(:alice, market.outcome_id(:m2, 1), 10, 'no') > 0 AS placed;
SET ROLE pools_bob;
SELECT market.place_commitment(:bob, market.outcome_id(:m2, 2), 5, 'yes') > 0 AS placed;
RESET ROLE;
-- NO wins? then both won: alice's no on YES and bob's yes on NO.
-- YES wins: nobody won: full refunds and no fee.
SET ROLE pools_oracle;
SELECT market.resolve(:m2, market.outcome_id(:m2, 1));
RESET ROLE;
SELECT refund, pool * 0.000001 AS pool, house_fee, payouts * 0.000001 AS payouts
  FROM market.distributions WHERE market = :m2;
SET ROLE pools_admin;
SELECT market.finalize(:m2);
RESET ROLE;
SET ROLE pools_operator;
SELECT a.label, s.payout FROM market.settle(:m2) s JOIN market.accounts a ON a.id = s.account ORDER BY 1;
RESET ROLE;

-- A scalar pool: resolve_value picks the bucket; here the pool has a
-- single winner, who takes it all less the 1% fee
SET ROLE pools_admin;
SELECT market.create_market('Noon temperature', ARRAY['cold', 'mild', 'hot'], kind => 'parimutuel',
		oracle => :oracle, fee_bps => 100,
		outcome_ranges => ARRAY['(,10)'::numrange, '[10,25)', '[25,)']) AS m7 \gset
RESET ROLE;
SET ROLE pools_alice;
SELECT market.place_commitment(:alice, market.outcome_id(:m7, 2), 40) > 0 AS placed;
SET ROLE pools_bob;
SELECT market.place_commitment(:bob, market.outcome_id(:m7, 3), 60) > 0 AS placed;
RESET ROLE;
SET ROLE pools_oracle;
SELECT market.resolve_value(:m7, 17.5);
RESET ROLE;
SELECT o.number AS winner, d.pool * 0.000001 AS pool, d.house_fee * 0.000001 AS house_fee,
	   d.payouts * 0.000001 AS payouts
  FROM market.distributions d JOIN market.outcomes o ON o.id = d.outcome WHERE d.market = :m7;
SELECT a.label, r.result, r.payout FROM market.distribution_results r
  JOIN market.accounts a ON a.id = r.account WHERE r.market = :m7 ORDER BY a.label;

-- An empty pool resolves, finalizes and settles cleanly
SET ROLE pools_admin;
SELECT market.create_market('Nobody cares', ARRAY['YES', 'NO'], kind => 'parimutuel',
		oracle => :oracle, fee_bps => 100) AS m3 \gset
SELECT market.resolve(:m3, market.outcome_id(:m3, 2));
SELECT market.finalize(:m3);
RESET ROLE;
SET ROLE pools_operator;
SELECT * FROM market.settle(:m3);
RESET ROLE;
SELECT status, refund, pool, commitments, payouts FROM market.distributions WHERE market = :m3;

-- cancel_market refunds every commitment in full, no fee
SET ROLE pools_admin;
SELECT market.create_market('Called off', ARRAY['YES', 'NO', 'MAYBE'], kind => 'parimutuel',
		oracle => :oracle, fee_bps => 300) AS m4 \gset
RESET ROLE;
SET ROLE pools_carol;
SELECT market.place_commitment(:carol, market.outcome_id(:m4, 3), 7.5) > 0 AS placed;
SELECT market.place_commitment(:carol, market.outcome_id(:m4, 1), 2.5, 'no') > 0 AS placed;
RESET ROLE;
SET ROLE pools_oracle;
SELECT market.resolve(:m4, market.outcome_id(:m4, 3));
RESET ROLE;
SET ROLE pools_admin;
SELECT market.cancel_market(:m4, 'the question was ambiguous');
RESET ROLE;
SELECT cause, status, refund, house_fee * 0.000001 AS house_fee, payouts * 0.000001 AS payouts
  FROM market.distributions WHERE market = :m4 ORDER BY id;
SET ROLE pools_carol;
SELECT a.label, s.payout FROM market.settle(:m4, :carol) s JOIN market.accounts a ON a.id = s.account;
RESET ROLE;
SELECT kind, amount * 0.000001 AS amount FROM market.journal
 WHERE market = :m4 AND account = :carol ORDER BY transfer;
-- the refunds of a cancelled pool are final
\set VERBOSITY sqlstate
SET ROLE pools_admin;
SELECT market.rollback_distribution((SELECT id FROM market.distributions WHERE market = :m4 AND status = 'completed'), 'no');
RESET ROLE;
\set VERBOSITY default

-- An order-book market refuses commitments; order books work unchanged
SET ROLE pools_admin;
SELECT market.create_market('book', ARRAY['YES', 'NO']) AS m5 \gset
RESET ROLE;
\set VERBOSITY sqlstate
SET ROLE pools_alice;
SELECT market.place_commitment(:alice, market.outcome_id(:m5, 1), 1);
\set VERBOSITY default
SELECT market.place_order(:alice, market.outcome_id(:m5, 1), 'buy', 10, 0.5) > 0 AS placed;
RESET ROLE;

-- A commitment is part of the account's worth until its distribution
-- pays it: committing 10 leaves total unchanged and invested up 10.
SET ROLE pools_admin;
SELECT market.create_market('worth', ARRAY['YES', 'NO'], kind => 'parimutuel',
		oracle => :oracle) AS m8 \gset
RESET ROLE;
SET ROLE pools_bob;
SELECT balance, invested, market_value, total FROM market.account_summary WHERE account = :bob;
SELECT market.place_commitment(:bob, market.outcome_id(:m8, 1), 10) > 0 AS placed;
SELECT balance, invested, market_value, total FROM market.account_summary WHERE account = :bob;
RESET ROLE;
-- reported and final, not yet paid: still counted; once paid, not
SET ROLE pools_oracle;
SELECT market.resolve(:m8, market.outcome_id(:m8, 1));
RESET ROLE;
SET ROLE pools_admin;
SELECT market.finalize(:m8);
RESET ROLE;
SET ROLE pools_bob;
SELECT balance, invested, market_value, total FROM market.account_summary WHERE account = :bob;
SELECT s.payout FROM market.settle(:m8, :bob) s;
SELECT balance, invested, market_value, total FROM market.account_summary WHERE account = :bob;
RESET ROLE;

-- A pool has no book: execute refuses it like the order functions
-- (42809); execute_all runs no auction in it.
\set VERBOSITY sqlstate
SET ROLE pools_operator;
SELECT * FROM market.execute(:m8);
RESET ROLE;
\set VERBOSITY default

-- close_at passing closes a pool lazily: commitments are refused from
-- then on (55000), execute still refuses it (42809), and execute_all,
-- which touches every market (SPEC section 5), writes the close down
-- (without an auction) before the report.
SET ROLE pools_admin;
SELECT market.create_market('timed', ARRAY['YES', 'NO'], kind => 'parimutuel', oracle => :oracle,
		close_at => clock_timestamp() + interval '1 s') AS m9 \gset
RESET ROLE;
SET ROLE pools_carol;
SELECT market.place_commitment(:carol, market.outcome_id(:m9, 1), 3) > 0 AS placed;
RESET ROLE;
SELECT pg_sleep(1.2);
\set VERBOSITY sqlstate
SET ROLE pools_carol;
SELECT market.place_commitment(:carol, market.outcome_id(:m9, 1), 3);
RESET ROLE;
SET ROLE pools_operator;
SELECT * FROM market.execute(:m9);
SELECT market.execute_all() >= 0 AS ran;
RESET ROLE;
\set VERBOSITY default
SELECT state FROM market.markets WHERE id = :m9;
SET ROLE pools_oracle;
SELECT market.resolve(:m9, market.outcome_id(:m9, 1));
RESET ROLE;
SELECT e.name, e.payload->>'from' AS "from", e.payload->>'to' AS "to"
  FROM market.events e WHERE e.market = :m9 AND e.name LIKE 'market\_%' ORDER BY e.id;
SELECT status, pool * 0.000001 AS pool, commitments FROM market.distributions WHERE market = :m9;

-- every invariant holds
SELECT * FROM market.check_invariants();

-- check_invariants finds a pool changed behind the functions' back: a
-- commitment whose amount changed (the collateral and the distributions
-- no longer match it), a payout changed in the audit trail, a second
-- settlement paid
BEGIN;
UPDATE market.commitments SET amount = amount + 1 WHERE id = :alice_c;
SELECT invariant FROM market.check_invariants() ORDER BY 1;
ROLLBACK;
BEGIN;
UPDATE market.distribution_commitments SET base = base + 1, payout = payout + 1
 WHERE commitment = :alice_c AND distribution = :d1;
SELECT invariant FROM market.check_invariants() ORDER BY 1;
ROLLBACK;
BEGIN;
UPDATE market.settlements SET amount = amount + 1 WHERE distribution = :d2 AND account = :dave;
SELECT invariant FROM market.check_invariants() ORDER BY 1;
ROLLBACK;
-- and the commit-time check refuses a pool whose collateral no longer
-- matches its commitments (MK004)
SET ROLE pools_admin;
SELECT market.create_market('checked', ARRAY['YES', 'NO'], kind => 'parimutuel') AS m6 \gset
SET ROLE pools_carol;
SELECT market.place_commitment(:carol, market.outcome_id(:m6, 2), 1) > 0 AS placed;
RESET ROLE;
\set VERBOSITY sqlstate
BEGIN;
UPDATE market.commitments SET amount = amount + 1 WHERE market = :m6;
SET LOCAL ROLE pools_carol;
SELECT market.place_commitment(:carol, market.outcome_id(:m6, 1), 1) > 0 AS placed;
COMMIT;
-- a report shares out the whole collateral: commitments that no longer
-- add up to it are refused at once (MK004), before anything is written
BEGIN;
UPDATE market.commitments SET amount = amount + 1 WHERE market = :m6;
SET LOCAL ROLE pools_admin;
SELECT market.resolve(:m6, market.outcome_id(:m6, 1));
ROLLBACK;
\set VERBOSITY default
SELECT count(*) AS commitments FROM market.commitments WHERE market = :m6;
DROP VIEW cash;
