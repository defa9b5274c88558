-- Invariants 1-3 (SPEC section 13) are enforced by the extension's own
-- triggers, and check_invariants() finds a row corrupted behind their back.
-- A fresh extension, so this file does not depend on the others.
SET market.allow_drop = on;   -- the previous file's ledger holds entries
DROP EXTENSION market CASCADE;
RESET market.allow_drop;
CREATE EXTENSION market;

SELECT market.create_account('carol') AS carol \gset
SELECT market.create_account('dave') AS dave \gset
SELECT market.deposit(:carol, 40);
SELECT market.deposit(:dave, 60);
SELECT * FROM market.check_invariants();

-- The journal is append-only, even for a superuser.
UPDATE market.journal SET amount = amount WHERE account = :carol;
DELETE FROM market.journal WHERE account = :carol;
TRUNCATE market.journal;

-- A transfer whose entries do not sum to zero is refused.
INSERT INTO market.journal (transfer, account, amount, balance_after, kind)
VALUES (7, :carol, 1, 40000001, 'deposit');
-- Messages that name an account carry its snowflake id; from here on only
-- their SQLSTATE is shown (the pgTAP suites check the messages).
\set VERBOSITY sqlstate
-- An entry whose balance_after does not follow the last one is refused.
INSERT INTO market.journal (transfer, account, amount, balance_after, kind)
VALUES (8, :carol, 1000000, 99000000, 'deposit'), (8, 1, -1000000, NULL, 'deposit');
-- An entry for an account that does not exist is refused.
INSERT INTO market.journal (transfer, account, amount, balance_after, kind)
VALUES (9, 424242, 1000000, 1000000, 'deposit'), (9, 1, -1000000, NULL, 'deposit');

-- A balance changed without a journal entry is refused at commit.
BEGIN;
UPDATE market.accounts SET balance = balance + 1 WHERE id = :carol;
SELECT 'not checked yet' AS before_commit;
COMMIT;
SELECT market.balance(:carol);

-- locked must stay within the balance, immediately ...
UPDATE market.accounts SET locked = balance + 1 WHERE id = :carol;
-- ... and equal the escrow of open orders (none here), at commit.
BEGIN;
UPDATE market.accounts SET locked = 1 WHERE id = :carol;
COMMIT;

\set VERBOSITY default
-- Balance changes that come with their entries commit: the deferred check
-- looks at the last version of each row only.
BEGIN;
SELECT market.deposit(:carol, 1), market.deposit(:carol, 2), market.withdraw(:carol, 3);
COMMIT;

-- With triggers disabled (replica role), corruption goes in, and
-- check_invariants() reports every kind of it.
BEGIN;
SET LOCAL session_replication_role = replica;
UPDATE market.accounts SET balance = balance + 1 WHERE id = :carol;
UPDATE market.accounts SET balance = balance - 2, locked = 5 WHERE id = :dave;
INSERT INTO market.journal (transfer, account, amount, balance_after, kind)
VALUES (11, :dave, 2000000, 62000000, 'deposit'),
	   (12, 424242, 3000000, 3000000, 'deposit'),
	   (12, 1, -3000000, 7, 'deposit');
SELECT invariant, regexp_replace(detail, '[0-9]{15,}', '<id>', 'g') AS detail
  FROM market.check_invariants();
ROLLBACK;

SELECT * FROM market.check_invariants();
