-- The drop guard: nothing drops market.journal while it holds entries,
-- unless a superuser sets market.allow_drop.  Every refusal is 55000 and
-- changes nothing.
SET market.allow_drop = on;   -- the previous file's ledger holds entries
DROP EXTENSION market CASCADE;
RESET market.allow_drop;

-- Off by default; only a superuser may turn it on.
SHOW market.allow_drop;
SELECT setting, context FROM pg_settings WHERE name = 'market.allow_drop';

-- An empty journal drops freely: a fresh install has no entries.
CREATE EXTENSION market;
SELECT count(*) AS entries FROM market.journal;
DROP EXTENSION market;
SELECT count(*) AS installed FROM pg_extension WHERE extname = 'market';

-- The extension is installed by a superuser of its own, so that DROP OWNED
-- BY its owner is tried too.
CREATE ROLE drop_guard_dba SUPERUSER NOLOGIN;
CREATE ROLE drop_guard_user NOLOGIN;
SET SESSION AUTHORIZATION drop_guard_dba;
CREATE EXTENSION market;
RESET SESSION AUTHORIZATION;
SELECT extowner::regrole FROM pg_extension WHERE extname = 'market';

-- The transaction that made the first entry cannot drop it either: its own
-- uncommitted entries count.  (The commit-time checks are run first, since
-- PostgreSQL will not drop a table with trigger events pending, 55006.)
BEGIN;
SELECT market.create_account('alice') AS alice \gset
SELECT market.deposit(:alice, 100);
SET CONSTRAINTS ALL IMMEDIATE;
\set VERBOSITY sqlstate
DROP EXTENSION market;
\set VERBOSITY default
ROLLBACK;

-- Now with committed entries.
SELECT market.create_account('alice') AS alice \gset
SELECT market.deposit(:alice, 100);
SELECT market.withdraw(:alice, 30);

-- A snapshot of everything the drops below must leave in place.
-- (A psql variable, not a view: a view on the journal would itself stop a
-- plain DROP with 2BP01.)
-- the extension's relations now, to compare with after each refusal
SELECT set_config('drop_guard.relations', count(*)::text, false) IS NOT NULL AS counted
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'market';
\set ledger_state 'SELECT (SELECT count(*) FROM pg_extension WHERE extname = ''market'') AS extension, (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ''market'') = current_setting(''drop_guard.relations'')::bigint AS relations_intact, (SELECT count(*) FROM market.journal) AS entries, (SELECT sum(balance) FROM market.accounts) AS sum_balance'
:ledger_state;

-- DROP EXTENSION, with or without CASCADE: the full message once.
DROP EXTENSION market;
\set VERBOSITY sqlstate
DROP EXTENSION market CASCADE;
DROP EXTENSION IF EXISTS market CASCADE;
-- DROP SCHEMA market CASCADE reaches the journal the same way.
DROP SCHEMA market CASCADE;
-- So does dropping everything its owner owns.
DROP OWNED BY drop_guard_dba;
DROP OWNED BY drop_guard_dba CASCADE;
\set VERBOSITY default
-- The table alone: PostgreSQL refuses to drop an extension's member...
DROP TABLE market.journal CASCADE;
-- ...and once a superuser detaches it, the guard still holds.
BEGIN;
ALTER EXTENSION market DROP TABLE market.journal;
\set VERBOSITY sqlstate
DROP TABLE market.journal CASCADE;
\set VERBOSITY default
ROLLBACK;
:ledger_state;
SELECT market.balance(:alice);

-- The ledger still works after the refusals.
SELECT market.deposit(:alice, 5);

-- A table of the same name outside the extension is not guarded.
CREATE TABLE public.journal (entry int);
INSERT INTO public.journal VALUES (1);
DROP TABLE public.journal;

-- A non-superuser cannot turn the guard off, however it tries.
SET SESSION AUTHORIZATION drop_guard_user;
\set VERBOSITY sqlstate
SET market.allow_drop = on;
BEGIN;
SET LOCAL market.allow_drop = on;
ROLLBACK;
SELECT set_config('market.allow_drop', 'on', false);
\set VERBOSITY default
SHOW market.allow_drop;
RESET SESSION AUTHORIZATION;

-- A superuser's SET LOCAL lets one transaction drop the ledger (rolled
-- back here, to keep it for the plain DROP EXTENSION below).
BEGIN;
SET LOCAL market.allow_drop = on;
DROP SCHEMA market CASCADE;
SELECT count(*) AS installed FROM pg_extension WHERE extname = 'market';
ROLLBACK;
SHOW market.allow_drop;
:ledger_state;

-- As a superuser, the DBA means it: the extension and its ledger go.
SET market.allow_drop = on;
DROP EXTENSION market;
SELECT count(*) AS installed FROM pg_extension WHERE extname = 'market';
SELECT count(*) AS schemas FROM pg_namespace WHERE nspname = 'market';
RESET market.allow_drop;

-- Leave a fresh extension for the next file, and no roles behind.
DROP ROLE drop_guard_dba;
DROP ROLE drop_guard_user;
CREATE EXTENSION market;
