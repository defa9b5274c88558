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
-- The closing auction: a batch market runs one last auction on its book
-- when it closes (close_market, or close_at passing), unless it is created
-- with closing_auction => false.  Markets made in 0.1 keep behaving as
-- they did: closing_auction false.  create_market takes the option last.
------------------------------------------------------------------------------

ALTER TABLE market.markets ADD COLUMN closing_auction boolean NOT NULL DEFAULT false;
ALTER TABLE market.markets ALTER COLUMN closing_auction DROP DEFAULT;
COMMENT ON COLUMN market.markets.closing_auction IS
	'whether the market runs one last auction on its book when it closes (false for markets made in 0.1)';

DROP FUNCTION market.create_market(text, text[], numeric, timestamptz, bigint,
		text, text, int, bigint, int, interval, numrange[], boolean);
CREATE FUNCTION market.create_market(description text, outcomes text[],
		tick_size numeric DEFAULT 0.01, close_at timestamptz DEFAULT NULL,
		oracle bigint DEFAULT NULL, oracle_kind text DEFAULT 'manual',
		kind text DEFAULT 'orderbook', fee_bps int DEFAULT 0,
		creator bigint DEFAULT NULL, creator_fee_bps int DEFAULT 0,
		dispute_window interval DEFAULT '0', outcome_ranges numrange[] DEFAULT NULL,
		auto_execute boolean DEFAULT false, closing_auction boolean DEFAULT true)
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'market_create_market'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION market.create_market(text, text[], numeric, timestamptz, bigint,
		text, text, int, bigint, int, interval, numrange[], boolean, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION market.create_market(text, text[], numeric, timestamptz, bigint,
		text, text, int, bigint, int, interval, numrange[], boolean, boolean)
	TO market_admin;

CREATE OR REPLACE VIEW market.market_overview AS
SELECT m.id, m.number, m.description, m.kind,
	   CASE WHEN m.state IN ('active', 'paused') AND m.close_at <= pg_catalog.now()
			THEN 'closed' ELSE m.state END AS state,
	   m.tick * 0.000001 AS tick_size, m.close_at, m.oracle, m.oracle_kind,
	   m.fee_bps, m.creator, m.creator_fee_bps, m.dispute_window, m.auto_execute,
	   (SELECT count(*) FROM market.outcomes o WHERE o.market = m.id) AS outcomes,
	   (SELECT count(*) FROM market.orders o WHERE o.market = m.id AND o.status = 'open') AS open_orders,
	   c.balance * 0.000001 AS collateral, m.created_at, m.closing_auction
  FROM market.markets m JOIN market.accounts c ON c.id = m.collateral;
