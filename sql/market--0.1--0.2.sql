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
-- Bulk cancel: cancel_orders(account) cancels an account's open orders in
-- every market, cancel_orders(account, market) in one, and
-- cancel_orders(market => m) a market's whole book (admins and operators).
------------------------------------------------------------------------------

CREATE FUNCTION market.cancel_orders(account bigint DEFAULT NULL, market bigint DEFAULT NULL)
	RETURNS int
	AS 'MODULE_PATHNAME', 'market_cancel_orders'
	LANGUAGE C VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION market.cancel_orders(bigint, bigint) IS
	'Bulk cancel: an account''s open orders in every market (or in one), or a market''s whole book (market => m, admins and operators); returns how many were cancelled';
REVOKE ALL ON FUNCTION market.cancel_orders(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION market.cancel_orders(bigint, bigint)
	TO market_admin, market_operator, market_trader;
