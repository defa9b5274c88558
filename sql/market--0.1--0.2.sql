/* sql/market--0.1--0.2.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION market UPDATE TO '0.2'" to load this file. \quit

/*
 * Version 0.2: every workflow works for the role that performs it.
 * Each section below is one change; the full script market--0.2.sql has
 * the same objects, and test/upgrade checks the two agree object by object.
 */

------------------------------------------------------------------------------
-- Internals move out of the API's schema, and the commit-time checks run
-- with a pinned search_path (the C triggers read as the table's owner).
------------------------------------------------------------------------------

CREATE SCHEMA market_internal;
COMMENT ON SCHEMA market_internal IS
	'internals of the market extension (trigger functions); not an API';

ALTER FUNCTION market.journal_append_only() SET SCHEMA market_internal;
ALTER FUNCTION market_internal.journal_append_only() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION market.journal_check() SET SCHEMA market_internal;
ALTER FUNCTION market_internal.journal_check() SECURITY DEFINER;
ALTER FUNCTION market.account_check() SET SCHEMA market_internal;
ALTER FUNCTION market_internal.account_check() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION market.holding_check() SET SCHEMA market_internal;
ALTER FUNCTION market_internal.holding_check() SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA market_internal FROM PUBLIC;

------------------------------------------------------------------------------
-- Refuse to update without preloading: the library must be in
-- shared_preload_libraries, or every id (and so every write) fails later.
-- The check is whether the shared memory was set up at server start; it
-- raises 55000 with a hint naming the configuration file.  The function
-- serves the install and update scripts only and is dropped again.
------------------------------------------------------------------------------

CREATE FUNCTION market_internal.require_preload() RETURNS void
	AS 'MODULE_PATHNAME', 'market_require_preload_sql'
	LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp;
SELECT market_internal.require_preload();
DROP FUNCTION market_internal.require_preload();

------------------------------------------------------------------------------
-- candles() refuses a bad width (zero, negative, months or years, more than
-- 366 days) with 22023 and a missing market with P0002, in its own words,
-- instead of date_bin's error or an empty result.
------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION market.candles(market bigint, width interval DEFAULT '1 hour')
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
	IF NOT EXISTS (SELECT FROM market.markets m WHERE m.id = candles.market) THEN
		IF EXISTS (SELECT FROM market.markets m WHERE m.number = candles.market) THEN
			RAISE EXCEPTION 'market % does not exist', candles.market
				USING ERRCODE = 'no_data_found',
					  DETAIL = format('Market ids are snowflakes; %s is the number of a market, not its id.',
									  candles.market),
					  HINT = format('Pass market.market_id(%s) to name market number %s.',
									candles.market, candles.market);
		END IF;
		RAISE EXCEPTION 'market % does not exist', candles.market
			USING ERRCODE = 'no_data_found';
	END IF;
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
		int, bigint, int, interval, numrange[], boolean) IS
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
COMMENT ON COLUMN market.accounts.kind IS 'user, external (the world outside), house (fees) or collateral (of a market)';
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
COMMENT ON COLUMN market.markets.kind IS 'orderbook (parimutuel is not available in this version)';
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
COMMENT ON COLUMN market.account_balances.kind IS 'user, external, house or collateral';
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
COMMENT ON COLUMN market.market_overview.kind IS 'orderbook';
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
COMMENT ON COLUMN market.book_prices.implied_ask IS '1 minus the best bids of all the other outcomes: what a buy must bid to mint against them, in cash units';
COMMENT ON COLUMN market.book_prices.last_price IS 'the last trade price, in cash units';

COMMENT ON COLUMN market.account_summary.account IS 'the account''s id';
COMMENT ON COLUMN market.account_summary.label IS 'the account''s label';
COMMENT ON COLUMN market.account_summary.balance IS 'all the account''s cash, in cash units';
COMMENT ON COLUMN market.account_summary.locked IS 'escrow of the account''s open orders, in cash units';
COMMENT ON COLUMN market.account_summary.available IS 'balance - locked, in cash units';
COMMENT ON COLUMN market.account_summary.invested IS 'the cost basis of all contracts held, in cash units';
COMMENT ON COLUMN market.account_summary.market_value IS 'the contracts held at last trade prices (at cost where an outcome has not traded), in cash units';
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
