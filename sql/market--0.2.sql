/* sql/market--0.2.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION market" to load this file. \quit

/*
 * Money is stored as bigint micro-units (1 = 0.000001) in every table; the
 * functions and views speak numeric.  Ids are snowflakes (market.snowflake())
 * except the two system accounts, which have fixed ids so that a dump
 * restored into a new database finds them where its journal says.
 */

-- The four roles of the exchange.  Roles are cluster-wide: they are made
-- here when missing and left in place by DROP EXTENSION.
DO $roles$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['market_admin', 'market_operator',
							 'market_trader', 'market_oracle']
	LOOP
		IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
			EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
		END IF;
	END LOOP;
END
$roles$;

-- The extension's internals: trigger functions and anything else that is
-- not part of the API, out of the way of \df market.*.  Nobody but the
-- extension's owner has USAGE on it.
CREATE SCHEMA market_internal;
COMMENT ON SCHEMA market_internal IS
	'internals of the market extension (trigger functions, shared checks); not an API';

CREATE FUNCTION market_internal.require_market(market bigint) RETURNS void
	AS 'MODULE_PATHNAME', 'market_require_market'
	LANGUAGE C STABLE SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION market_internal.require_market(bigint) IS
	'P0002 (with a hint when the id is a market number) unless the market exists; for the SQL functions';

------------------------------------------------------------------------------
-- Refuse to install without preloading: the library must be in
-- shared_preload_libraries, or every id (and so every write) fails later.
-- The check is whether the shared memory was set up at server start; it
-- raises 55000 with a hint naming the configuration file.  The function
-- serves this script only and is dropped again.
------------------------------------------------------------------------------

CREATE FUNCTION market_internal.require_preload() RETURNS void
	AS 'MODULE_PATHNAME', 'market_require_preload_sql'
	LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
SELECT market_internal.require_preload();
DROP FUNCTION market_internal.require_preload();

------------------------------------------------------------------------------
-- Identifiers
------------------------------------------------------------------------------

CREATE FUNCTION market.snowflake() RETURNS bigint
	AS 'MODULE_PATHNAME', 'market_snowflake'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION market.snowflake() IS
	'a new 64-bit time-ordered id, unique across backends';

CREATE FUNCTION market.snowflake_time(id bigint) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'market_snowflake_time'
	LANGUAGE C IMMUTABLE STRICT SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION market.snowflake_time(bigint) IS
	'the millisecond a snowflake id was generated in';

------------------------------------------------------------------------------
-- Accounts and the journal
------------------------------------------------------------------------------

CREATE TABLE market.accounts (
	id			bigint PRIMARY KEY,
	label		text,
	owner		regrole,
	kind		text NOT NULL DEFAULT 'user'
		CONSTRAINT accounts_kind CHECK (kind IN ('user', 'external', 'house', 'collateral', 'creator_fees')),
	balance		bigint NOT NULL DEFAULT 0,
	locked		bigint NOT NULL DEFAULT 0,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT accounts_locked_within_balance CHECK (0 <= locked AND locked <= balance),
	CONSTRAINT accounts_entry_only CHECK (kind NOT IN ('external', 'house')
										  OR (balance = 0 AND locked = 0))
);
COMMENT ON TABLE market.accounts IS
	'cash accounts; balance and locked in micro-units (external and house keep theirs in the journal only)';

CREATE TABLE market.journal (
	transfer	bigint NOT NULL,
	account		bigint NOT NULL,
	amount		bigint NOT NULL CONSTRAINT journal_amount_nonzero CHECK (amount <> 0),
	balance_after bigint,
	kind		text NOT NULL CONSTRAINT journal_kind CHECK (kind IN
		('deposit', 'withdrawal', 'trade', 'mint', 'redeem', 'payout', 'refund',
		 'fee', 'commitment', 'distribution', 'rollback')),
	market		bigint,
	order_id	bigint,
	execution	bigint,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	-- one entry per account and transfer; also each account's entries in
	-- order, which the balance checks probe (its last one, the one before
	-- a new entry).  The only index: a second one, (transfer, account),
	-- would cost every entry a write and serves no query, and the planner
	-- would scan it backwards for an account's last entry.
	CONSTRAINT journal_account_transfer PRIMARY KEY (account, transfer)
);
COMMENT ON TABLE market.journal IS
	'double-entry journal: one entry per account a transfer touches; append-only; amounts in micro-units';

