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
