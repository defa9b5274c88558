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
	IF NOT EXISTS (SELECT FROM market.markets m WHERE m.id = depth_chart.market) THEN
		IF EXISTS (SELECT FROM market.markets m WHERE m.number = depth_chart.market) THEN
			RAISE EXCEPTION 'market % does not exist', depth_chart.market
				USING ERRCODE = 'no_data_found',
					  DETAIL = format('Market ids are snowflakes; %s is the number of a market, not its id.',
									  depth_chart.market),
					  HINT = format('Pass market.market_id(%s) to name market number %s.',
									depth_chart.market, depth_chart.market);
		END IF;
		RAISE EXCEPTION 'market % does not exist', depth_chart.market
			USING ERRCODE = 'no_data_found';
	END IF;
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
	AS $$
DECLARE
	blocks CONSTANT text[] := ARRAY['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
	buckets timestamptz[];
	closes numeric[];
	line text := '';
	close numeric;
	i int := 1;
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
	-- every interval from the first trade's to the last's; one without
	-- trades keeps the price before it
	FOR t IN SELECT generate_series(buckets[1], buckets[cardinality(buckets)], sparkline.width)
	LOOP
		IF i <= cardinality(buckets) AND buckets[i] = t THEN
			close := closes[i];
			i := i + 1;
		END IF;
		line := line || blocks[1 + least(7, floor(close * 8)::int)];
	END LOOP;
	RETURN right(line, sparkline.points);
END
$$;
COMMENT ON FUNCTION market.sparkline(bigint, int, interval, int) IS
	'an outcome''s last trade price per interval as a line of blocks from ▁ (0) to █ (1), for psql';

REVOKE ALL ON FUNCTION market.depth_chart(bigint, int),
					   market.sparkline(bigint, int, interval, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION market.depth_chart(bigint, int),
						  market.sparkline(bigint, int, interval, int)
	TO market_admin, market_operator, market_trader, market_oracle;

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

------------------------------------------------------------------------------
-- The market listing: one row per outcome of every market, with its
-- market's columns.  Public market data (owner's rights, no account).
------------------------------------------------------------------------------

-- Best prices count what the engine would match: an outcome's ask is the
-- lower of its best sell and the ask implied by the other outcomes' best
-- bids (a mint: 1 minus their sum); its bid the higher of its best buy
-- and the bid implied by the other outcomes' best asks (a merge).
CREATE VIEW market.market_listing AS
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
					 CASE WHEN best.others_bids < 1000000
						  THEN 1000000 - best.others_bids END) AS ask) px
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

REVOKE ALL ON market.market_listing FROM PUBLIC;
GRANT SELECT ON market.market_listing
	TO market_admin, market_operator, market_trader, market_oracle;

------------------------------------------------------------------------------
-- Readable views (issue 12): value and P&L from exact quantities, costs
-- and the exact last trade price, rounded once (no more -0.000005 on a
-- position held at the price it was bought at); account labels in trades
-- and positions; market descriptions where prices are shown; and, in cash
-- units, the order history, the settlements and the payouts.  Existing
-- views only gain columns, at the end.
------------------------------------------------------------------------------

-- each outcome's last fills, for its exact mark (market_internal.marks)
CREATE INDEX fills_outcome ON market.fills (outcome, execution);

-- The book is public market data: this view runs with its owner's rights
-- and shows only aggregates, never who placed an order.
CREATE OR REPLACE VIEW market.order_book AS
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

CREATE OR REPLACE VIEW market.open_orders WITH (security_invoker = true) AS
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
CREATE VIEW market_internal.marks AS
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
CREATE OR REPLACE VIEW market.position_holdings WITH (security_invoker = true) AS
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
CREATE OR REPLACE VIEW market.positions_summary WITH (security_invoker = true) AS
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
CREATE OR REPLACE VIEW market.book_prices AS
SELECT m.id AS market, m.number AS market_number, o.id AS outcome, o.number AS outcome_number,
	   o.label AS outcome_label,
	   b.price * 0.000001 AS best_bid,
	   a.price * 0.000001 AS best_ask,
	   CASE WHEN x.missing = 0 THEN 1 - x.others * 0.000001 END AS implied_ask,
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
CREATE OR REPLACE VIEW market.account_summary WITH (security_invoker = true) AS
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
COMMENT ON VIEW market.account_summary IS
	'each trader account: balance, locked, available, invested, market value, total (seed 004)';

-- Every trade: each party of each execution, in cash units.
CREATE OR REPLACE VIEW market.trades WITH (security_invoker = true) AS
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
	   o.status, o.cancel_reason, o.time_in_force, o.expires_at, o.created_at, o.closed_at
  FROM market.orders o
  JOIN market.accounts a ON a.id = o.account
  JOIN market.markets m ON m.id = o.market
  JOIN market.outcomes oc ON oc.id = o.outcome
  LEFT JOIN LATERAL (SELECT sum(f.quantity) AS quantity, sum(f.paid) AS paid
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
CREATE VIEW market.market_payouts AS
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

GRANT SELECT ON market.order_history, market.account_settlements, market_internal.marks
	TO market_admin, market_operator, market_trader;
GRANT SELECT ON market.market_payouts
	TO market_admin, market_operator, market_trader, market_oracle;