CREATE TABLE market.events (
	id			bigint PRIMARY KEY,
	name		text NOT NULL,
	market		bigint,
	account		bigint,
	payload		jsonb NOT NULL DEFAULT '{}',
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX events_account ON market.events (account) WHERE account IS NOT NULL;
COMMENT ON TABLE market.events IS
	'one row per state change; each is also sent as NOTIFY market_events';

CREATE TABLE market.idempotency (
	account		bigint NOT NULL,
	key			text NOT NULL,
	request		text NOT NULL,
	result		bigint NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (account, key)
);
COMMENT ON TABLE market.idempotency IS
	'idempotency keys per account: the request made with each key and the id of its result';

-- The system accounts.
INSERT INTO market.accounts (id, label, kind) VALUES
	(1, 'external', 'external'),
	(2, 'house', 'house');

-- pg_dump keeps the data; the system accounts come back with the extension.
SELECT pg_catalog.pg_extension_config_dump('market.accounts',
										   'WHERE kind NOT IN (''external'', ''house'')');
SELECT pg_catalog.pg_extension_config_dump('market.journal', '');
SELECT pg_catalog.pg_extension_config_dump('market.events', '');
SELECT pg_catalog.pg_extension_config_dump('market.idempotency', '');

------------------------------------------------------------------------------
-- Invariant triggers (SPEC section 13, invariants 1-3)
------------------------------------------------------------------------------

-- The journal is append-only.
CREATE FUNCTION market_internal.journal_append_only() RETURNS trigger
	AS 'MODULE_PATHNAME', 'market_journal_append_only'
	LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE TRIGGER journal_no_update_delete BEFORE UPDATE OR DELETE ON market.journal
	FOR EACH ROW EXECUTE FUNCTION market_internal.journal_append_only();
CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON market.journal
	FOR EACH STATEMENT EXECUTE FUNCTION market_internal.journal_append_only();

-- Invariants 1 and 2, per INSERT statement: the entries of each transfer
-- sum to zero, every entry names an existing account, and each entry's
-- balance_after is the account's previous balance_after plus its amount
-- (NULL for external and house, which keep no running balance).  The
-- extension writes each transfer with one INSERT.
CREATE FUNCTION market_internal.journal_check() RETURNS trigger
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	bad record;
BEGIN
	SELECT n.transfer, sum(n.amount) AS total INTO bad
	  FROM new_entries n
	 GROUP BY n.transfer
	HAVING sum(n.amount) <> 0
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'transfer % does not balance', bad.transfer
			USING ERRCODE = 'MK004',
				  DETAIL = format('Its entries sum to %s.', bad.total * 0.000001);
	END IF;

	-- The chain: each new entry follows the one before it on its account,
	-- a new one of the same statement or else the last one already there
	-- (one index probe per account, not per entry).
	SELECT n.transfer, n.account, n.amount, n.balance_after, a.kind,
		   coalesce(n.prev_new, p.balance_after, 0) AS previous INTO bad
	  FROM (SELECT e.*,
				   lag(e.balance_after) OVER w AS prev_new,
				   row_number() OVER w AS rn
			  FROM new_entries e
			WINDOW w AS (PARTITION BY e.account ORDER BY e.transfer)) n
	  LEFT JOIN market.accounts a ON a.id = n.account
	  LEFT JOIN LATERAL (SELECT j.balance_after
						   FROM market.journal j
						  WHERE n.rn = 1 AND a.kind NOT IN ('external', 'house')
							AND j.account = n.account AND j.transfer < n.transfer
						  ORDER BY j.transfer DESC
						  LIMIT 1) p ON true
	 WHERE a.id IS NULL
		OR (a.kind IN ('external', 'house')) <> (n.balance_after IS NULL)
		OR n.balance_after <> coalesce(n.prev_new, p.balance_after, 0) + n.amount
	 LIMIT 1;
	IF FOUND THEN
		IF bad.kind IS NULL THEN
			RAISE EXCEPTION 'journal entry of transfer % names account %, which does not exist',
				bad.transfer, bad.account
				USING ERRCODE = 'MK004';
		END IF;
		RAISE EXCEPTION 'journal entry of transfer % breaks the balance chain of account %',
			bad.transfer, bad.account
			USING ERRCODE = 'MK004',
				  DETAIL = format('balance_after is %s; the previous balance %s plus the amount %s is %s.',
								  coalesce((bad.balance_after * 0.000001)::text, 'NULL'),
								  bad.previous * 0.000001, bad.amount * 0.000001,
								  (bad.previous + bad.amount) * 0.000001);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER journal_check AFTER INSERT ON market.journal
	REFERENCING NEW TABLE AS new_entries
	FOR EACH STATEMENT EXECUTE FUNCTION market_internal.journal_check();

-- Invariants 2 and 3, at commit, for every account row changed: its balance
-- is the balance_after of its last journal entry, and locked is the escrow
-- of its open orders.  It runs as whoever commits; the C code reads as the
-- table's owner, so row-level security hides nothing it must see.
CREATE FUNCTION market_internal.account_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'market_account_check'
	LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE CONSTRAINT TRIGGER account_check AFTER UPDATE ON market.accounts
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION market_internal.account_check();

------------------------------------------------------------------------------
-- Ledger functions
------------------------------------------------------------------------------

CREATE FUNCTION market.create_account(label text DEFAULT NULL, owner regrole DEFAULT NULL)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'market_create_account'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.deposit(account bigint, amount numeric, idempotency_key text DEFAULT NULL)
	RETURNS numeric
	AS 'MODULE_PATHNAME', 'market_deposit'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.withdraw(account bigint, amount numeric, idempotency_key text DEFAULT NULL)
	RETURNS numeric
	AS 'MODULE_PATHNAME', 'market_withdraw'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.balance(account bigint) RETURNS numeric
	AS 'MODULE_PATHNAME', 'market_balance'
	LANGUAGE C STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.available(account bigint) RETURNS numeric
	AS 'MODULE_PATHNAME', 'market_available'
	LANGUAGE C STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.check_invariants()
	RETURNS TABLE (invariant text, detail text)
	AS 'MODULE_PATHNAME', 'market_check_invariants'
	LANGUAGE C STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

------------------------------------------------------------------------------
-- Markets, outcomes, orders, holdings
------------------------------------------------------------------------------

CREATE TABLE market.markets (
	id			bigint PRIMARY KEY,
	number		integer NOT NULL UNIQUE,
	description	text NOT NULL,
	kind		text NOT NULL CONSTRAINT markets_kind CHECK (kind IN ('orderbook', 'parimutuel', 'distribution')),
	state		text NOT NULL DEFAULT 'active' CONSTRAINT markets_state CHECK (state IN
		('active', 'paused', 'closed', 'resolved', 'finalized', 'cancelled')),
	tick		bigint NOT NULL CONSTRAINT markets_tick CHECK (tick IN (100000, 10000, 1000, 100)),
	close_at	timestamptz,
	oracle		bigint,
	oracle_kind	text NOT NULL CONSTRAINT markets_oracle_kind CHECK (oracle_kind IN ('manual', 'ai')),
	fee_bps		integer NOT NULL CHECK (fee_bps BETWEEN 0 AND 10000),
	creator		bigint,
	creator_fee_bps integer NOT NULL CHECK (creator_fee_bps BETWEEN 0 AND 10000),
	dispute_window interval NOT NULL,
	auto_execute boolean NOT NULL,
	collateral	bigint NOT NULL UNIQUE,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	closed_at	timestamptz,
	payouts		bigint[],		-- the report: per outcome number, micro-units, sum 1000000
	resolved_at	timestamptz,
	resolved_by	regrole,
	finalizes_at timestamptz,	-- end of the dispute window
	finalized_at timestamptz,
	cancelled_at timestamptz,
	cancel_reason text,
	closing_auction boolean NOT NULL,	-- one last auction when it closes (false in 0.1 markets)
	creator_fees bigint,		-- the account its creator fees accrue in (NULL without a creator fee)
	final_value	bigint,			-- a distribution market's report, micro-units
	-- how an auction shares a price level's fill among its orders
	allocation	text NOT NULL DEFAULT 'pro_rata'
		CONSTRAINT markets_allocation CHECK (allocation IN ('pro_rata', 'price_time')),
	CONSTRAINT markets_fees CHECK (fee_bps + creator_fee_bps <= 10000),
	-- a distribution market reports a value, every other kind a payout vector
	CONSTRAINT markets_report CHECK (CASE WHEN kind = 'distribution'
		THEN payouts IS NULL AND (final_value IS NOT NULL) = (state IN ('resolved', 'finalized'))
		ELSE final_value IS NULL AND (payouts IS NOT NULL) = (state IN ('resolved', 'finalized')) END)
);
COMMENT ON TABLE market.markets IS
	'markets; tick in micro-units; state as last written (see market.market_overview for close_at)';
COMMENT ON COLUMN market.markets.closing_auction IS
	'whether the market runs one last auction on its book when it closes (false for markets made in 0.1)';
COMMENT ON COLUMN market.markets.allocation IS
	'how an auction shares a price level''s fill among its orders: pro_rata (by quantity) or price_time (oldest first)';

CREATE TABLE market.outcomes (
	id			bigint PRIMARY KEY,
	market		bigint NOT NULL REFERENCES market.markets (id),
	number		integer NOT NULL,
	label		text NOT NULL,
	bucket		numrange,
	last_price	bigint,
	UNIQUE (market, number)
);
COMMENT ON TABLE market.outcomes IS
	'the mutually exclusive outcomes of each market, numbered 1..N; bucket for scalar markets; last trade price in micro-units';

CREATE TABLE market.orders (
	id			bigint PRIMARY KEY,
	account		bigint NOT NULL,
	market		bigint NOT NULL,
	outcome		bigint NOT NULL,
	side		text NOT NULL CONSTRAINT orders_side CHECK (side IN ('buy', 'sell')),
	price		bigint NOT NULL CONSTRAINT orders_price CHECK (price > 0 AND price <= 1000000),
	quantity	bigint NOT NULL CONSTRAINT orders_quantity CHECK (quantity >= 0),
	original	bigint NOT NULL CONSTRAINT orders_original CHECK (original > 0),
	escrow		bigint NOT NULL CONSTRAINT orders_escrow CHECK (escrow >= 0),
	time_in_force text NOT NULL CONSTRAINT orders_tif CHECK (time_in_force IN ('gtc', 'gtd', 'ioc')),
	expires_at	timestamptz,
	status		text NOT NULL DEFAULT 'open'
		CONSTRAINT orders_status CHECK (status IN ('open', 'filled', 'cancelled')),
	cancel_reason text,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	closed_at	timestamptz,
	CONSTRAINT orders_open_has_quantity CHECK (status <> 'open' OR quantity > 0),
	CONSTRAINT orders_closed_has_no_escrow CHECK (status = 'open' OR escrow = 0),
	CONSTRAINT orders_gtd_expires CHECK ((time_in_force = 'gtd') = (expires_at IS NOT NULL))
);
-- one open order per account and market; also the account's open orders
CREATE UNIQUE INDEX orders_one_open ON market.orders (account, market) WHERE status = 'open';
-- the book, in the order the auction reads it: each side best price first
-- (bids by descending price, asks ascending), then the older order; a
-- placement in an auto_execute market reads only the range it can reach
CREATE INDEX orders_book ON market.orders
	(market, outcome, side, (CASE WHEN side = 'buy' THEN -price ELSE price END), id)
	WHERE status = 'open';
COMMENT ON TABLE market.orders IS
	'limit orders; price, quantity (open remainder), original and escrow in micro-units';

CREATE TABLE market.holdings (
	account		bigint NOT NULL,
	outcome		bigint NOT NULL,
	market		bigint NOT NULL,
	quantity	bigint NOT NULL CONSTRAINT holdings_not_negative CHECK (quantity >= 0),
	cost		bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (account, outcome),
	CONSTRAINT holdings_cost CHECK (cost >= 0 AND (quantity > 0 OR cost = 0))
);
CREATE INDEX holdings_market ON market.holdings (market);
COMMENT ON TABLE market.holdings IS
	'contracts held per account and outcome, and their cost basis, in micro-units; never negative';

CREATE TABLE market.positions (
	account		bigint NOT NULL,
	market		bigint NOT NULL,
	realized	bigint NOT NULL DEFAULT 0,
	payout		bigint,			-- set when settled
	settled_at	timestamptz,
	updated_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	PRIMARY KEY (account, market)
);
CREATE INDEX positions_market ON market.positions (market);

CREATE TABLE market.settlements (
	market		bigint NOT NULL,
	account		bigint NOT NULL,
	kind		text NOT NULL CONSTRAINT settlements_kind CHECK (kind IN ('payout', 'refund')),
	amount		bigint NOT NULL CONSTRAINT settlements_amount CHECK (amount >= 0),
	cost		bigint NOT NULL,
	paid_at		timestamptz,
	transfer	bigint,
	distribution bigint,		-- a pool's payout distribution (NULL for order books)
	position	bigint,			-- a distribution market's position (NULL otherwise)
	CONSTRAINT settlements_key UNIQUE NULLS NOT DISTINCT (market, account, distribution, position)
);
COMMENT ON TABLE market.settlements IS
	'what each holder of a finalized or cancelled market is owed (fixed once, adding up to the collateral), and when it was paid';
COMMENT ON TABLE market.positions IS
	'each account''s position in a market: realized P&L in micro-units (holdings carry the cost of what is still held)';

CREATE TABLE market.executions (
	id			bigint PRIMARY KEY,
	market		bigint NOT NULL,
	kind		text NOT NULL CONSTRAINT executions_kind CHECK (kind IN ('direct', 'synthetic', 'merge')),
	outcome		integer,
	quantity	numeric NOT NULL,
	sets		integer NOT NULL,
	bids		numeric NOT NULL,
	surplus		numeric NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX executions_market ON market.executions (market, id);
COMMENT ON TABLE market.executions IS
	'matches made by execute(): kind, quantity per leg, complete sets per unit (K), sum of bids per unit (S) and surplus per unit (S - K), in cash units';
COMMENT ON COLUMN market.executions.outcome IS 'the outcome number of a direct match';

CREATE TABLE market.fills (
	execution	bigint NOT NULL,
	order_id	bigint NOT NULL,
	account		bigint NOT NULL,
	market		bigint NOT NULL,
	outcome		bigint NOT NULL,
	side		text NOT NULL,
	quantity	bigint NOT NULL CONSTRAINT fills_quantity CHECK (quantity > 0),
	price		bigint NOT NULL,
	paid		bigint NOT NULL CONSTRAINT fills_paid CHECK (paid >= 0),
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	fee			bigint NOT NULL DEFAULT 0 CONSTRAINT fills_fee CHECK (fee >= 0),
	creator_fee bigint NOT NULL DEFAULT 0 CONSTRAINT fills_creator_fee CHECK (creator_fee >= 0),
	PRIMARY KEY (execution, order_id)
);
CREATE INDEX fills_account ON market.fills (account, order_id);
-- each outcome's last fills, for its exact mark (market_internal.marks)
CREATE INDEX fills_outcome ON market.fills (outcome, execution);
COMMENT ON TABLE market.fills IS
	'every party of every execution: quantity, effective price (a sell''s is 1 minus what it paid per unit), cash paid into the match and the house and creator fees paid on top, in micro-units';

SELECT pg_catalog.pg_extension_config_dump('market.markets', '');
SELECT pg_catalog.pg_extension_config_dump('market.outcomes', '');
SELECT pg_catalog.pg_extension_config_dump('market.orders', '');
SELECT pg_catalog.pg_extension_config_dump('market.holdings', '');
SELECT pg_catalog.pg_extension_config_dump('market.positions', '');
SELECT pg_catalog.pg_extension_config_dump('market.settlements', '');
SELECT pg_catalog.pg_extension_config_dump('market.executions', '');
SELECT pg_catalog.pg_extension_config_dump('market.fills', '');

CREATE FUNCTION market.create_market(description text, outcomes text[],
		tick_size numeric DEFAULT 0.01, close_at timestamptz DEFAULT NULL,
		oracle bigint DEFAULT NULL, oracle_kind text DEFAULT 'manual',
		kind text DEFAULT 'orderbook', fee_bps int DEFAULT 0,
		creator bigint DEFAULT NULL, creator_fee_bps int DEFAULT 0,
		dispute_window interval DEFAULT '0', outcome_ranges numrange[] DEFAULT NULL,
		auto_execute boolean DEFAULT false, closing_auction boolean DEFAULT true,
		allocation text DEFAULT 'pro_rata')
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'market_create_market'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.outcome_id(market bigint, number int) RETURNS bigint
	AS 'MODULE_PATHNAME', 'market_outcome_id'
	LANGUAGE C STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.market_id(number int) RETURNS bigint
	AS 'MODULE_PATHNAME', 'market_market_id'
	LANGUAGE C STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.pause_market(market bigint) RETURNS void
	AS 'MODULE_PATHNAME', 'market_pause_market'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.resume_market(market bigint) RETURNS void
	AS 'MODULE_PATHNAME', 'market_resume_market'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.close_market(market bigint) RETURNS void
	AS 'MODULE_PATHNAME', 'market_close_market'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.place_order(account bigint, outcome bigint, side text,
		quantity numeric, price numeric, time_in_force text DEFAULT 'gtc',
		expires_at timestamptz DEFAULT NULL, amount numeric DEFAULT NULL,
		idempotency_key text DEFAULT NULL)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'market_place_order'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.replace_order(account bigint, outcome bigint, side text,
		quantity numeric, price numeric, time_in_force text DEFAULT 'gtc',
		expires_at timestamptz DEFAULT NULL, amount numeric DEFAULT NULL,
		idempotency_key text DEFAULT NULL)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'market_replace_order'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.execute(market bigint) RETURNS SETOF market.executions
	AS 'MODULE_PATHNAME', 'market_execute'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	ROWS 10;

CREATE FUNCTION market.execute_all() RETURNS bigint
	AS 'MODULE_PATHNAME', 'market_execute_all'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

-- Invariant 4, at commit, once per market changed: every outcome of the
-- market has the same supply, and the collateral holds exactly that many
-- complete sets.
CREATE FUNCTION market_internal.holding_check() RETURNS trigger
	AS 'MODULE_PATHNAME', 'market_holding_check'
	LANGUAGE C SET search_path = pg_catalog, pg_temp;
CREATE CONSTRAINT TRIGGER holding_check AFTER INSERT OR UPDATE OR DELETE ON market.holdings
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION market_internal.holding_check();

CREATE FUNCTION market.resolve(market bigint, outcome bigint) RETURNS void
	AS 'MODULE_PATHNAME', 'market_resolve_outcome'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.resolve(market bigint, payouts numeric[]) RETURNS void
	AS 'MODULE_PATHNAME', 'market_resolve_payouts'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.resolve_value(market bigint, value numeric) RETURNS void
	AS 'MODULE_PATHNAME', 'market_resolve_value'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.dispute(market bigint, reason text) RETURNS void
	AS 'MODULE_PATHNAME', 'market_dispute'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.finalize(market bigint) RETURNS void
	AS 'MODULE_PATHNAME', 'market_finalize'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.cancel_market(market bigint, reason text) RETURNS void
	AS 'MODULE_PATHNAME', 'market_cancel_market'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.settle(market bigint, account bigint DEFAULT NULL,
		max_positions int DEFAULT NULL)
	RETURNS TABLE (account bigint, payout numeric)
	AS 'MODULE_PATHNAME', 'market_settle'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.candles(market bigint, width interval DEFAULT '1 hour')
	RETURNS TABLE (outcome int, bucket timestamptz, open numeric, high numeric,
				   low numeric, close numeric, volume numeric, trades bigint)
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
#variable_conflict use_column
BEGIN
	IF candles.market IS NULL OR candles.width IS NULL THEN
		RAISE EXCEPTION '% must not be null',
			CASE WHEN candles.market IS NULL THEN 'market' ELSE 'width' END
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF candles.width <= interval '0'
	   OR extract(month FROM candles.width) <> 0 OR extract(year FROM candles.width) <> 0
	   OR candles.width > interval '366 days' THEN
		RAISE EXCEPTION 'width must be positive, at most 366 days and without months or years'
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = format('The width given was %s.', candles.width),
				  HINT = 'Give the width in days, hours, minutes or seconds, e.g. ''1 hour'' or ''30 days''.';
	END IF;
	PERFORM market_internal.require_market(candles.market);
	RETURN QUERY
	SELECT o.number,
		   date_bin(candles.width, x.created_at, timestamptz '2024-01-01 00:00+00'),
		   ((array_agg(f.price ORDER BY f.execution, f.order_id))[1]) * 0.000001,
		   max(f.price) * 0.000001,
		   min(f.price) * 0.000001,
		   ((array_agg(f.price ORDER BY f.execution DESC, f.order_id DESC))[1]) * 0.000001,
		   -- contracts traded: a direct match has a buyer and a seller of the
		   -- same outcome, so count buy legs (and, in a merge, the sell legs)
		   COALESCE(sum(f.quantity) FILTER (WHERE f.side = 'buy' OR x.kind = 'merge'), 0) * 0.000001,
		   count(DISTINCT f.execution)
	  FROM market.fills f
	  JOIN market.executions x ON x.id = f.execution
	  JOIN market.outcomes o ON o.id = f.outcome
	 WHERE f.market = candles.market
	 GROUP BY 1, 2
	 ORDER BY 1, 2;
END
$$;
COMMENT ON FUNCTION market.candles(bigint, interval) IS
	'OHLC candles of each outcome''s trade prices (effective prices of the parties) and volume, per interval';

CREATE FUNCTION market.cancel_order(account bigint, market bigint) RETURNS numeric
	AS 'MODULE_PATHNAME', 'market_cancel_order'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

CREATE FUNCTION market.cancel_orders(account bigint DEFAULT NULL, market bigint DEFAULT NULL)
	RETURNS int
	AS 'MODULE_PATHNAME', 'market_cancel_orders'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION market.cancel_orders(bigint, bigint) IS
	'bulk cancel: an account''s open orders in every market (or in one), or a market''s whole book (market => m, admins and operators); returns how many were cancelled';

------------------------------------------------------------------------------
-- Read models
------------------------------------------------------------------------------

CREATE VIEW market.account_balances WITH (security_invoker = true) AS
SELECT a.id, a.label, a.owner, a.kind, b.balance,
	   a.locked * 0.000001 AS locked,
	   b.balance - a.locked * 0.000001 AS available
  FROM market.accounts a,
	   LATERAL (SELECT CASE WHEN a.kind IN ('external', 'house')
							THEN coalesce((SELECT sum(j.amount) FROM market.journal j
										   WHERE j.account = a.id), 0) * 0.000001
							ELSE a.balance * 0.000001 END AS balance) b;
COMMENT ON VIEW market.account_balances IS
	'every account with balance, locked and available in cash units';

CREATE VIEW market.account_journal WITH (security_invoker = true) AS
SELECT j.transfer, j.account, a.label, j.kind,
	   j.amount * 0.000001 AS amount,
	   (j.running - j.amount) * 0.000001 AS balance_before,
	   j.running * 0.000001 AS balance_after,
	   j.market, j.order_id, j.execution, j.created_at
  FROM (SELECT j.*,
			   coalesce(j.balance_after,
						sum(j.amount) OVER (PARTITION BY j.account ORDER BY j.transfer)) AS running
		  FROM market.journal j) j
  JOIN market.accounts a ON a.id = j.account;
COMMENT ON VIEW market.account_journal IS
	'the journal in cash units with each entry''s balance before and after';

CREATE VIEW market.market_overview WITH (security_barrier = true) AS
SELECT m.id, m.number, m.description, m.kind,
	   CASE WHEN m.state IN ('active', 'paused') AND m.close_at <= pg_catalog.now()
			THEN 'closed' ELSE m.state END AS state,
	   m.tick * 0.000001 AS tick_size, m.close_at, m.oracle, m.oracle_kind,
	   m.fee_bps, m.creator, m.creator_fee_bps, m.dispute_window, m.auto_execute,
	   (SELECT count(*) FROM market.outcomes o WHERE o.market = m.id) AS outcomes,
	   (SELECT count(*) FROM market.orders o WHERE o.market = m.id AND o.status = 'open') AS open_orders,
	   c.balance * 0.000001 AS collateral, m.created_at, m.closing_auction, m.allocation
  FROM market.markets m JOIN market.accounts c ON c.id = m.collateral;
COMMENT ON VIEW market.market_overview IS
	'every market with its effective state (closed once close_at has passed), open orders and collateral';

-- The book is public market data: this view runs with its owner's rights
-- and shows only aggregates, never who placed an order.
CREATE VIEW market.order_book WITH (security_barrier = true) AS
SELECT o.market, m.number AS market_number, o.outcome, oc.number AS outcome_number,
	   oc.label AS outcome_label, o.side, o.price * 0.000001 AS price,
	   sum(o.quantity) * 0.000001 AS quantity, count(*) AS orders,
	   m.description AS market_description
  FROM market.orders o
  JOIN market.outcomes oc ON oc.id = o.outcome
  JOIN market.markets m ON m.id = o.market
 WHERE o.status = 'open'
 GROUP BY o.market, m.number, m.description, o.outcome, oc.number, oc.label, o.side, o.price;
COMMENT ON VIEW market.order_book IS
	'depth of every open book: per market, outcome, side and price, the quantity and number of orders';

CREATE VIEW market.open_orders WITH (security_invoker = true) AS
SELECT o.id, o.account, a.label AS account_label, o.market, m.number AS market_number,
	   o.outcome, oc.number AS outcome_number, oc.label AS outcome_label, o.side,
	   o.price * 0.000001 AS price, o.quantity * 0.000001 AS quantity,
	   (o.original - o.quantity) * 0.000001 AS filled,
	   o.escrow * 0.000001 AS escrow, o.time_in_force, o.expires_at, o.created_at,
	   m.description AS market_description
  FROM market.orders o
  JOIN market.accounts a ON a.id = o.account
  JOIN market.outcomes oc ON oc.id = o.outcome
  JOIN market.markets m ON m.id = o.market
 WHERE o.status = 'open';
COMMENT ON VIEW market.open_orders IS
	'each account''s open orders (a trader sees its own)';

-- The mark of each outcome that has traded: the exact price of the fill
-- that set its last trade price (the last execution's fill whose rounded
-- effective price is outcomes.last_price), as the fraction num / den of
-- micro-units: what a buyer paid per contract, or 1 minus what a seller
-- paid.  Public market data read with the owner's rights (a trader's
-- reads see only its own fills); reachable only through the position
-- views, since no role has USAGE on market_internal.
CREATE VIEW market_internal.marks WITH (security_barrier = true) AS
SELECT o.id AS outcome, o.last_price,
	   COALESCE(f.num, o.last_price) AS num,
	   COALESCE(f.den, 1000000) AS den
  FROM market.outcomes o
  LEFT JOIN LATERAL (SELECT CASE WHEN f.side = 'buy' THEN f.paid ELSE f.quantity - f.paid END AS num,
							f.quantity AS den
					   FROM market.fills f
					  WHERE f.outcome = o.id
					  ORDER BY f.execution DESC, f.price = o.last_price DESC, f.order_id DESC
					  LIMIT 1) f ON true
 WHERE o.last_price IS NOT NULL;
COMMENT ON VIEW market_internal.marks IS
	'the exact mark of each traded outcome, num / den (internal to the position views)';

-- Positions, per account, market and outcome held: cost basis, average
-- price, mark-to-market at the outcome's last trade price, unrealized P&L.
-- The value is the exact quantity times the exact last trade price,
-- rounded once to the micro-unit, so a holding marked at the price it was
-- bought at is worth its cost and shows a P&L of 0.000000.
CREATE VIEW market.position_holdings WITH (security_invoker = true) AS
SELECT h.account, h.market, m.number AS market_number, h.outcome,
	   o.number AS outcome_number, o.label AS outcome_label,
	   h.quantity * 0.000001 AS quantity,
	   h.cost * 0.000001 AS cost_basis,
	   round(h.cost::numeric / h.quantity, 6) AS average_price,
	   o.last_price * 0.000001 AS last_price,
	   round(h.quantity::numeric(60, 20) * k.num / k.den) * 0.000001 AS market_value,
	   (round(h.quantity::numeric(60, 20) * k.num / k.den) - h.cost) * 0.000001 AS unrealized_pnl,
	   a.label AS account_label, m.description AS market_description
  FROM market.holdings h
  JOIN market.accounts a ON a.id = h.account
  JOIN market.markets m ON m.id = h.market
  JOIN market.outcomes o ON o.id = h.outcome
  LEFT JOIN market_internal.marks k ON k.outcome = h.outcome
 WHERE h.quantity > 0;
COMMENT ON VIEW market.position_holdings IS
	'what each account holds of each outcome: cost basis, average price, value at the last trade price, unrealized P&L';

-- Per account and market: the sums of its holdings, each value exact
-- (quantity times the exact mark) and rounded once, after summing.  Value
-- and unrealized P&L cover the outcomes that have traded (NULL if none).
CREATE VIEW market.positions_summary WITH (security_invoker = true) AS
SELECT p.account, p.market, m.number AS market_number,
	   COALESCE(h.contracts, 0) * 0.000001 AS contracts,
	   COALESCE(h.cost, 0) * 0.000001 AS cost_basis,
	   p.realized * 0.000001 AS realized_pnl,
	   round(h.value) * 0.000001 AS market_value,
	   (round(h.value) - h.marked_cost) * 0.000001 AS unrealized_pnl,
	   CASE WHEN p.settled_at IS NOT NULL THEN 'settled'
			WHEN COALESCE(h.contracts, 0) > 0 THEN 'open' ELSE 'closed' END AS status,
	   p.payout * 0.000001 AS payout,
	   CASE WHEN p.settled_at IS NULL THEN NULL
			WHEN m.state = 'cancelled' THEN 'REFUNDED'
			WHEN p.payout > 0 THEN 'WON' ELSE 'LOST' END AS result,
	   a.label AS account_label, m.description AS market_description
  FROM market.positions p
  JOIN market.accounts a ON a.id = p.account
  JOIN market.markets m ON m.id = p.market
  LEFT JOIN (SELECT h.account, h.market, sum(h.quantity) AS contracts, sum(h.cost) AS cost,
					sum(h.quantity::numeric(60, 20) * k.num / k.den) AS value,
					sum(h.cost) FILTER (WHERE k.outcome IS NOT NULL) AS marked_cost
			   FROM market.holdings h
			   LEFT JOIN market_internal.marks k ON k.outcome = h.outcome
			  WHERE h.quantity > 0
			  GROUP BY h.account, h.market) h
		 ON h.account = p.account AND h.market = p.market;
COMMENT ON VIEW market.positions_summary IS
	'each account''s position per market: contracts held, cost basis, realized and unrealized P&L, open or closed';

-- Public market data: per outcome, the best bid and ask, the last trade
-- price, and the implied ask: what a buy of the outcome must bid to mint
-- against the best bids of all the others (1 - their sum).
CREATE VIEW market.book_prices WITH (security_barrier = true) AS
SELECT m.id AS market, m.number AS market_number, o.id AS outcome, o.number AS outcome_number,
	   o.label AS outcome_label,
	   b.price * 0.000001 AS best_bid,
	   a.price * 0.000001 AS best_ask,
	   CASE WHEN x.missing = 0 THEN greatest(m.tick, 1000000 - x.others) * 0.000001 END AS implied_ask,
	   o.last_price * 0.000001 AS last_price,
	   m.description AS market_description
  FROM market.markets m
  JOIN market.outcomes o ON o.market = m.id
  LEFT JOIN LATERAL (SELECT max(price) AS price FROM market.orders
					  WHERE outcome = o.id AND side = 'buy' AND status = 'open') b ON true
  LEFT JOIN LATERAL (SELECT min(price) AS price FROM market.orders
					  WHERE outcome = o.id AND side = 'sell' AND status = 'open') a ON true
  LEFT JOIN LATERAL (SELECT sum(bb.price) AS others, count(*) FILTER (WHERE bb.price IS NULL) AS missing
					   FROM market.outcomes o2,
							LATERAL (SELECT max(price) AS price FROM market.orders
									  WHERE outcome = o2.id AND side = 'buy' AND status = 'open') bb
					  WHERE o2.market = m.id AND o2.id <> o.id) x ON true;
COMMENT ON VIEW market.book_prices IS
	'per outcome: best bid, best ask, the ask implied by the other outcomes'' best bids, last trade price';

-- Each account: cash, escrow, what it has invested (the cost basis of what
-- it holds), what that is worth at last trade prices (at cost where an
-- outcome has not traded yet), and the total.  Values are summed exact
-- and rounded once, so cash traded at cost still adds up to what came in.
-- (The pools section replaces it to count open commitments too.)
CREATE VIEW market.account_summary WITH (security_invoker = true) AS
SELECT b.id AS account, b.label, b.balance, b.locked, b.available,
	   COALESCE(p.invested, 0) * 0.000001 AS invested,
	   COALESCE(round(p.value), 0) * 0.000001 AS market_value,
	   b.balance + COALESCE(round(p.value), 0) * 0.000001 AS total,
	   (COALESCE(round(p.value), 0) - COALESCE(p.invested, 0)) * 0.000001 AS unrealized_pnl
  FROM market.account_balances b
  LEFT JOIN (SELECT h.account, sum(h.cost) AS invested,
					sum(COALESCE(h.quantity::numeric(60, 20) * k.num / k.den, h.cost)) AS value
			   FROM market.holdings h
			   LEFT JOIN market_internal.marks k ON k.outcome = h.outcome
			  WHERE h.quantity > 0
			  GROUP BY h.account) p ON p.account = b.id
 WHERE b.kind = 'user';

-- Every trade: each party of each execution, in cash units.
CREATE VIEW market.trades WITH (security_invoker = true) AS
SELECT x.id AS execution, x.created_at AS traded_at, x.kind, m.number AS market_number,
	   f.market, f.account, o.number AS outcome_number, o.label AS outcome_label, f.side,
	   f.quantity * 0.000001 AS quantity, f.price * 0.000001 AS price,
	   f.paid * 0.000001 AS paid,
	   a.label AS account_label, m.description AS market_description
  FROM market.fills f
  JOIN market.executions x ON x.id = f.execution
  JOIN market.markets m ON m.id = f.market
  JOIN market.outcomes o ON o.id = f.outcome
  JOIN market.accounts a ON a.id = f.account;
COMMENT ON VIEW market.trades IS
	'every party of every execution: quantity, effective price, cash paid in (a trader sees its own)';

-- Every order, open or closed, in cash units: what was asked, what filled
-- and at what average price (exact: what its fills paid over their
-- quantity, or 1 minus that for a sell, rounded once), and how it ended.
CREATE VIEW market.order_history WITH (security_invoker = true) AS
SELECT o.id, o.account, a.label AS account_label, o.market, m.number AS market_number,
	   m.description AS market_description, o.outcome, oc.number AS outcome_number,
	   oc.label AS outcome_label, o.side, o.price * 0.000001 AS price,
	   o.original * 0.000001 AS original,
	   COALESCE(f.quantity, 0) * 0.000001 AS filled,
	   o.quantity * 0.000001 AS remaining,
	   round(CASE WHEN o.side = 'buy' THEN f.paid::numeric(60, 20) / f.quantity
				  ELSE 1 - f.paid::numeric(60, 20) / f.quantity END, 6) AS average_price,
	   COALESCE(f.paid, 0) * 0.000001 AS paid,
	   o.status, o.cancel_reason, o.time_in_force, o.expires_at, o.created_at, o.closed_at,
	   COALESCE(f.fees, 0) * 0.000001 AS fees
  FROM market.orders o
  JOIN market.accounts a ON a.id = o.account
  JOIN market.markets m ON m.id = o.market
  JOIN market.outcomes oc ON oc.id = o.outcome
  LEFT JOIN LATERAL (SELECT sum(f.quantity) AS quantity, sum(f.paid) AS paid,
							sum(f.fee + f.creator_fee) AS fees
					   FROM market.fills f
					  WHERE f.account = o.account AND f.order_id = o.id) f ON true;
COMMENT ON VIEW market.order_history IS
	'every order, open or closed, in cash units: status, cancel reason, original and filled quantity, average fill price (a trader sees its own)';
COMMENT ON COLUMN market.order_history.id IS 'the order id (place_order''s result)';
COMMENT ON COLUMN market.order_history.account IS 'the account the order trades for';
COMMENT ON COLUMN market.order_history.account_label IS 'the account''s label';
COMMENT ON COLUMN market.order_history.market IS 'the market id';
COMMENT ON COLUMN market.order_history.market_number IS 'the market number';
COMMENT ON COLUMN market.order_history.market_description IS 'the market''s description';
COMMENT ON COLUMN market.order_history.outcome IS 'the outcome id';
COMMENT ON COLUMN market.order_history.outcome_number IS 'the outcome number, 1..N';
COMMENT ON COLUMN market.order_history.outcome_label IS 'the outcome''s label';
COMMENT ON COLUMN market.order_history.side IS 'buy or sell';
COMMENT ON COLUMN market.order_history.price IS 'the limit price';
COMMENT ON COLUMN market.order_history.original IS 'the quantity ordered';
COMMENT ON COLUMN market.order_history.filled IS 'the quantity filled, from the order''s fills';
COMMENT ON COLUMN market.order_history.remaining IS 'the quantity still open, or left unfilled when the order closed';
COMMENT ON COLUMN market.order_history.average_price IS 'the average effective fill price (NULL if nothing filled)';
COMMENT ON COLUMN market.order_history.paid IS 'the cash the order''s fills paid into their matches';
COMMENT ON COLUMN market.order_history.status IS 'open, filled or cancelled';
COMMENT ON COLUMN market.order_history.cancel_reason IS 'why a cancelled order was cancelled';
COMMENT ON COLUMN market.order_history.time_in_force IS 'gtc, gtd or ioc';
COMMENT ON COLUMN market.order_history.expires_at IS 'when a gtd order expires';
COMMENT ON COLUMN market.order_history.created_at IS 'when the order was placed';
COMMENT ON COLUMN market.order_history.closed_at IS 'when the order was filled or cancelled';

-- What each holder of a finalized or cancelled market is owed, in cash
-- units, with the account's label and the market's description.
-- (The pools section replaces it to append distribution and rolled_back.)
CREATE VIEW market.account_settlements WITH (security_invoker = true) AS
SELECT s.market, m.number AS market_number, m.description AS market_description,
	   s.account, a.label AS account_label, s.kind,
	   s.amount * 0.000001 AS amount, s.cost * 0.000001 AS cost,
	   (s.amount - s.cost) * 0.000001 AS pnl,
	   s.paid_at, s.transfer
  FROM market.settlements s
  JOIN market.accounts a ON a.id = s.account
  JOIN market.markets m ON m.id = s.market;
COMMENT ON VIEW market.account_settlements IS
	'what each holder of a finalized or cancelled market is owed and was paid, in cash units (a trader sees its own)';
COMMENT ON COLUMN market.account_settlements.market IS 'the market id';
COMMENT ON COLUMN market.account_settlements.market_number IS 'the market number';
COMMENT ON COLUMN market.account_settlements.market_description IS 'the market''s description';
COMMENT ON COLUMN market.account_settlements.account IS 'the holder''s account';
COMMENT ON COLUMN market.account_settlements.account_label IS 'the account''s label';
COMMENT ON COLUMN market.account_settlements.kind IS 'payout (finalized market) or refund (cancelled market)';
COMMENT ON COLUMN market.account_settlements.amount IS 'the cash owed';
COMMENT ON COLUMN market.account_settlements.cost IS 'the cost basis of what the account held';
COMMENT ON COLUMN market.account_settlements.pnl IS 'amount less cost: the P&L realized by settling';
COMMENT ON COLUMN market.account_settlements.paid_at IS 'when settle() paid it (NULL while owed)';
COMMENT ON COLUMN market.account_settlements.transfer IS 'the journal transfer that paid it';

-- Public market data: the payout of each outcome of a resolved or
-- finalized market, per contract in cash units.
CREATE VIEW market.market_payouts WITH (security_barrier = true) AS
SELECT m.id AS market, m.number AS market_number, m.description AS market_description,
	   m.state, o.id AS outcome, o.number AS outcome_number, o.label AS outcome_label,
	   m.payouts[o.number] * 0.000001 AS payout,
	   m.resolved_at, m.finalizes_at, m.finalized_at
  FROM market.markets m
  JOIN market.outcomes o ON o.market = m.id
 WHERE m.payouts IS NOT NULL;
COMMENT ON VIEW market.market_payouts IS
	'the reported payout per contract of each outcome of every resolved or finalized market, in cash units';
COMMENT ON COLUMN market.market_payouts.market IS 'the market id';
COMMENT ON COLUMN market.market_payouts.market_number IS 'the market number';
COMMENT ON COLUMN market.market_payouts.market_description IS 'the market''s description';
COMMENT ON COLUMN market.market_payouts.state IS 'resolved (disputable until finalizes_at) or finalized';
COMMENT ON COLUMN market.market_payouts.outcome IS 'the outcome id';
COMMENT ON COLUMN market.market_payouts.outcome_number IS 'the outcome number, 1..N';
COMMENT ON COLUMN market.market_payouts.outcome_label IS 'the outcome''s label';
COMMENT ON COLUMN market.market_payouts.payout IS 'what one contract of the outcome pays, 0 to 1';
COMMENT ON COLUMN market.market_payouts.resolved_at IS 'when the market was resolved';
COMMENT ON COLUMN market.market_payouts.finalizes_at IS 'the end of the dispute window';
COMMENT ON COLUMN market.market_payouts.finalized_at IS 'when the report became final';

------------------------------------------------------------------------------
-- Charts for psql: a book's depth and an outcome's price, drawn in text.
-- Public market data, like order_book and candles: no account is shown.
------------------------------------------------------------------------------

-- The depth chart of a market's book: per outcome, its asks from the
-- highest price down to the best, then its bids from the best down; each
-- level with its quantity, the cumulative quantity from the best price
-- outward, and a bar of that depth scaled to the deepest side of the book.
CREATE FUNCTION market.depth_chart(market bigint, width int DEFAULT 30)
	RETURNS TABLE (outcome int, label text, side text, price numeric,
				   quantity numeric, depth numeric, bar text)
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF depth_chart.market IS NULL OR depth_chart.width IS NULL THEN
		RAISE EXCEPTION '% must not be null',
			CASE WHEN depth_chart.market IS NULL THEN 'market' ELSE 'width' END
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF depth_chart.width NOT BETWEEN 1 AND 200 THEN
		RAISE EXCEPTION 'width must be between 1 and 200 characters'
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = format('The width given was %s.', depth_chart.width);
	END IF;
	PERFORM market_internal.require_market(depth_chart.market);
	RETURN QUERY
	WITH levels AS (
		SELECT oc.number, oc.label AS outcome_label, o.side AS level_side, o.price AS level_price,
			   sum(o.quantity) AS level_quantity
		  FROM market.orders o
		  JOIN market.outcomes oc ON oc.id = o.outcome
		 WHERE o.market = depth_chart.market AND o.status = 'open'
		 GROUP BY oc.number, oc.label, o.side, o.price),
	cumulative AS (
		SELECT l.*,
			   sum(l.level_quantity) OVER (
					PARTITION BY l.number, l.level_side
					ORDER BY CASE WHEN l.level_side = 'sell' THEN l.level_price
								  ELSE -l.level_price END) AS level_depth
		  FROM levels l)
	SELECT c.number, c.outcome_label,
		   CASE WHEN c.level_side = 'sell' THEN 'ask' ELSE 'bid' END,
		   c.level_price * 0.000001, c.level_quantity * 0.000001, c.level_depth * 0.000001,
		   repeat(CASE WHEN c.level_side = 'sell' THEN '░' ELSE '█' END,
				  greatest(1, round(c.level_depth * depth_chart.width
									/ max(c.level_depth) OVER ())::int))
	  FROM cumulative c
	 ORDER BY c.number, c.level_side DESC, c.level_price DESC;
END
$$;
COMMENT ON FUNCTION market.depth_chart(bigint, int) IS
	'the book drawn in text: per outcome, asks then bids by price, with each level''s quantity, the cumulative depth and a bar';

-- A sparkline of an outcome's price: its last trade price per interval
-- (the close of its candle, carried through intervals without trades), the
-- latest points intervals, one block per interval, its height the price
-- on the whole scale from 0 to 1 (a probability, not stretched to fit).
CREATE FUNCTION market.sparkline(market bigint, outcome int,
		width interval DEFAULT '1 hour', points int DEFAULT 60)
	RETURNS text
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	SET TimeZone = 'UTC'
	AS $$
DECLARE
	blocks CONSTANT text[] := ARRAY['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
	buckets timestamptz[];
	closes numeric[];
	line text[] := '{}';
	close numeric;
	n int;
	i int := 1;
	first timestamptz;
	t timestamptz;
BEGIN
	IF sparkline.outcome IS NULL OR sparkline.points IS NULL THEN
		RAISE EXCEPTION '% must not be null',
			CASE WHEN sparkline.outcome IS NULL THEN 'outcome' ELSE 'points' END
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF sparkline.points NOT BETWEEN 1 AND 500 THEN
		RAISE EXCEPTION 'points must be between 1 and 500'
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = format('The number given was %s.', sparkline.points);
	END IF;
	-- candles checks the market and the width, with its own errors
	SELECT array_agg(c.bucket ORDER BY c.bucket), array_agg(c.close ORDER BY c.bucket)
	  INTO buckets, closes
	  FROM market.candles(sparkline.market, sparkline.width) c
	 WHERE c.outcome = sparkline.outcome;
	IF NOT EXISTS (SELECT FROM market.outcomes o
					WHERE o.market = sparkline.market AND o.number = sparkline.outcome) THEN
		RAISE EXCEPTION 'market % has no outcome %',
			(SELECT m.number FROM market.markets m WHERE m.id = sparkline.market), sparkline.outcome
			USING ERRCODE = 'no_data_found',
				  HINT = 'The outcome is its number in the market: 1, 2, ...';
	END IF;
	IF buckets IS NULL THEN
		RETURN '';
	END IF;
	-- the latest points intervals up to the last trade's (in UTC, so that
	-- a day is the 24 hours candles' buckets are); one without trades
	-- keeps the price before it, from before the first interval drawn too
	n := cardinality(buckets);
	first := greatest(buckets[1], buckets[n] - (sparkline.points - 1) * sparkline.width);
	WHILE i < n AND buckets[i + 1] <= first LOOP
		i := i + 1;
	END LOOP;
	close := closes[i];
	FOR t IN SELECT generate_series(first, buckets[n], sparkline.width)
	LOOP
		IF i <= n AND buckets[i] = t THEN
			close := closes[i];
			i := i + 1;
		ELSIF i <= n AND buckets[i] < t THEN
			i := i + 1;
		END IF;
		line := line || blocks[1 + least(7, floor(close * 8)::int)];
	END LOOP;
	RETURN array_to_string(line, '');
END
$$;
COMMENT ON FUNCTION market.sparkline(bigint, int, interval, int) IS
	'an outcome''s last trade price per interval as a line of blocks from ▁ (0) to █ (1), for psql';

------------------------------------------------------------------------------
-- The market listing: one row per outcome of every market, with its
-- market's columns.  Public market data (owner's rights, no account).
------------------------------------------------------------------------------

-- Best prices count what the engine would match: an outcome's ask is the
-- lower of its best sell and the ask implied by the other outcomes' best
-- bids (a mint: 1 minus their sum); its bid the higher of its best buy
-- and the bid implied by the other outcomes' best asks (a merge).
CREATE VIEW market.market_listing WITH (security_barrier = true) AS
SELECT m.id AS market, m.number AS market_number, m.description,
	   CASE WHEN m.state IN ('active', 'paused') AND m.close_at <= pg_catalog.now()
			THEN 'closed' ELSE m.state END AS state,
	   m.kind,
	   (SELECT pg_catalog.array_agg(p.payout * 0.000001 ORDER BY p.n)
		  FROM pg_catalog.unnest(m.payouts) WITH ORDINALITY p(payout, n)) AS payouts,
	   m.resolved_at, m.finalizes_at,
	   o.id AS outcome, o.number AS outcome_number, o.label AS outcome_label,
	   px.bid * 0.000001 AS best_bid, px.ask * 0.000001 AS best_ask,
	   o.last_price * 0.000001 AS last_price,
	   v.volume * 0.000001 AS volume,
	   CASE WHEN px.bid IS NOT NULL AND px.ask IS NOT NULL
			THEN round((px.bid + px.ask) / 2000000.0, 6)
			ELSE o.last_price * 0.000001 END AS implied_probability
  FROM market.markets m
  JOIN market.outcomes o ON o.market = m.id
  LEFT JOIN LATERAL (
		SELECT (SELECT max(b.price) FROM market.orders b
				 WHERE b.outcome = o.id AND b.side = 'buy' AND b.status = 'open') AS direct_bid,
			   (SELECT min(a.price) FROM market.orders a
				 WHERE a.outcome = o.id AND a.side = 'sell' AND a.status = 'open') AS direct_ask,
			   sum(others.bid) FILTER (WHERE others.missing_bid = 0) AS others_bids,
			   sum(others.ask) FILTER (WHERE others.missing_ask = 0) AS others_asks
		  FROM (SELECT sum(ob.bid) AS bid, count(*) FILTER (WHERE ob.bid IS NULL) AS missing_bid,
					   sum(ob.ask) AS ask, count(*) FILTER (WHERE ob.ask IS NULL) AS missing_ask
				  FROM market.outcomes o2,
					   LATERAL (SELECT (SELECT max(b.price) FROM market.orders b
										 WHERE b.outcome = o2.id AND b.side = 'buy'
										   AND b.status = 'open') AS bid,
									   (SELECT min(a.price) FROM market.orders a
										 WHERE a.outcome = o2.id AND a.side = 'sell'
										   AND a.status = 'open') AS ask) ob
				 WHERE o2.market = m.id AND o2.id <> o.id) others) best ON true
  CROSS JOIN LATERAL (
		SELECT NULLIF(greatest(coalesce(best.direct_bid, 0),
							   CASE WHEN best.others_asks < 1000000
									THEN 1000000 - best.others_asks ELSE 0 END), 0) AS bid,
			   least(best.direct_ask,
					 -- bids of the others that already cover a set: one tick
					 CASE WHEN best.others_bids IS NOT NULL
						  THEN greatest(m.tick, 1000000 - best.others_bids) END) AS ask) px
  LEFT JOIN LATERAL (
		SELECT coalesce(sum(f.quantity) FILTER (WHERE f.side = 'buy' OR x.kind = 'merge'), 0) AS volume
		  FROM market.fills f
		  JOIN market.executions x ON x.id = f.execution
		 WHERE f.outcome = o.id) v ON true;
COMMENT ON VIEW market.market_listing IS
	'every outcome of every market: the market''s description, state and report, the outcome''s best bid and ask (implied prices included), last price, volume and implied probability';
COMMENT ON COLUMN market.market_listing.market IS 'the market''s id';
COMMENT ON COLUMN market.market_listing.market_number IS 'the market''s number (1, 2, ...)';
COMMENT ON COLUMN market.market_listing.description IS 'the market''s question';
COMMENT ON COLUMN market.market_listing.state IS 'the market''s state, closed once close_at has passed';
COMMENT ON COLUMN market.market_listing.kind IS 'orderbook or parimutuel';
COMMENT ON COLUMN market.market_listing.payouts IS 'the reported payout per contract of each outcome, in cash units (NULL until resolved)';
COMMENT ON COLUMN market.market_listing.resolved_at IS 'when the oracle reported';
COMMENT ON COLUMN market.market_listing.finalizes_at IS 'when the dispute window of the report ends';
COMMENT ON COLUMN market.market_listing.outcome IS 'the outcome''s id';
COMMENT ON COLUMN market.market_listing.outcome_number IS 'the outcome''s number in its market (1..N)';
COMMENT ON COLUMN market.market_listing.outcome_label IS 'the outcome''s label';
COMMENT ON COLUMN market.market_listing.best_bid IS 'the highest price a seller of the outcome would get: its best buy, or what the other outcomes'' best asks imply';
COMMENT ON COLUMN market.market_listing.best_ask IS 'the lowest price a buyer of the outcome would pay: its best sell, or what the other outcomes'' best bids imply';
COMMENT ON COLUMN market.market_listing.last_price IS 'the outcome''s last trade price';
COMMENT ON COLUMN market.market_listing.volume IS 'contracts of the outcome traded, in all';
COMMENT ON COLUMN market.market_listing.implied_probability IS 'the mid of best bid and best ask when both exist, else the last price';

------------------------------------------------------------------------------
-- Fees on the order book (SPEC section 6a): each fill's house and creator
-- fees, the per-market account creator fees accrue in until the market is
-- finalized or cancelled, and the fees of each order.
------------------------------------------------------------------------------

COMMENT ON COLUMN market.markets.creator_fees IS
	'the account the market''s creator fees accrue in until it is finalized or cancelled (NULL without a creator fee)';
COMMENT ON COLUMN market.fills.fee IS
	'the house fee the fill paid: floor(fee_bps x min(paid, quantity - paid) / 10000), in micro-units';
COMMENT ON COLUMN market.fills.creator_fee IS
	'the creator fee the fill paid: floor(creator_fee_bps x min(paid, quantity - paid) / 10000), in micro-units';
COMMENT ON COLUMN market.order_history.fees IS
	'the house and creator fees the order''s fills paid, in cash units';

------------------------------------------------------------------------------
-- Parimutuel pools (SPEC section 10, seed 001): commitments, payout
-- distributions with their audit trail, rollback, and their read models.
------------------------------------------------------------------------------

CREATE TABLE market.commitments (
	id			bigint PRIMARY KEY,
	market		bigint NOT NULL,
	outcome		bigint NOT NULL,
	account		bigint NOT NULL,
	position	text NOT NULL CONSTRAINT commitments_position CHECK (position IN ('yes', 'no')),
	amount		bigint NOT NULL CONSTRAINT commitments_amount CHECK (amount > 0),
	transfer	bigint NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX commitments_market ON market.commitments (market) INCLUDE (amount);
CREATE INDEX commitments_account ON market.commitments (account);
COMMENT ON TABLE market.commitments IS
	'cash committed to a parimutuel pool: a yes commitment wins if its outcome wins, a no commitment if it loses; amount in micro-units';
COMMENT ON COLUMN market.commitments.id IS 'the commitment id';
COMMENT ON COLUMN market.commitments.market IS 'the pool (a market of kind parimutuel)';
COMMENT ON COLUMN market.commitments.outcome IS 'the outcome id committed on';
COMMENT ON COLUMN market.commitments.account IS 'the account that committed the cash';
COMMENT ON COLUMN market.commitments.position IS 'yes (wins if the outcome wins) or no (wins if it loses)';
COMMENT ON COLUMN market.commitments.amount IS 'the cash committed, in micro-units';
COMMENT ON COLUMN market.commitments.transfer IS 'the journal transfer (kind commitment) that moved it into the pool';
COMMENT ON COLUMN market.commitments.created_at IS 'when it was placed';

CREATE TABLE market.distributions (
	id			bigint PRIMARY KEY,
	market		bigint NOT NULL,
	status		text NOT NULL CONSTRAINT distributions_status CHECK (status IN
		('pending', 'disputed', 'completed', 'rolled_back', 'cancelled')),
	cause		text NOT NULL CONSTRAINT distributions_cause CHECK (cause IN ('resolution', 'cancellation')),
	outcome		bigint,
	refund		boolean NOT NULL,
	pool		bigint NOT NULL CONSTRAINT distributions_pool CHECK (pool >= 0),
	commitments	integer NOT NULL,
	winning		bigint NOT NULL,
	fee_bps		integer NOT NULL,
	creator_fee_bps integer NOT NULL,
	house_fee	bigint NOT NULL CONSTRAINT distributions_house_fee CHECK (house_fee >= 0),
	creator		bigint,
	creator_fee	bigint NOT NULL CONSTRAINT distributions_creator_fee CHECK (creator_fee >= 0),
	payouts		bigint NOT NULL,
	residue		bigint NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by	regrole NOT NULL,
	disputed_at	timestamptz,
	completed_at timestamptz,
	fee_transfer bigint,
	rolled_back_at timestamptz,
	rolled_back_by regrole,
	rollback_reason text,
	rollback_transfer bigint,
	CONSTRAINT distributions_exact CHECK (payouts + house_fee + creator_fee = pool),
	CONSTRAINT distributions_refund_free CHECK (NOT refund OR (house_fee = 0 AND creator_fee = 0)),
	CONSTRAINT distributions_rollback CHECK ((status = 'rolled_back') =
											 (rolled_back_at IS NOT NULL AND rollback_reason IS NOT NULL))
);
-- one live distribution per pool: the pending report, or the completed one
CREATE UNIQUE INDEX distributions_live ON market.distributions (market)
	WHERE status IN ('pending', 'completed');
COMMENT ON TABLE market.distributions IS
	'payout distributions of parimutuel pools (seed 001''s PayoutDistribution): the pool, the fees and the split, one per report or cancellation; amounts in micro-units';
COMMENT ON COLUMN market.distributions.id IS 'the distribution id';
COMMENT ON COLUMN market.distributions.market IS 'the pool it distributes';
COMMENT ON COLUMN market.distributions.status IS 'pending (reported), disputed, completed (final: settle pays it), rolled_back, or cancelled (the market was cancelled while it was pending)';
COMMENT ON COLUMN market.distributions.cause IS 'resolution (an oracle''s report) or cancellation (cancel_market: full refunds)';
COMMENT ON COLUMN market.distributions.outcome IS 'the winning outcome id (NULL for a cancellation)';
COMMENT ON COLUMN market.distributions.refund IS 'true when every commitment is refunded in full, without fees: a cancellation, or nobody won';
COMMENT ON COLUMN market.distributions.pool IS 'every commitment of the pool, summed, in micro-units';
COMMENT ON COLUMN market.distributions.commitments IS 'how many commitments the pool holds';
COMMENT ON COLUMN market.distributions.winning IS 'the winning commitments summed (W of the winner), in micro-units; 0 if nobody won';
COMMENT ON COLUMN market.distributions.fee_bps IS 'the house fee rate applied, in basis points';
COMMENT ON COLUMN market.distributions.creator_fee_bps IS 'the creator fee rate applied, in basis points';
COMMENT ON COLUMN market.distributions.house_fee IS 'floor(pool * fee_bps / 10000), paid to house, in micro-units (0 for a refund)';
COMMENT ON COLUMN market.distributions.creator IS 'the creator account paid the creator fee';
COMMENT ON COLUMN market.distributions.creator_fee IS 'floor(pool * creator_fee_bps / 10000), paid to the creator, in micro-units (0 for a refund)';
COMMENT ON COLUMN market.distributions.payouts IS 'what the commitments are paid, summed: pool less the fees, in micro-units';
COMMENT ON COLUMN market.distributions.residue IS 'micro-units left by flooring the pro-rata shares, given one each to the largest remainders';
COMMENT ON COLUMN market.distributions.created_at IS 'when the report (or cancellation) wrote it';
COMMENT ON COLUMN market.distributions.created_by IS 'the role that reported (or cancelled)';
COMMENT ON COLUMN market.distributions.disputed_at IS 'when an admin''s dispute withdrew the report';
COMMENT ON COLUMN market.distributions.completed_at IS 'when it became final (finalize, or cancellation)';
COMMENT ON COLUMN market.distributions.fee_transfer IS 'the journal transfer (kind fee) that paid the fees at finalization';
COMMENT ON COLUMN market.distributions.rolled_back_at IS 'when rollback_distribution reversed it';
COMMENT ON COLUMN market.distributions.rolled_back_by IS 'the admin who rolled it back';
COMMENT ON COLUMN market.distributions.rollback_reason IS 'why it was rolled back';
COMMENT ON COLUMN market.distributions.rollback_transfer IS 'the journal transfer (kind rollback) that reversed its payouts and fees';

CREATE TABLE market.distribution_commitments (
	distribution bigint NOT NULL,
	commitment	bigint NOT NULL,
	market		bigint NOT NULL,
	account		bigint NOT NULL,
	outcome		bigint NOT NULL,
	position	text NOT NULL,
	amount		bigint NOT NULL,
	result		text NOT NULL CONSTRAINT distribution_commitments_result CHECK (result IN ('won', 'lost', 'refunded')),
	base		bigint NOT NULL,
	remainder	bigint NOT NULL,
	rank		integer,
	bonus		integer NOT NULL CONSTRAINT distribution_commitments_bonus CHECK (bonus IN (0, 1)),
	payout		bigint NOT NULL,
	PRIMARY KEY (distribution, commitment),
	CONSTRAINT distribution_commitments_payout CHECK (payout = base + bonus AND payout >= 0)
);
CREATE INDEX distribution_commitments_account ON market.distribution_commitments (account);
COMMENT ON TABLE market.distribution_commitments IS
	'the audit trail of a distribution: each commitment, whether it won, and how its payout was computed, in micro-units';
COMMENT ON COLUMN market.distribution_commitments.distribution IS 'the distribution';
COMMENT ON COLUMN market.distribution_commitments.commitment IS 'the commitment';
COMMENT ON COLUMN market.distribution_commitments.market IS 'the pool';
COMMENT ON COLUMN market.distribution_commitments.account IS 'the account that committed';
COMMENT ON COLUMN market.distribution_commitments.outcome IS 'the outcome id committed on';
COMMENT ON COLUMN market.distribution_commitments.position IS 'yes or no';
COMMENT ON COLUMN market.distribution_commitments.amount IS 'the cash committed, in micro-units';
COMMENT ON COLUMN market.distribution_commitments.result IS 'won, lost, or refunded (a refund distribution)';
COMMENT ON COLUMN market.distribution_commitments.base IS 'floor(amount * payouts / winning) for a winner, amount for a refund, 0 for a loser';
COMMENT ON COLUMN market.distribution_commitments.remainder IS 'amount * payouts mod winning for a winner (the largest get the residue), else 0';
COMMENT ON COLUMN market.distribution_commitments.rank IS 'a winner''s place by remainder, largest first, ties to the lower commitment id';
COMMENT ON COLUMN market.distribution_commitments.bonus IS '1 if its rank is within the residue, else 0';
COMMENT ON COLUMN market.distribution_commitments.payout IS 'base + bonus: what it is paid, in micro-units';

SELECT pg_catalog.pg_extension_config_dump('market.commitments', '');
SELECT pg_catalog.pg_extension_config_dump('market.distributions', '');
SELECT pg_catalog.pg_extension_config_dump('market.distribution_commitments', '');

CREATE FUNCTION market.place_commitment(account bigint, outcome bigint, amount numeric,
		"position" text DEFAULT 'yes', idempotency_key text DEFAULT NULL)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'market_place_commitment'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION market.place_commitment(bigint, bigint, numeric, text, text) IS
	'commit cash to an outcome of a parimutuel pool, yes (it wins) or no (it loses); returns the commitment id';

CREATE FUNCTION market.rollback_distribution(distribution bigint, reason text) RETURNS void
	AS 'MODULE_PATHNAME', 'market_rollback_distribution'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION market.rollback_distribution(bigint, text) IS
	'reverse every payout and fee of a completed pool distribution and return the pool to closed for a new report (admins)';

-- Public market data: the pool per outcome.  W is what wins if the
-- outcome wins (yes on it, no on every other); a winning commitment is
-- paid (pool - fees) / W per 1.00 committed; W / sum of W is the implied
-- probability.  Aggregates only, read with the owner's rights.
CREATE VIEW market.pool_outcomes WITH (security_barrier = true) AS
WITH per AS (
	SELECT o.market, o.id AS outcome, o.number, o.label,
		   coalesce(sum(c.amount) FILTER (WHERE c.position = 'yes'), 0) AS yes,
		   coalesce(sum(c.amount) FILTER (WHERE c.position = 'no'), 0) AS no
	  FROM market.outcomes o
	  JOIN market.markets m ON m.id = o.market AND m.kind = 'parimutuel'
	  LEFT JOIN market.commitments c ON c.outcome = o.id
	 GROUP BY o.market, o.id, o.number, o.label
), w AS (
	SELECT per.*, sum(yes + no) OVER (PARTITION BY market) AS pool,
		   yes + sum(no) OVER (PARTITION BY market) - no AS winning
	  FROM per
), f AS (
	SELECT w.*, m.number AS market_number,
		   floor(w.pool * m.fee_bps / 10000) + floor(w.pool * m.creator_fee_bps / 10000) AS fees,
		   sum(w.winning) OVER (PARTITION BY w.market) AS all_winning
	  FROM w JOIN market.markets m ON m.id = w.market
)
SELECT market, market_number, outcome, number AS outcome_number, label AS outcome_label,
	   yes * 0.000001 AS yes, no * 0.000001 AS no, pool * 0.000001 AS pool,
	   winning * 0.000001 AS winning, fees * 0.000001 AS fees,
	   CASE WHEN winning > 0 THEN round((pool - fees) / winning, 6) END AS payout_per_unit,
	   CASE WHEN all_winning > 0 THEN round(winning / all_winning, 6) END AS implied_probability
  FROM f;
COMMENT ON VIEW market.pool_outcomes IS
	'each outcome of every parimutuel pool: committed yes and no, W (what wins if it wins), the payout per 1.00 and the implied probability, in cash units';
COMMENT ON COLUMN market.pool_outcomes.market IS 'the pool''s market id';
COMMENT ON COLUMN market.pool_outcomes.market_number IS 'the market number';
COMMENT ON COLUMN market.pool_outcomes.outcome IS 'the outcome id';
COMMENT ON COLUMN market.pool_outcomes.outcome_number IS 'the outcome number, 1..N';
COMMENT ON COLUMN market.pool_outcomes.outcome_label IS 'the outcome''s label';
COMMENT ON COLUMN market.pool_outcomes.yes IS 'cash committed yes on the outcome';
COMMENT ON COLUMN market.pool_outcomes.no IS 'cash committed no on the outcome';
COMMENT ON COLUMN market.pool_outcomes.pool IS 'the whole pool: every commitment of the market';
COMMENT ON COLUMN market.pool_outcomes.winning IS 'W: yes on this outcome plus no on every other, what wins if it wins';
COMMENT ON COLUMN market.pool_outcomes.fees IS 'house and creator fees taken if it wins: floor(pool * bps / 10000) each';
COMMENT ON COLUMN market.pool_outcomes.payout_per_unit IS 'what 1.00 committed on a winning side is paid if it wins: (pool - fees) / W (NULL if W is 0)';
COMMENT ON COLUMN market.pool_outcomes.implied_probability IS 'W / the sum of W over the outcomes';

-- Per account and distribution: seed 001's totals (payout, profit, loss).
CREATE VIEW market.distribution_accounts WITH (security_invoker = true) AS
SELECT dc.distribution, d.market, m.number AS market_number, d.status, dc.account,
	   count(*) AS commitments,
	   sum(dc.amount) * 0.000001 AS committed,
	   sum(dc.payout) * 0.000001 AS payout,
	   coalesce(sum(dc.payout - dc.amount) FILTER (WHERE dc.result = 'won'), 0) * 0.000001 AS profit,
	   coalesce(sum(dc.amount) FILTER (WHERE dc.result = 'lost'), 0) * 0.000001 AS loss,
	   (sum(dc.payout) - sum(dc.amount)) * 0.000001 AS net,
	   s.paid_at, s.transfer
  FROM market.distribution_commitments dc
  JOIN market.distributions d ON d.id = dc.distribution
  JOIN market.markets m ON m.id = d.market
  LEFT JOIN market.settlements s ON s.market = d.market AND s.distribution = dc.distribution
								 AND s.account = dc.account
 GROUP BY dc.distribution, d.market, m.number, d.status, dc.account, s.paid_at, s.transfer;
COMMENT ON VIEW market.distribution_accounts IS
	'each account''s part of each pool distribution: committed, payout, profit, loss and when it was paid, in cash units';
COMMENT ON COLUMN market.distribution_accounts.distribution IS 'the distribution';
COMMENT ON COLUMN market.distribution_accounts.market IS 'the pool''s market id';
COMMENT ON COLUMN market.distribution_accounts.market_number IS 'the market number';
COMMENT ON COLUMN market.distribution_accounts.status IS 'the distribution''s status';
COMMENT ON COLUMN market.distribution_accounts.account IS 'the account';
COMMENT ON COLUMN market.distribution_accounts.commitments IS 'how many commitments it has in the pool';
COMMENT ON COLUMN market.distribution_accounts.committed IS 'the cash it committed';
COMMENT ON COLUMN market.distribution_accounts.payout IS 'what the distribution pays it in all';
COMMENT ON COLUMN market.distribution_accounts.profit IS 'payout less amount over its winning commitments';
COMMENT ON COLUMN market.distribution_accounts.loss IS 'the amounts of its losing commitments';
COMMENT ON COLUMN market.distribution_accounts.net IS 'payout less committed (profit less loss, refunds aside)';
COMMENT ON COLUMN market.distribution_accounts.paid_at IS 'when settle paid it (NULL while owed, or before finalization)';
COMMENT ON COLUMN market.distribution_accounts.transfer IS 'the journal transfer (kind distribution or refund) that paid it';

-- Per commitment and distribution, in cash units.
CREATE VIEW market.distribution_results WITH (security_invoker = true) AS
SELECT dc.distribution, d.market, d.status, dc.commitment, dc.account, dc.outcome,
	   o.number AS outcome_number, dc.position, dc.result, dc.amount * 0.000001 AS amount,
	   CASE WHEN dc.result = 'won' THEN round(dc.amount::numeric / d.winning, 6)
			WHEN dc.result = 'refunded' AND d.pool > 0 THEN round(dc.amount::numeric / d.pool, 6)
			ELSE 0.000000 END AS share,
	   dc.payout * 0.000001 AS payout,
	   (dc.payout - dc.amount) * 0.000001 AS profit
  FROM market.distribution_commitments dc
  JOIN market.distributions d ON d.id = dc.distribution
  JOIN market.outcomes o ON o.id = dc.outcome;
COMMENT ON VIEW market.distribution_results IS
	'each commitment of each pool distribution: won or lost, its share of the winners, payout and profit, in cash units';
COMMENT ON COLUMN market.distribution_results.distribution IS 'the distribution';
COMMENT ON COLUMN market.distribution_results.market IS 'the pool''s market id';
COMMENT ON COLUMN market.distribution_results.status IS 'the distribution''s status';
COMMENT ON COLUMN market.distribution_results.commitment IS 'the commitment';
COMMENT ON COLUMN market.distribution_results.account IS 'the account that committed';
COMMENT ON COLUMN market.distribution_results.outcome IS 'the outcome id committed on';
COMMENT ON COLUMN market.distribution_results.outcome_number IS 'the outcome number';
COMMENT ON COLUMN market.distribution_results.position IS 'yes or no';
COMMENT ON COLUMN market.distribution_results.result IS 'won, lost or refunded';
COMMENT ON COLUMN market.distribution_results.amount IS 'the cash committed';
COMMENT ON COLUMN market.distribution_results.share IS 'amount / W for a winner (its share of the payouts), amount / pool for a refund, 0 for a loser';
COMMENT ON COLUMN market.distribution_results.payout IS 'what it is paid';
COMMENT ON COLUMN market.distribution_results.profit IS 'payout less amount (minus the amount for a loser)';

-- The audit: every amount of every distribution recomputed from the
-- commitments, the pool and the fee rates, next to what was recorded.
CREATE VIEW market.distribution_audit WITH (security_invoker = true) AS
WITH c AS (
	SELECT d.id AS distribution, c.id AS commitment, c.amount,
		   CASE WHEN d.refund THEN 'refunded'
				WHEN (c.position = 'yes') = (c.outcome = d.outcome) THEN 'won' ELSE 'lost' END AS result,
		   d.pool - d.house_fee - d.creator_fee AS payouts, d.winning
	  FROM market.distributions d JOIN market.commitments c ON c.market = d.market
), s AS (
	SELECT c.*, CASE c.result WHEN 'won' THEN div(c.amount::numeric * c.payouts, c.winning)
							  WHEN 'refunded' THEN c.amount ELSE 0 END AS base,
		   CASE WHEN c.result = 'won' THEN mod(c.amount::numeric * c.payouts, c.winning) ELSE 0 END AS remainder
	  FROM c
), r AS (
	SELECT s.*, row_number() OVER (PARTITION BY s.distribution
								   ORDER BY s.result = 'won' DESC, s.remainder DESC, s.commitment) AS rank,
		   s.payouts - sum(s.base) FILTER (WHERE s.result = 'won') OVER (PARTITION BY s.distribution) AS residue
	  FROM s
), expected AS (
	SELECT r.distribution, r.commitment, r.result,
		   r.base + CASE WHEN r.result = 'won' AND r.rank <= r.residue THEN 1 ELSE 0 END AS payout
	  FROM r
)
SELECT d.id AS distribution, d.market, d.status,
	   (SELECT coalesce(sum(amount), 0) FROM market.commitments WHERE market = d.market) * 0.000001 AS pool,
	   d.pool * 0.000001 AS recorded_pool,
	   CASE WHEN d.refund THEN 0 ELSE floor(d.pool::numeric * d.fee_bps / 10000) END * 0.000001 AS house_fee,
	   d.house_fee * 0.000001 AS recorded_house_fee,
	   CASE WHEN d.refund THEN 0 ELSE floor(d.pool::numeric * d.creator_fee_bps / 10000) END * 0.000001 AS creator_fee,
	   d.creator_fee * 0.000001 AS recorded_creator_fee,
	   (SELECT count(*) FROM expected e WHERE e.distribution = d.id) AS commitments,
	   (SELECT count(*) FROM expected e
		  FULL JOIN (SELECT * FROM market.distribution_commitments WHERE distribution = d.id) dc
				 ON dc.commitment = e.commitment
		 WHERE coalesce(e.distribution, d.id) = d.id
		   AND (e.commitment IS NULL OR dc.commitment IS NULL OR e.result <> dc.result
				OR e.payout <> dc.payout)) AS mismatched,
	   (SELECT coalesce(sum(payout), 0) FROM market.distribution_commitments WHERE distribution = d.id)
		 * 0.000001 AS payouts,
	   (SELECT coalesce(sum(s.amount), 0) FROM market.settlements s
		 WHERE s.market = d.market AND s.distribution = d.id AND s.paid_at IS NOT NULL) * 0.000001 AS paid,
	   (SELECT count(DISTINCT s.transfer) FROM market.settlements s
		 WHERE s.market = d.market AND s.distribution = d.id AND s.paid_at IS NOT NULL) AS payout_transfers,
	   d.fee_transfer, d.rollback_transfer
  FROM market.distributions d;
COMMENT ON VIEW market.distribution_audit IS
	'each pool distribution recomputed from its commitments, pool and fee rates next to what was recorded, with the transfers that paid it, in cash units';
COMMENT ON COLUMN market.distribution_audit.distribution IS 'the distribution';
COMMENT ON COLUMN market.distribution_audit.market IS 'the pool''s market id';
COMMENT ON COLUMN market.distribution_audit.status IS 'the distribution''s status';
COMMENT ON COLUMN market.distribution_audit.pool IS 'the commitments of the pool summed now';
COMMENT ON COLUMN market.distribution_audit.recorded_pool IS 'the pool the distribution recorded';
COMMENT ON COLUMN market.distribution_audit.house_fee IS 'floor(pool * fee_bps / 10000) recomputed (0 for a refund)';
COMMENT ON COLUMN market.distribution_audit.recorded_house_fee IS 'the house fee recorded';
COMMENT ON COLUMN market.distribution_audit.creator_fee IS 'floor(pool * creator_fee_bps / 10000) recomputed (0 for a refund)';
COMMENT ON COLUMN market.distribution_audit.recorded_creator_fee IS 'the creator fee recorded';
COMMENT ON COLUMN market.distribution_audit.commitments IS 'the commitments recomputed';
COMMENT ON COLUMN market.distribution_audit.mismatched IS 'commitments whose recorded result or payout differs from the recomputation, or that are missing on one side (0 when the audit passes)';
COMMENT ON COLUMN market.distribution_audit.payouts IS 'the payouts recorded, summed';
COMMENT ON COLUMN market.distribution_audit.paid IS 'what settle has paid of it so far';
COMMENT ON COLUMN market.distribution_audit.payout_transfers IS 'how many journal transfers paid it';
COMMENT ON COLUMN market.distribution_audit.fee_transfer IS 'the journal transfer that paid its fees';
COMMENT ON COLUMN market.distribution_audit.rollback_transfer IS 'the journal transfer that reversed it';

-- Seed 001's dashboard figures per pool.
CREATE VIEW market.pool_dashboard WITH (security_invoker = true) AS
SELECT m.id AS market, m.number AS market_number, m.description, m.state,
	   (SELECT count(*) FROM market.commitments c WHERE c.market = m.id) AS commitments,
	   (SELECT coalesce(sum(c.amount), 0) FROM market.commitments c WHERE c.market = m.id) * 0.000001
		 AS total_committed,
	   (SELECT count(DISTINCT c.account) FROM market.commitments c WHERE c.market = m.id) AS active_accounts,
	   d.id AS distribution, d.status AS distribution_status,
	   coalesce(d.payouts, 0) * 0.000001 AS payouts,
	   (SELECT coalesce(sum(s.amount), 0) FROM market.settlements s
		 WHERE s.market = m.id AND s.distribution = d.id AND s.paid_at IS NOT NULL) * 0.000001 AS paid,
	   coalesce(d.house_fee, 0) * 0.000001 AS house_fee,
	   coalesce(d.creator_fee, 0) * 0.000001 AS creator_fee
  FROM market.markets m
  LEFT JOIN LATERAL (SELECT * FROM market.distributions x WHERE x.market = m.id
					  ORDER BY x.id DESC LIMIT 1) d ON true
 WHERE m.kind = 'parimutuel';
COMMENT ON VIEW market.pool_dashboard IS
	'seed 001''s dashboard per pool: commitments, total committed, active accounts, the latest distribution''s payouts and fees, in cash units';
COMMENT ON COLUMN market.pool_dashboard.market IS 'the pool''s market id';
COMMENT ON COLUMN market.pool_dashboard.market_number IS 'the market number';
COMMENT ON COLUMN market.pool_dashboard.description IS 'the market''s description';
COMMENT ON COLUMN market.pool_dashboard.state IS 'the market''s state';
COMMENT ON COLUMN market.pool_dashboard.commitments IS 'commitments the caller may see';
COMMENT ON COLUMN market.pool_dashboard.total_committed IS 'cash committed, over the commitments the caller may see';
COMMENT ON COLUMN market.pool_dashboard.active_accounts IS 'accounts that committed, of those the caller may see';
COMMENT ON COLUMN market.pool_dashboard.distribution IS 'the latest distribution (NULL before a report)';
COMMENT ON COLUMN market.pool_dashboard.distribution_status IS 'its status';
COMMENT ON COLUMN market.pool_dashboard.payouts IS 'what it pays the commitments in all';
COMMENT ON COLUMN market.pool_dashboard.paid IS 'what settle has paid of it, over the accounts the caller may see';
COMMENT ON COLUMN market.pool_dashboard.house_fee IS 'its house fee';
COMMENT ON COLUMN market.pool_dashboard.creator_fee IS 'its creator fee';

GRANT SELECT ON market.commitments, market.distribution_commitments,
				market.distribution_accounts, market.distribution_results, market.pool_dashboard
	TO market_admin, market_operator, market_trader;
GRANT SELECT ON market.distribution_audit TO market_admin, market_operator;
GRANT SELECT ON market.distributions, market.pool_outcomes
	TO market_admin, market_operator, market_trader, market_oracle;
REVOKE ALL ON FUNCTION market.place_commitment(bigint, bigint, numeric, text, text),
					   market.rollback_distribution(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION market.place_commitment(bigint, bigint, numeric, text, text)
	TO market_operator, market_trader;
GRANT EXECUTE ON FUNCTION market.rollback_distribution(bigint, text) TO market_admin;

ALTER TABLE market.commitments ENABLE ROW LEVEL SECURITY;
ALTER TABLE market.distribution_commitments ENABLE ROW LEVEL SECURITY;
CREATE POLICY commitments_staff ON market.commitments FOR SELECT
	TO market_admin, market_operator USING (true);
CREATE POLICY commitments_owner ON market.commitments FOR SELECT
	TO market_trader USING (account IN (SELECT id FROM market.accounts));
CREATE POLICY distribution_commitments_staff ON market.distribution_commitments FOR SELECT
	TO market_admin, market_operator USING (true);
CREATE POLICY distribution_commitments_owner ON market.distribution_commitments FOR SELECT
	TO market_trader USING (account IN (SELECT id FROM market.accounts));

-- Pools in the account read models.  account_summary counts a pool's
-- open commitments (those of the account not yet paid by a completed
-- distribution) in invested and, at cost, in market value and total;
-- account_settlements tells a rolled-back distribution's rows apart.
CREATE OR REPLACE VIEW market.account_summary WITH (security_invoker = true) AS
SELECT b.id AS account, b.label, b.balance, b.locked, b.available,
	   COALESCE(p.invested, 0) * 0.000001 AS invested,
	   COALESCE(round(p.value), 0) * 0.000001 AS market_value,
	   b.balance + COALESCE(round(p.value), 0) * 0.000001 AS total,
	   (COALESCE(round(p.value), 0) - COALESCE(p.invested, 0)) * 0.000001 AS unrealized_pnl
  FROM market.account_balances b
  LEFT JOIN (SELECT x.account, sum(x.invested) AS invested, sum(x.value) AS value
			   FROM (SELECT h.account, h.cost::numeric AS invested,
							COALESCE(h.quantity::numeric(60, 20) * k.num / k.den, h.cost) AS value
					   FROM market.holdings h
					   LEFT JOIN market_internal.marks k ON k.outcome = h.outcome
					  WHERE h.quantity > 0
					 UNION ALL
					 SELECT c.account, c.amount, c.amount
					   FROM market.commitments c
					  WHERE NOT EXISTS (SELECT 1 FROM market.settlements s
										  JOIN market.distributions d ON d.id = s.distribution
										 WHERE s.market = c.market AND s.account = c.account
										   AND s.paid_at IS NOT NULL AND d.status = 'completed')) x
			  GROUP BY x.account) p ON p.account = b.id
 WHERE b.kind = 'user';
COMMENT ON VIEW market.account_summary IS
	'each trader account: balance, locked, available, invested, market value, total and unrealized P&L, in cash units';
COMMENT ON COLUMN market.account_summary.invested IS 'the cost basis of all contracts held, plus the open pool commitments (not yet paid by a completed distribution), in cash units';
COMMENT ON COLUMN market.account_summary.market_value IS 'the contracts held at last trade prices (at cost where an outcome has not traded), plus the open pool commitments at cost, in cash units';

CREATE OR REPLACE VIEW market.account_settlements WITH (security_invoker = true) AS
SELECT s.market, m.number AS market_number, m.description AS market_description,
	   s.account, a.label AS account_label, s.kind,
	   s.amount * 0.000001 AS amount, s.cost * 0.000001 AS cost,
	   (s.amount - s.cost) * 0.000001 AS pnl,
	   s.paid_at, s.transfer,
	   s.distribution, COALESCE(d.status = 'rolled_back', false) AS rolled_back
  FROM market.settlements s
  JOIN market.accounts a ON a.id = s.account
  JOIN market.markets m ON m.id = s.market
  LEFT JOIN market.distributions d ON d.id = s.distribution;
COMMENT ON COLUMN market.account_settlements.distribution IS 'the pool distribution it pays (NULL for an order-book market)';
COMMENT ON COLUMN market.account_settlements.rolled_back IS 'true if its distribution was rolled back: what it paid was taken back, and a later distribution pays again';

------------------------------------------------------------------------------
-- Distribution markets (SPEC section 10a, seed 000): a market over a
-- number's whole Normal distribution, with an automated market maker of
-- constant L2 norm k, backed by a liquidity account's b.  Money in
-- micro-units as everywhere; mean, stddev, k and the final value in
-- micro-units of their own.  The arithmetic is src/distribution_math.c.
------------------------------------------------------------------------------

CREATE TABLE market.distribution_markets (
	market		bigint PRIMARY KEY REFERENCES market.markets (id),
	liquidity_account bigint NOT NULL,
	backing		bigint NOT NULL CONSTRAINT distribution_markets_backing CHECK (backing > 0),
	min_stddev	bigint NOT NULL CONSTRAINT distribution_markets_min_stddev CHECK (min_stddev > 0),
	k			bigint NOT NULL CONSTRAINT distribution_markets_k CHECK (k > 0),
	start_mean	bigint NOT NULL,
	start_stddev bigint NOT NULL,
	mean		bigint NOT NULL,
	stddev		bigint NOT NULL,
	posted		bigint NOT NULL DEFAULT 0 CONSTRAINT distribution_markets_posted CHECK (posted >= 0),
	trades		integer NOT NULL DEFAULT 0,
	updated_at	timestamptz NOT NULL DEFAULT pg_catalog.now(),
	CONSTRAINT distribution_markets_stddev CHECK (stddev >= min_stddev AND start_stddev >= min_stddev)
);
COMMENT ON TABLE market.distribution_markets IS
	'each distribution market''s parameters and current Normal (mean, stddev), in micro-units; posted is the collateral its trades posted';
COMMENT ON COLUMN market.distribution_markets.market IS 'the market''s id';
COMMENT ON COLUMN market.distribution_markets.liquidity_account IS 'the account that paid the backing and is owed what the traders are not';
COMMENT ON COLUMN market.distribution_markets.backing IS 'b: the backing the liquidity account paid in, micro-units';
COMMENT ON COLUMN market.distribution_markets.min_stddev IS 'the smallest stddev a trade may set, micro-units';
COMMENT ON COLUMN market.distribution_markets.k IS 'the L2 norm of every f: b sqrt(min_stddev sqrt(pi)) rounded down, micro-units';
COMMENT ON COLUMN market.distribution_markets.start_mean IS 'the mean the market opened with, micro-units';
COMMENT ON COLUMN market.distribution_markets.start_stddev IS 'the stddev the market opened with, micro-units';
COMMENT ON COLUMN market.distribution_markets.mean IS 'the current mean, micro-units';
COMMENT ON COLUMN market.distribution_markets.stddev IS 'the current stddev, micro-units';
COMMENT ON COLUMN market.distribution_markets.posted IS 'the collateral all trades posted, micro-units';
COMMENT ON COLUMN market.distribution_markets.trades IS 'how many trades moved the market';
COMMENT ON COLUMN market.distribution_markets.updated_at IS 'when the last trade moved it';

CREATE TABLE market.distribution_positions (
	id			bigint PRIMARY KEY,
	market		bigint NOT NULL REFERENCES market.distribution_markets (market),
	account		bigint NOT NULL,
	old_mean	bigint NOT NULL,
	old_stddev	bigint NOT NULL,
	new_mean	bigint NOT NULL,
	new_stddev	bigint NOT NULL,
	collateral	bigint NOT NULL CONSTRAINT distribution_positions_collateral CHECK (collateral >= 0),
	fee			bigint NOT NULL CONSTRAINT distribution_positions_fee CHECK (fee >= 0),
	created_at	timestamptz NOT NULL DEFAULT pg_catalog.now()
);
CREATE INDEX distribution_positions_market ON market.distribution_positions (market, id);
CREATE INDEX distribution_positions_account ON market.distribution_positions (account);
COMMENT ON TABLE market.distribution_positions IS
	'one row per distribution trade: the position g - f (old and new Normal), the collateral posted and the fee paid, in micro-units';
COMMENT ON COLUMN market.distribution_positions.id IS 'the position''s id (a snowflake)';
COMMENT ON COLUMN market.distribution_positions.market IS 'the market''s id';
COMMENT ON COLUMN market.distribution_positions.account IS 'the account that traded';
COMMENT ON COLUMN market.distribution_positions.old_mean IS 'f''s mean: the market before the trade, micro-units';
COMMENT ON COLUMN market.distribution_positions.old_stddev IS 'f''s stddev, micro-units';
COMMENT ON COLUMN market.distribution_positions.new_mean IS 'g''s mean: the market after the trade, micro-units';
COMMENT ON COLUMN market.distribution_positions.new_stddev IS 'g''s stddev, micro-units';
COMMENT ON COLUMN market.distribution_positions.collateral IS 'the largest loss of g - f, rounded up, posted into the market''s collateral, micro-units';
COMMENT ON COLUMN market.distribution_positions.fee IS 'the fee paid to house on top of the collateral, micro-units';
COMMENT ON COLUMN market.distribution_positions.created_at IS 'when the trade was made';

SELECT pg_catalog.pg_extension_config_dump('market.distribution_markets', '');
SELECT pg_catalog.pg_extension_config_dump('market.distribution_positions', '');

CREATE FUNCTION market.create_distribution_market(description text, mean numeric, stddev numeric,
		backing numeric, liquidity_account bigint, min_stddev numeric,
		close_at timestamptz DEFAULT NULL, oracle bigint DEFAULT NULL, fee_bps int DEFAULT 0,
		dispute_window interval DEFAULT '0')
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'market_create_distribution_market'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION market.create_distribution_market(text, numeric, numeric, numeric, bigint, numeric,
		timestamptz, bigint, int, interval) IS
	'a distribution market on a number: the liquidity account pays the backing b; returns its id (admins who may spend that account)';

CREATE FUNCTION market.quote_distribution(market bigint, mean numeric, stddev numeric)
	RETURNS TABLE (collateral numeric, fee numeric, max_payout numeric, total numeric,
				   worst_at numeric, best_at numeric, payout_at_mean numeric,
				   payout_at_current_mean numeric)
	AS 'MODULE_PATHNAME', 'market_quote_distribution'
	LANGUAGE C STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION market.quote_distribution(bigint, numeric, numeric) IS
	'what moving a distribution market to (mean, stddev) would cost (collateral, fee, total) and pay (largest payout, where, at the means), without trading';

CREATE FUNCTION market.trade_distribution(account bigint, market bigint, mean numeric, stddev numeric,
		max_collateral numeric, idempotency_key text DEFAULT NULL)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'market_trade_distribution'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION market.trade_distribution(bigint, bigint, numeric, numeric, numeric, text) IS
	'move a distribution market to (mean, stddev): post the collateral and pay the fee, at most max_collateral together; returns the position id';

CREATE FUNCTION market.distribution_curve(market bigint, points int DEFAULT 41,
		low numeric DEFAULT NULL, high numeric DEFAULT NULL)
	RETURNS TABLE (x numeric, density numeric)
	AS 'MODULE_PATHNAME', 'market_distribution_curve'
	LANGUAGE C STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION market.distribution_curve(bigint, int, numeric, numeric) IS
	'a distribution market''s current f(x) at points evenly spaced from low to high (default mean -+ 4 stddevs), rounded down, ready to plot';

CREATE FUNCTION market.distribution_payoff(position_id bigint, x numeric)
	RETURNS numeric
	AS 'MODULE_PATHNAME', 'market_distribution_payoff'
	LANGUAGE C STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION market.distribution_payoff(bigint, numeric) IS
	'what a distribution position would be paid if the final value were x: collateral + g(x) - f(x), rounded down (its own account''s positions for a trader)';

-- A bar chart of a series for psql: one row per point, its bar scaled to
-- the largest value (eighths of a block for the fraction), so any chart
-- can draw through it.
CREATE FUNCTION market.bar_chart(xs numeric[], ys numeric[], width int DEFAULT 40)
	RETURNS TABLE (x numeric, y numeric, bar text)
	LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	parts CONSTANT text[] := ARRAY['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
	top numeric;
	eighths int;
	i int;
BEGIN
	IF bar_chart.width IS NULL OR bar_chart.width NOT BETWEEN 1 AND 200 THEN
		RAISE EXCEPTION 'width must be between 1 and 200 characters'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF cardinality(bar_chart.xs) IS DISTINCT FROM cardinality(bar_chart.ys) THEN
		RAISE EXCEPTION 'xs and ys must have as many elements'
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = format('xs has %s, ys has %s.', cardinality(bar_chart.xs), cardinality(bar_chart.ys));
	END IF;
	SELECT max(v) INTO top FROM unnest(bar_chart.ys) v;
	FOR i IN 1 .. coalesce(cardinality(bar_chart.xs), 0) LOOP
		eighths := CASE WHEN top > 0 AND bar_chart.ys[i] > 0
						THEN round(bar_chart.ys[i] * bar_chart.width * 8 / top)::int ELSE 0 END;
		x := bar_chart.xs[i];
		y := bar_chart.ys[i];
		bar := repeat('█', eighths / 8) || parts[1 + eighths % 8];
		RETURN NEXT;
	END LOOP;
END
$$;
COMMENT ON FUNCTION market.bar_chart(numeric[], numeric[], int) IS
	'a series (x, y) drawn in text, one row per point with a bar scaled to the largest y, for psql';

CREATE FUNCTION market.distribution_chart(market bigint, points int DEFAULT 25, width int DEFAULT 40,
		low numeric DEFAULT NULL, high numeric DEFAULT NULL)
	RETURNS TABLE (x numeric, density numeric, bar text)
	LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT c.x, c.y, c.bar
	  FROM (SELECT array_agg(d.x ORDER BY d.x) AS xs, array_agg(d.density ORDER BY d.x) AS ys
			  FROM market.distribution_curve(distribution_chart.market, distribution_chart.points,
											 distribution_chart.low, distribution_chart.high) d) s,
		   market.bar_chart(s.xs, s.ys, distribution_chart.width) c
$$;
COMMENT ON FUNCTION market.distribution_chart(bigint, int, int, numeric, numeric) IS
	'a distribution market''s current curve drawn in text: one row per x with its density and a bar';

-- Public market data: each distribution market's current Normal and
-- parameters, in cash units (lambda and the peak from k and the stddev).
CREATE VIEW market.distribution_overview WITH (security_barrier = true) AS
	SELECT m.id AS market, m.number, m.description, m.state,
		   d.mean * 0.000001 AS mean, d.stddev * 0.000001 AS stddev,
		   round(d.k * 0.000001 * sqrt(2 * d.stddev * 0.000001 * sqrt(pi()::numeric)), 6) AS lambda,
		   d.k * 0.000001 AS k, d.backing * 0.000001 AS backing, d.min_stddev * 0.000001 AS min_stddev,
		   round(d.k * 0.000001 / sqrt(d.stddev * 0.000001 * sqrt(pi()::numeric)), 6) AS peak,
		   d.posted * 0.000001 AS collateral_posted, d.trades,
		   m.final_value * 0.000001 AS final_value, m.fee_bps, m.close_at
	  FROM market.distribution_markets d JOIN market.markets m ON m.id = d.market;
COMMENT ON VIEW market.distribution_overview IS
	'each distribution market: its current mean, stddev, lambda, k, backing b, min_stddev, peak, collateral posted and final value, in cash units';
COMMENT ON COLUMN market.distribution_overview.market IS 'the market''s id';
COMMENT ON COLUMN market.distribution_overview.number IS 'the market''s number';
COMMENT ON COLUMN market.distribution_overview.description IS 'the question the market asks';
COMMENT ON COLUMN market.distribution_overview.state IS 'the state as stored';
COMMENT ON COLUMN market.distribution_overview.mean IS 'the current mean';
COMMENT ON COLUMN market.distribution_overview.stddev IS 'the current stddev';
COMMENT ON COLUMN market.distribution_overview.lambda IS 'k sqrt(2 stddev sqrt(pi)): f is lambda times the Normal density';
COMMENT ON COLUMN market.distribution_overview.k IS 'the L2 norm every f keeps';
COMMENT ON COLUMN market.distribution_overview.backing IS 'b, the liquidity account''s backing, in cash units';
COMMENT ON COLUMN market.distribution_overview.min_stddev IS 'the smallest stddev a trade may set';
COMMENT ON COLUMN market.distribution_overview.peak IS 'f at its mean, k / sqrt(stddev sqrt(pi)), never above b';
COMMENT ON COLUMN market.distribution_overview.collateral_posted IS 'the collateral all trades posted, in cash units';
COMMENT ON COLUMN market.distribution_overview.trades IS 'how many trades moved the market';
COMMENT ON COLUMN market.distribution_overview.final_value IS 'the value the oracle reported (NULL until resolved)';
COMMENT ON COLUMN market.distribution_overview.fee_bps IS 'fee to house on each trade''s collateral, in basis points';
COMMENT ON COLUMN market.distribution_overview.close_at IS 'trading stops at this instant (NULL: never by the clock)';

-- Each position, its figures in cash units, what it is owed once the
-- market is final (or refunded once cancelled) and its P&L: the payout
-- less the collateral and the fee.  Row-level security: a trader sees its
-- own accounts' positions.
CREATE VIEW market.distribution_account_positions WITH (security_invoker = true) AS
	SELECT p.id AS position, p.account, a.label AS account_label, p.market, m.number AS market_number,
		   p.old_mean * 0.000001 AS old_mean, p.old_stddev * 0.000001 AS old_stddev,
		   p.new_mean * 0.000001 AS new_mean, p.new_stddev * 0.000001 AS new_stddev,
		   p.collateral * 0.000001 AS collateral, p.fee * 0.000001 AS fee,
		   m.final_value * 0.000001 AS final_value,
		   s.amount * 0.000001 AS payout,
		   (s.amount - p.collateral - p.fee) * 0.000001 AS pnl,
		   CASE WHEN s.paid_at IS NOT NULL THEN 'settled'
				WHEN s.amount IS NOT NULL THEN 'owed'
				ELSE 'open' END AS status,
		   p.created_at
	  FROM market.distribution_positions p
	  JOIN market.markets m ON m.id = p.market
	  LEFT JOIN market.accounts a ON a.id = p.account
	  LEFT JOIN market.settlements s ON s.market = p.market AND s.position = p.id;
COMMENT ON VIEW market.distribution_account_positions IS
	'each distribution position: its old and new Normal, collateral and fee, and once final its payout and P&L, in cash units';
COMMENT ON COLUMN market.distribution_account_positions.position IS 'the position''s id';
COMMENT ON COLUMN market.distribution_account_positions.account IS 'the account that traded';
COMMENT ON COLUMN market.distribution_account_positions.account_label IS 'the account''s label';
COMMENT ON COLUMN market.distribution_account_positions.market IS 'the market''s id';
COMMENT ON COLUMN market.distribution_account_positions.market_number IS 'the market''s number';
COMMENT ON COLUMN market.distribution_account_positions.old_mean IS 'the mean before the trade';
COMMENT ON COLUMN market.distribution_account_positions.old_stddev IS 'the stddev before the trade';
COMMENT ON COLUMN market.distribution_account_positions.new_mean IS 'the mean the trade set';
COMMENT ON COLUMN market.distribution_account_positions.new_stddev IS 'the stddev the trade set';
COMMENT ON COLUMN market.distribution_account_positions.collateral IS 'the collateral posted, in cash units';
COMMENT ON COLUMN market.distribution_account_positions.fee IS 'the fee paid, in cash units';
COMMENT ON COLUMN market.distribution_account_positions.final_value IS 'the value the oracle reported (NULL until resolved)';
COMMENT ON COLUMN market.distribution_account_positions.payout IS 'what the position is owed once final (or refunded once cancelled), in cash units';
COMMENT ON COLUMN market.distribution_account_positions.pnl IS 'payout - collateral - fee, in cash units (NULL until final)';
COMMENT ON COLUMN market.distribution_account_positions.status IS 'open, owed (fixed, not paid yet) or settled';
COMMENT ON COLUMN market.distribution_account_positions.created_at IS 'when the trade was made';

GRANT SELECT ON market.distribution_markets, market.distribution_overview
	TO market_admin, market_operator, market_trader, market_oracle;
GRANT SELECT ON market.distribution_positions, market.distribution_account_positions
	TO market_admin, market_operator, market_trader;
ALTER TABLE market.distribution_positions ENABLE ROW LEVEL SECURITY;
CREATE POLICY distribution_positions_staff ON market.distribution_positions FOR SELECT
	TO market_admin, market_operator USING (true);
CREATE POLICY distribution_positions_owner ON market.distribution_positions FOR SELECT
	TO market_trader USING (account IN (SELECT id FROM market.accounts));
REVOKE ALL ON FUNCTION market.create_distribution_market(text, numeric, numeric, numeric, bigint, numeric,
		timestamptz, bigint, int, interval), market.quote_distribution(bigint, numeric, numeric),
		market.trade_distribution(bigint, bigint, numeric, numeric, numeric, text),
		market.distribution_curve(bigint, int, numeric, numeric), market.distribution_payoff(bigint, numeric),
		market.bar_chart(numeric[], numeric[], int), market.distribution_chart(bigint, int, int, numeric, numeric)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION market.create_distribution_market(text, numeric, numeric, numeric, bigint, numeric,
		timestamptz, bigint, int, interval)
	TO market_admin;
GRANT EXECUTE ON FUNCTION market.trade_distribution(bigint, bigint, numeric, numeric, numeric, text)
	TO market_operator, market_trader;
GRANT EXECUTE ON FUNCTION market.distribution_payoff(bigint, numeric)
	TO market_admin, market_operator, market_trader;
GRANT EXECUTE ON FUNCTION market.quote_distribution(bigint, numeric, numeric),
						  market.distribution_curve(bigint, int, numeric, numeric),
						  market.bar_chart(numeric[], numeric[], int),
						  market.distribution_chart(bigint, int, int, numeric, numeric)
	TO market_admin, market_operator, market_trader, market_oracle;

COMMENT ON COLUMN market.markets.final_value IS
	'a distribution market''s reported final value, micro-units (NULL for other kinds and until resolved)';

------------------------------------------------------------------------------
-- The write path (issue 11): room for updates
------------------------------------------------------------------------------

-- Holdings and positions are updated at every fill of their account in
-- their market and once more at settlement, always in columns no index
-- covers: with room on the page each update is HOT (no index entries, the
-- page pruned in passing).  Filled to the brim, as by default, each one
-- moved to another page with new entries in both of their indexes;
-- settle() of 100,000 positions took a third longer.
ALTER TABLE market.holdings SET (fillfactor = 50);
ALTER TABLE market.positions SET (fillfactor = 50);

------------------------------------------------------------------------------
-- Security: nothing for PUBLIC, reads for the roles, changes only through
-- the functions.  Traders see only their own rows.
------------------------------------------------------------------------------

REVOKE ALL ON ALL TABLES IN SCHEMA market FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA market FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA market_internal FROM PUBLIC;

GRANT USAGE ON SCHEMA market TO market_admin, market_operator, market_trader, market_oracle;

GRANT SELECT ON market.accounts, market.journal, market.events, market.orders,
				market.holdings, market.positions, market.account_balances,
				market.account_journal, market.open_orders, market.position_holdings,
				market.positions_summary, market.settlements, market.account_summary,
				market.trades, market.order_history, market.account_settlements,
				market_internal.marks
	TO market_admin, market_operator, market_trader;
GRANT SELECT ON market.markets, market.outcomes, market.market_overview, market.order_book,
				market.executions, market.book_prices, market.market_payouts
	TO market_admin, market_operator, market_trader, market_oracle;
GRANT SELECT ON market.fills TO market_admin, market_operator, market_trader;
GRANT SELECT ON market.market_listing
	TO market_admin, market_operator, market_trader, market_oracle;

ALTER TABLE market.accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE market.journal ENABLE ROW LEVEL SECURITY;
ALTER TABLE market.events ENABLE ROW LEVEL SECURITY;
ALTER TABLE market.idempotency ENABLE ROW LEVEL SECURITY;
ALTER TABLE market.orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE market.holdings ENABLE ROW LEVEL SECURITY;
ALTER TABLE market.fills ENABLE ROW LEVEL SECURITY;
ALTER TABLE market.positions ENABLE ROW LEVEL SECURITY;
ALTER TABLE market.settlements ENABLE ROW LEVEL SECURITY;

CREATE POLICY accounts_staff ON market.accounts FOR SELECT
	TO market_admin, market_operator USING (true);
CREATE POLICY accounts_owner ON market.accounts FOR SELECT
	TO market_trader
	USING (owner IS NOT NULL AND pg_catalog.pg_has_role(owner::oid, 'USAGE')
		   AND pg_catalog.pg_get_userbyid(owner::oid) NOT IN
			   ('market_admin', 'market_operator', 'market_trader', 'market_oracle'));
CREATE POLICY journal_staff ON market.journal FOR SELECT
	TO market_admin, market_operator USING (true);
CREATE POLICY journal_owner ON market.journal FOR SELECT
	TO market_trader USING (account IN (SELECT id FROM market.accounts));
CREATE POLICY orders_staff ON market.orders FOR SELECT
	TO market_admin, market_operator USING (true);
CREATE POLICY orders_owner ON market.orders FOR SELECT
	TO market_trader USING (account IN (SELECT id FROM market.accounts));
CREATE POLICY holdings_staff ON market.holdings FOR SELECT
	TO market_admin, market_operator USING (true);
CREATE POLICY holdings_owner ON market.holdings FOR SELECT
	TO market_trader USING (account IN (SELECT id FROM market.accounts));
CREATE POLICY positions_staff ON market.positions FOR SELECT
	TO market_admin, market_operator USING (true);
CREATE POLICY positions_owner ON market.positions FOR SELECT
	TO market_trader USING (account IN (SELECT id FROM market.accounts));
CREATE POLICY settlements_staff ON market.settlements FOR SELECT
	TO market_admin, market_operator USING (true);
CREATE POLICY settlements_owner ON market.settlements FOR SELECT
	TO market_trader USING (account IN (SELECT id FROM market.accounts));
CREATE POLICY fills_staff ON market.fills FOR SELECT
	TO market_admin, market_operator USING (true);
CREATE POLICY fills_owner ON market.fills FOR SELECT
	TO market_trader USING (account IN (SELECT id FROM market.accounts));
CREATE POLICY events_staff ON market.events FOR SELECT
	TO market_admin, market_operator USING (true);
CREATE POLICY events_owner ON market.events FOR SELECT
	TO market_trader USING (account IN (SELECT id FROM market.accounts));

GRANT EXECUTE ON FUNCTION market.snowflake(), market.snowflake_time(bigint)
	TO market_admin, market_operator, market_trader, market_oracle;
GRANT EXECUTE ON FUNCTION market.create_account(text, regrole),
						  market.balance(bigint), market.available(bigint)
	TO market_admin, market_operator, market_trader;
GRANT EXECUTE ON FUNCTION market.deposit(bigint, numeric, text),
						  market.withdraw(bigint, numeric, text)
	TO market_operator;
GRANT EXECUTE ON FUNCTION market.check_invariants()
	TO market_admin, market_operator;
GRANT EXECUTE ON FUNCTION market.create_market(text, text[], numeric, timestamptz, bigint,
		text, text, int, bigint, int, interval, numrange[], boolean, boolean, text),
						  market.pause_market(bigint), market.resume_market(bigint),
						  market.close_market(bigint)
	TO market_admin;
GRANT EXECUTE ON FUNCTION market.outcome_id(bigint, int), market.market_id(int)
	TO market_admin, market_operator, market_trader, market_oracle;
GRANT EXECUTE ON FUNCTION market.place_order(bigint, bigint, text, numeric, numeric, text,
		timestamptz, numeric, text),
						  market.replace_order(bigint, bigint, text, numeric, numeric, text,
		timestamptz, numeric, text),
						  market.cancel_order(bigint, bigint)
	TO market_operator, market_trader;
GRANT EXECUTE ON FUNCTION market.cancel_orders(bigint, bigint)
	TO market_admin, market_operator, market_trader;
GRANT EXECUTE ON FUNCTION market.execute(bigint), market.execute_all()
	TO market_admin, market_operator;
GRANT EXECUTE ON FUNCTION market.resolve(bigint, bigint), market.resolve(bigint, numeric[]),
						  market.resolve_value(bigint, numeric)
	TO market_admin, market_oracle;
GRANT EXECUTE ON FUNCTION market.dispute(bigint, text), market.cancel_market(bigint, text)
	TO market_admin;
GRANT EXECUTE ON FUNCTION market.finalize(bigint)
	TO market_admin, market_operator, market_oracle;
GRANT EXECUTE ON FUNCTION market.settle(bigint, bigint, int)
	TO market_admin, market_operator, market_trader;
GRANT EXECUTE ON FUNCTION market.candles(bigint, interval)
	TO market_admin, market_operator, market_trader, market_oracle;
GRANT EXECUTE ON FUNCTION market.depth_chart(bigint, int),
						  market.sparkline(bigint, int, interval, int)
	TO market_admin, market_operator, market_trader, market_oracle;

------------------------------------------------------------------------------
-- Comments: the manual's one-line summaries (\df+, \dv+, \d+)
-- Every function, view and table of schema market, and every column of
-- the views and tables.  Money, prices and quantities: the views and
-- functions speak cash units (numeric, 6 decimals), the tables store
-- micro-units (bigint, 1 = 0.000001).  Ids are snowflakes.
------------------------------------------------------------------------------

-- Functions
COMMENT ON FUNCTION market.create_account(text, regrole) IS
	'opens a cash account with an optional label and owner role, and returns its id (a snowflake)';
COMMENT ON FUNCTION market.deposit(bigint, numeric, text) IS
	'moves an amount in cash units from external into an account; returns the new balance (operators)';
COMMENT ON FUNCTION market.withdraw(bigint, numeric, text) IS
	'moves an amount in cash units from an account to external, at most what is available; returns the new balance (operators)';
COMMENT ON FUNCTION market.balance(bigint) IS
	'all the cash of an account, in cash units (locked included)';
COMMENT ON FUNCTION market.available(bigint) IS
	'the cash of an account that new orders and withdrawals may use (balance - locked), in cash units';
COMMENT ON FUNCTION market.check_invariants() IS
	'rereads the whole ledger and returns every invariant violation found; no rows means healthy';
COMMENT ON FUNCTION market.create_market(text, text[], numeric, timestamptz, bigint, text, text,
		int, bigint, int, interval, numrange[], boolean, boolean, text) IS
	'opens a market with 2 to 256 outcomes numbered 1..N, and returns its id (a snowflake; admins)';
COMMENT ON FUNCTION market.outcome_id(bigint, int) IS
	'the id (a snowflake) of the outcome with this number in a market given by id';
COMMENT ON FUNCTION market.market_id(int) IS
	'the id (a snowflake) of the market with this number';
COMMENT ON FUNCTION market.pause_market(bigint) IS
	'active -> paused: the book stays, nothing trades (admins)';
COMMENT ON FUNCTION market.resume_market(bigint) IS
	'paused -> active (admins)';
COMMENT ON FUNCTION market.close_market(bigint) IS
	'active or paused -> closed, cancelling every open order (admins)';
COMMENT ON FUNCTION market.place_order(bigint, bigint, text, numeric, numeric, text,
		timestamptz, numeric, text) IS
	'books a limit order to buy or sell an outcome (quantity and price in cash units), reserves its escrow, returns the order id';
COMMENT ON FUNCTION market.replace_order(bigint, bigint, text, numeric, numeric, text,
		timestamptz, numeric, text) IS
	'cancels the account''s open order in the outcome''s market and places the new one, atomically; returns the new order id';
COMMENT ON FUNCTION market.cancel_order(bigint, bigint) IS
	'cancels the account''s open order in a market; returns the escrow released, in cash units';
COMMENT ON FUNCTION market.execute(bigint) IS
	'runs a call auction on a market''s book and returns the executions it made (admins and operators)';
COMMENT ON FUNCTION market.execute_all() IS
	'closes the markets past close_at and runs an auction in every active market; returns the number of executions (for pg_cron)';
COMMENT ON FUNCTION market.resolve(bigint, bigint) IS
	'reports the result of a market: the outcome given by id wins (the market''s oracle or an admin)';
COMMENT ON FUNCTION market.resolve(bigint, numeric[]) IS
	'reports the result of a market as a payout per outcome, in cash units, summing to 1 (the market''s oracle or an admin)';
COMMENT ON FUNCTION market.resolve_value(bigint, numeric) IS
	'reports the result of a scalar market: the outcome whose range holds the value wins (the market''s oracle or an admin)';
COMMENT ON FUNCTION market.dispute(bigint, text) IS
	'upholds a dispute: withdraws the report and takes the market back to closed (admins)';
COMMENT ON FUNCTION market.finalize(bigint) IS
	'makes a market''s report final and fixes what every holder is owed';
COMMENT ON FUNCTION market.cancel_market(bigint, text) IS
	'voids a market in any state but finalized: cancels its book and fixes refunds of the collateral pro-rata to cost basis (admins)';
COMMENT ON FUNCTION market.settle(bigint, bigint, int) IS
	'pays what a finalized or cancelled market owes, to one account or in batches; returns each payout in cash units';

-- Tables
COMMENT ON COLUMN market.accounts.id IS 'the account''s id: a snowflake, except external (1) and house (2)';
COMMENT ON COLUMN market.accounts.label IS 'a name for people to read; not unique';
COMMENT ON COLUMN market.accounts.owner IS 'the role whose members may act for the account (NULL: operators and admins only)';
COMMENT ON COLUMN market.accounts.kind IS 'user, external (the world outside), house (fees), collateral (of a market) or creator_fees (of a market, until paid to its creator)';
COMMENT ON COLUMN market.accounts.balance IS 'all the account''s cash, in micro-units (0 for external and house: see the journal)';
COMMENT ON COLUMN market.accounts.locked IS 'escrow of the account''s open orders, in micro-units';
COMMENT ON COLUMN market.accounts.created_at IS 'when the account was opened';

COMMENT ON COLUMN market.journal.transfer IS 'the transfer''s id (a snowflake), shared by all its entries';
COMMENT ON COLUMN market.journal.account IS 'the account this entry moves cash in or out of';
COMMENT ON COLUMN market.journal.amount IS 'signed amount in micro-units: positive in, negative out; a transfer''s entries sum to zero';
COMMENT ON COLUMN market.journal.balance_after IS 'the account''s balance after this entry, in micro-units (NULL for external and house)';
COMMENT ON COLUMN market.journal.kind IS 'deposit, withdrawal, trade, mint, redeem, payout, refund, fee, commitment, distribution or rollback';
COMMENT ON COLUMN market.journal.market IS 'the market the transfer belongs to, if any';
COMMENT ON COLUMN market.journal.order_id IS 'the order the transfer belongs to, if any';
COMMENT ON COLUMN market.journal.execution IS 'the execution the transfer belongs to, if any';
COMMENT ON COLUMN market.journal.created_at IS 'when the transfer was written';

COMMENT ON COLUMN market.events.id IS 'the event''s id (a snowflake)';
COMMENT ON COLUMN market.events.name IS 'what happened: account_created, deposit, order_placed, auction, market_resolved, settled, ...';
COMMENT ON COLUMN market.events.market IS 'the market concerned, if any';
COMMENT ON COLUMN market.events.account IS 'the account concerned, if any (a trader reads the events of its own accounts)';
COMMENT ON COLUMN market.events.payload IS 'the event''s whole detail; the NOTIFY market_events payload carries only its public part';
COMMENT ON COLUMN market.events.created_at IS 'when the change was made';

COMMENT ON COLUMN market.idempotency.account IS 'the account the key belongs to';
COMMENT ON COLUMN market.idempotency.key IS 'the idempotency key given by the caller';
COMMENT ON COLUMN market.idempotency.request IS 'the call made with the key, in canonical form; the same key with another request is MK002';
COMMENT ON COLUMN market.idempotency.result IS 'the id of what the first call made: the transfer of a deposit or withdrawal, the order placed';
COMMENT ON COLUMN market.idempotency.created_at IS 'when the key was first used';

COMMENT ON COLUMN market.markets.id IS 'the market''s id (a snowflake); market_id(number) looks it up';
COMMENT ON COLUMN market.markets.number IS 'the market''s number: 1, 2, ... without gaps';
COMMENT ON COLUMN market.markets.description IS 'the question the market asks';
COMMENT ON COLUMN market.markets.kind IS 'orderbook (an order book), parimutuel (a pool) or distribution (a distribution market)';
COMMENT ON COLUMN market.markets.state IS 'active, paused, closed, resolved, finalized or cancelled, as last written (see market_overview for close_at)';
COMMENT ON COLUMN market.markets.tick IS 'the price step, in micro-units: 100000, 10000, 1000 or 100';
COMMENT ON COLUMN market.markets.close_at IS 'trading stops at this instant (NULL: never by the clock)';
COMMENT ON COLUMN market.markets.oracle IS 'the account whose owner may resolve the market (NULL: admins only)';
COMMENT ON COLUMN market.markets.oracle_kind IS 'manual, or ai: an automated agent whose report an admin must finalize';
COMMENT ON COLUMN market.markets.fee_bps IS 'fee to house, in basis points';
COMMENT ON COLUMN market.markets.creator IS 'the account that receives the creator fee, if any';
COMMENT ON COLUMN market.markets.creator_fee_bps IS 'fee to creator, in basis points';
COMMENT ON COLUMN market.markets.dispute_window IS 'how long a resolution can be disputed before it becomes final';
COMMENT ON COLUMN market.markets.auto_execute IS 'whether place_order matches at once instead of waiting for execute';
COMMENT ON COLUMN market.markets.collateral IS 'the account holding the cash behind the market''s contracts';
COMMENT ON COLUMN market.markets.created_at IS 'when the market was opened';
COMMENT ON COLUMN market.markets.closed_at IS 'when the stored state last became closed';
COMMENT ON COLUMN market.markets.payouts IS 'the report: what one contract of each outcome pays, by outcome number, in micro-units summing to 1000000';
COMMENT ON COLUMN market.markets.resolved_at IS 'when the report was made';
COMMENT ON COLUMN market.markets.resolved_by IS 'the role that made the report';
COMMENT ON COLUMN market.markets.finalizes_at IS 'the end of the dispute window of the report';
COMMENT ON COLUMN market.markets.finalized_at IS 'when the report became final and the payouts were fixed';
COMMENT ON COLUMN market.markets.cancelled_at IS 'when the market was cancelled';
COMMENT ON COLUMN market.markets.cancel_reason IS 'why the market was cancelled, as the admin wrote it';

COMMENT ON COLUMN market.outcomes.id IS 'the outcome''s id (a snowflake); outcome_id(market, number) looks it up';
COMMENT ON COLUMN market.outcomes.market IS 'the market the outcome belongs to';
COMMENT ON COLUMN market.outcomes.number IS 'the outcome''s number in its market: 1..N';
COMMENT ON COLUMN market.outcomes.label IS 'the outcome''s label, e.g. YES';
COMMENT ON COLUMN market.outcomes.bucket IS 'the range of values the outcome stands for, in a scalar market (resolve_value)';
COMMENT ON COLUMN market.outcomes.last_price IS 'the last trade price of the outcome, in micro-units (NULL until it trades)';

COMMENT ON COLUMN market.orders.id IS 'the order''s id (a snowflake)';
COMMENT ON COLUMN market.orders.account IS 'the account that placed the order';
COMMENT ON COLUMN market.orders.market IS 'the market of the outcome';
COMMENT ON COLUMN market.orders.outcome IS 'the outcome''s id';
COMMENT ON COLUMN market.orders.side IS 'buy or sell';
COMMENT ON COLUMN market.orders.price IS 'the limit price, in micro-units (0 < price <= 1000000)';
COMMENT ON COLUMN market.orders.quantity IS 'the quantity still open, in micro-units (micro-contracts)';
COMMENT ON COLUMN market.orders.original IS 'the quantity placed, in micro-units';
COMMENT ON COLUMN market.orders.escrow IS 'the cash reserved for the open quantity, in micro-units';
COMMENT ON COLUMN market.orders.time_in_force IS 'gtc (until filled or cancelled), gtd (until expires_at) or ioc (the next auction, then cancelled)';
COMMENT ON COLUMN market.orders.expires_at IS 'when a gtd order expires';
COMMENT ON COLUMN market.orders.status IS 'open, filled or cancelled';
COMMENT ON COLUMN market.orders.cancel_reason IS 'why the order was cancelled: cancelled, replaced, expired, ioc, dust, market closed, ...';
COMMENT ON COLUMN market.orders.created_at IS 'when the order was placed';
COMMENT ON COLUMN market.orders.closed_at IS 'when the order was filled or cancelled';

COMMENT ON COLUMN market.holdings.account IS 'the account holding the contracts';
COMMENT ON COLUMN market.holdings.outcome IS 'the outcome''s id';
COMMENT ON COLUMN market.holdings.market IS 'the market of the outcome';
COMMENT ON COLUMN market.holdings.quantity IS 'contracts held, in micro-units; never negative';
COMMENT ON COLUMN market.holdings.cost IS 'the cost basis of the contracts held, in micro-units';

COMMENT ON COLUMN market.positions.account IS 'the account';
COMMENT ON COLUMN market.positions.market IS 'the market';
COMMENT ON COLUMN market.positions.realized IS 'realized P&L in the market, in micro-units';
COMMENT ON COLUMN market.positions.payout IS 'what settlement paid, in micro-units (NULL until settled)';
COMMENT ON COLUMN market.positions.settled_at IS 'when the position was settled';
COMMENT ON COLUMN market.positions.updated_at IS 'when the realized P&L last changed';

COMMENT ON COLUMN market.settlements.market IS 'the finalized or cancelled market';
COMMENT ON COLUMN market.settlements.account IS 'the holder owed';
COMMENT ON COLUMN market.settlements.kind IS 'payout (a finalized market) or refund (a cancelled one)';
COMMENT ON COLUMN market.settlements.amount IS 'what the holder is owed, in micro-units';
COMMENT ON COLUMN market.settlements.cost IS 'the cost basis the holder held when the amounts were fixed, in micro-units';
COMMENT ON COLUMN market.settlements.paid_at IS 'when settle paid it (NULL: unpaid)';
COMMENT ON COLUMN market.settlements.transfer IS 'the journal transfer that paid it';
COMMENT ON COLUMN market.settlements.distribution IS 'the pool''s payout distribution it pays (NULL for order-book markets)';
COMMENT ON COLUMN market.settlements.position IS 'the distribution market''s position it pays (NULL for other markets)';

COMMENT ON COLUMN market.executions.id IS 'the execution''s id (a snowflake)';
COMMENT ON COLUMN market.executions.market IS 'the market';
COMMENT ON COLUMN market.executions.kind IS 'direct (a buy and a sell of one outcome), synthetic (a buy of every outcome) or merge (a sell of every outcome)';
COMMENT ON COLUMN market.executions.quantity IS 'the quantity of each leg, in cash units (contracts)';
COMMENT ON COLUMN market.executions.sets IS 'complete sets minted per unit (K): 1, or N - 1 for a merge';
COMMENT ON COLUMN market.executions.bids IS 'the sum of the legs'' bids per unit (S), in cash units';
COMMENT ON COLUMN market.executions.surplus IS 'S - K per unit, in cash units, shared back pro-rata to the bids';
COMMENT ON COLUMN market.executions.created_at IS 'when the match was made';

COMMENT ON COLUMN market.fills.execution IS 'the execution';
COMMENT ON COLUMN market.fills.order_id IS 'the order filled';
COMMENT ON COLUMN market.fills.account IS 'the account of the order';
COMMENT ON COLUMN market.fills.market IS 'the market';
COMMENT ON COLUMN market.fills.outcome IS 'the outcome''s id';
COMMENT ON COLUMN market.fills.side IS 'buy or sell';
COMMENT ON COLUMN market.fills.quantity IS 'the quantity filled, in micro-units';
COMMENT ON COLUMN market.fills.price IS 'the effective price, in micro-units (a sell''s is 1000000 minus what it paid per unit)';
COMMENT ON COLUMN market.fills.paid IS 'the cash the order paid into the match, in micro-units';
COMMENT ON COLUMN market.fills.created_at IS 'when the match was made';

-- Views
COMMENT ON VIEW market.account_summary IS
	'each trader account: balance, locked, available, invested, market value, total and unrealized P&L, in cash units';

COMMENT ON COLUMN market.account_balances.id IS 'the account''s id';
COMMENT ON COLUMN market.account_balances.label IS 'the account''s label';
COMMENT ON COLUMN market.account_balances.owner IS 'the role whose members may act for the account';
COMMENT ON COLUMN market.account_balances.kind IS 'user, external, house, collateral or creator_fees';
COMMENT ON COLUMN market.account_balances.balance IS 'all the account''s cash, in cash units (for external and house, the sum of their journal entries)';
COMMENT ON COLUMN market.account_balances.locked IS 'escrow of the account''s open orders, in cash units';
COMMENT ON COLUMN market.account_balances.available IS 'balance - locked: what new orders and withdrawals may use, in cash units';

COMMENT ON COLUMN market.account_journal.transfer IS 'the transfer''s id (a snowflake)';
COMMENT ON COLUMN market.account_journal.account IS 'the account of the entry';
COMMENT ON COLUMN market.account_journal.label IS 'the account''s label';
COMMENT ON COLUMN market.account_journal.kind IS 'deposit, withdrawal, trade, mint, redeem, payout, refund, fee, ...';
COMMENT ON COLUMN market.account_journal.amount IS 'signed amount in cash units: positive in, negative out';
COMMENT ON COLUMN market.account_journal.balance_before IS 'the account''s balance before the entry, in cash units';
COMMENT ON COLUMN market.account_journal.balance_after IS 'the account''s balance after the entry, in cash units (a running total for external and house)';
COMMENT ON COLUMN market.account_journal.market IS 'the market the transfer belongs to, if any';
COMMENT ON COLUMN market.account_journal.order_id IS 'the order the transfer belongs to, if any';
COMMENT ON COLUMN market.account_journal.execution IS 'the execution the transfer belongs to, if any';
COMMENT ON COLUMN market.account_journal.created_at IS 'when the transfer was written';

COMMENT ON COLUMN market.market_overview.id IS 'the market''s id (a snowflake)';
COMMENT ON COLUMN market.market_overview.number IS 'the market''s number';
COMMENT ON COLUMN market.market_overview.description IS 'the question the market asks';
COMMENT ON COLUMN market.market_overview.kind IS 'orderbook, parimutuel or distribution';
COMMENT ON COLUMN market.market_overview.state IS 'the effective state: closed once close_at has passed, else as stored';
COMMENT ON COLUMN market.market_overview.tick_size IS 'the price step, in cash units';
COMMENT ON COLUMN market.market_overview.close_at IS 'trading stops at this instant (NULL: never by the clock)';
COMMENT ON COLUMN market.market_overview.oracle IS 'the account whose owner may resolve the market (NULL: admins only)';
COMMENT ON COLUMN market.market_overview.oracle_kind IS 'manual or ai';
COMMENT ON COLUMN market.market_overview.fee_bps IS 'fee to house, in basis points';
COMMENT ON COLUMN market.market_overview.creator IS 'the account that receives the creator fee, if any';
COMMENT ON COLUMN market.market_overview.creator_fee_bps IS 'fee to creator, in basis points';
COMMENT ON COLUMN market.market_overview.dispute_window IS 'how long a resolution can be disputed';
COMMENT ON COLUMN market.market_overview.auto_execute IS 'whether place_order matches at once';
COMMENT ON COLUMN market.market_overview.outcomes IS 'the number of outcomes';
COMMENT ON COLUMN market.market_overview.open_orders IS 'the number of open orders';
COMMENT ON COLUMN market.market_overview.collateral IS 'the cash behind the market''s contracts, in cash units';
COMMENT ON COLUMN market.market_overview.created_at IS 'when the market was opened';

COMMENT ON COLUMN market.order_book.market IS 'the market''s id';
COMMENT ON COLUMN market.order_book.market_number IS 'the market''s number';
COMMENT ON COLUMN market.order_book.outcome IS 'the outcome''s id';
COMMENT ON COLUMN market.order_book.outcome_number IS 'the outcome''s number';
COMMENT ON COLUMN market.order_book.outcome_label IS 'the outcome''s label';
COMMENT ON COLUMN market.order_book.side IS 'buy or sell';
COMMENT ON COLUMN market.order_book.price IS 'the price level, in cash units';
COMMENT ON COLUMN market.order_book.quantity IS 'the open quantity at this level, in contracts';
COMMENT ON COLUMN market.order_book.orders IS 'the number of open orders at this level';

COMMENT ON COLUMN market.open_orders.id IS 'the order''s id (a snowflake)';
COMMENT ON COLUMN market.open_orders.account IS 'the account that placed the order';
COMMENT ON COLUMN market.open_orders.account_label IS 'the account''s label';
COMMENT ON COLUMN market.open_orders.market IS 'the market''s id';
COMMENT ON COLUMN market.open_orders.market_number IS 'the market''s number';
COMMENT ON COLUMN market.open_orders.outcome IS 'the outcome''s id';
COMMENT ON COLUMN market.open_orders.outcome_number IS 'the outcome''s number';
COMMENT ON COLUMN market.open_orders.outcome_label IS 'the outcome''s label';
COMMENT ON COLUMN market.open_orders.side IS 'buy or sell';
COMMENT ON COLUMN market.open_orders.price IS 'the limit price, in cash units';
COMMENT ON COLUMN market.open_orders.quantity IS 'the quantity still open, in contracts';
COMMENT ON COLUMN market.open_orders.filled IS 'the quantity no longer open (filled, or trimmed as dust), in contracts';
COMMENT ON COLUMN market.open_orders.escrow IS 'the cash reserved for the open quantity, in cash units';
COMMENT ON COLUMN market.open_orders.time_in_force IS 'gtc, gtd or ioc';
COMMENT ON COLUMN market.open_orders.expires_at IS 'when a gtd order expires';
COMMENT ON COLUMN market.open_orders.created_at IS 'when the order was placed';

COMMENT ON COLUMN market.position_holdings.account IS 'the account holding the contracts';
COMMENT ON COLUMN market.position_holdings.market IS 'the market''s id';
COMMENT ON COLUMN market.position_holdings.market_number IS 'the market''s number';
COMMENT ON COLUMN market.position_holdings.outcome IS 'the outcome''s id';
COMMENT ON COLUMN market.position_holdings.outcome_number IS 'the outcome''s number';
COMMENT ON COLUMN market.position_holdings.outcome_label IS 'the outcome''s label';
COMMENT ON COLUMN market.position_holdings.quantity IS 'contracts held';
COMMENT ON COLUMN market.position_holdings.cost_basis IS 'what the contracts held cost, in cash units';
COMMENT ON COLUMN market.position_holdings.average_price IS 'cost basis per contract, in cash units';
COMMENT ON COLUMN market.position_holdings.last_price IS 'the outcome''s last trade price, in cash units (NULL until it trades)';
COMMENT ON COLUMN market.position_holdings.market_value IS 'quantity x last price, in cash units (NULL until the outcome trades)';
COMMENT ON COLUMN market.position_holdings.unrealized_pnl IS 'market value - cost basis, in cash units (NULL until the outcome trades)';

COMMENT ON COLUMN market.positions_summary.account IS 'the account';
COMMENT ON COLUMN market.positions_summary.market IS 'the market''s id';
COMMENT ON COLUMN market.positions_summary.market_number IS 'the market''s number';
COMMENT ON COLUMN market.positions_summary.contracts IS 'contracts held, all outcomes together';
COMMENT ON COLUMN market.positions_summary.cost_basis IS 'what the contracts held cost, in cash units';
COMMENT ON COLUMN market.positions_summary.realized_pnl IS 'realized P&L, in cash units';
COMMENT ON COLUMN market.positions_summary.market_value IS 'the contracts held at last trade prices, in cash units (outcomes not yet traded are left out)';
COMMENT ON COLUMN market.positions_summary.unrealized_pnl IS 'market value - cost basis, in cash units';
COMMENT ON COLUMN market.positions_summary.status IS 'open while anything is held, closed when flat, settled once paid';
COMMENT ON COLUMN market.positions_summary.payout IS 'what settlement paid, in cash units (NULL until settled)';
COMMENT ON COLUMN market.positions_summary.result IS 'once settled: WON (paid anything), LOST or REFUNDED (a cancelled market)';

COMMENT ON COLUMN market.book_prices.market IS 'the market''s id';
COMMENT ON COLUMN market.book_prices.market_number IS 'the market''s number';
COMMENT ON COLUMN market.book_prices.outcome IS 'the outcome''s id';
COMMENT ON COLUMN market.book_prices.outcome_number IS 'the outcome''s number';
COMMENT ON COLUMN market.book_prices.outcome_label IS 'the outcome''s label';
COMMENT ON COLUMN market.book_prices.best_bid IS 'the highest open buy price, in cash units';
COMMENT ON COLUMN market.book_prices.best_ask IS 'the lowest open sell price, in cash units';
COMMENT ON COLUMN market.book_prices.implied_ask IS '1 minus the best bids of all the other outcomes (one tick at least): what a buy must bid to mint against them, in cash units';
COMMENT ON COLUMN market.book_prices.last_price IS 'the last trade price, in cash units';

COMMENT ON COLUMN market.account_summary.account IS 'the account''s id';
COMMENT ON COLUMN market.account_summary.label IS 'the account''s label';
COMMENT ON COLUMN market.account_summary.balance IS 'all the account''s cash, in cash units';
COMMENT ON COLUMN market.account_summary.locked IS 'escrow of the account''s open orders, in cash units';
COMMENT ON COLUMN market.account_summary.available IS 'balance - locked, in cash units';
COMMENT ON COLUMN market.account_summary.invested IS 'the cost basis of all contracts held, plus the open pool commitments (not yet paid by a completed distribution), in cash units';
COMMENT ON COLUMN market.account_summary.market_value IS 'the contracts held at last trade prices (at cost where an outcome has not traded), plus the open pool commitments at cost, in cash units';
COMMENT ON COLUMN market.account_summary.total IS 'balance + market value, in cash units';
COMMENT ON COLUMN market.account_summary.unrealized_pnl IS 'market value - invested, in cash units';

COMMENT ON COLUMN market.trades.execution IS 'the execution''s id (a snowflake)';
COMMENT ON COLUMN market.trades.traded_at IS 'when the match was made';
COMMENT ON COLUMN market.trades.kind IS 'direct, synthetic or merge';
COMMENT ON COLUMN market.trades.market_number IS 'the market''s number';
COMMENT ON COLUMN market.trades.market IS 'the market''s id';
COMMENT ON COLUMN market.trades.account IS 'the account of the party';
COMMENT ON COLUMN market.trades.outcome_number IS 'the outcome''s number';
COMMENT ON COLUMN market.trades.outcome_label IS 'the outcome''s label';
COMMENT ON COLUMN market.trades.side IS 'buy or sell';
COMMENT ON COLUMN market.trades.quantity IS 'the quantity filled, in contracts';
COMMENT ON COLUMN market.trades.price IS 'the effective price, in cash units (a sell''s is 1 minus what it paid per unit)';
COMMENT ON COLUMN market.trades.paid IS 'the cash the party paid into the match, in cash units';
COMMENT ON COLUMN market.open_orders.market_description IS 'the market''s question';
COMMENT ON COLUMN market.position_holdings.account_label IS 'the account''s label';
COMMENT ON COLUMN market.position_holdings.market_description IS 'the market''s question';
COMMENT ON COLUMN market.positions_summary.account_label IS 'the account''s label';
COMMENT ON COLUMN market.positions_summary.market_description IS 'the market''s question';
COMMENT ON COLUMN market.trades.account_label IS 'the party''s account label';
COMMENT ON COLUMN market.trades.market_description IS 'the market''s question';
COMMENT ON COLUMN market.market_overview.closing_auction IS 'whether the market runs one last auction on its book when it closes';
COMMENT ON COLUMN market.market_overview.allocation IS 'how an auction shares a price level''s fill: pro_rata (by quantity) or price_time (oldest first)';
COMMENT ON COLUMN market.order_book.market_description IS 'the market''s question';
COMMENT ON COLUMN market.book_prices.market_description IS 'the market''s question';
