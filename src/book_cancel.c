/*
 * book_cancel.c
 *	  The set-based cancellation of a market's book, which auctions and
 *	  changes of state use: every open order (a market leaving trading),
 *	  the expired gtd ones, or the ioc ones (after an auction).
 *
 * One statement locks the owners' account rows in id order (as every
 * multi-account lock in the extension is taken; see locks.c), a second
 * cancels the orders, releases their escrow from the owners' locked cash
 * and writes an order_cancelled event per order.  The caller holds the
 * market's freeze lock, so the set cannot change in between.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "market.h"
#include "spi_plans.h"

/*
 * Cancelling the orders chosen by "old" (id, escrow): their status, their
 * owners' locked cash, one order_cancelled event each; $1 is the market,
 * $2 the reason.
 */
#define CANCEL_CHOSEN(choose) \
	"WITH cancelled AS (" \
	"  UPDATE market.orders o SET status = 'cancelled', cancel_reason = $2, escrow = 0," \
	"         closed_at = pg_catalog.now()" \
	"    FROM (" choose ") old" \
	"   WHERE o.id = old.id" \
	"  RETURNING o.id, o.account, old.escrow AS released)," \
	" unlocked AS (" \
	"  UPDATE market.accounts a SET locked = a.locked - r.released" \
	"    FROM (SELECT account, pg_catalog.sum(released)::pg_catalog.int8 AS released" \
	"            FROM cancelled GROUP BY account) r" \
	"   WHERE a.id = r.account AND r.released > 0)" \
	" INSERT INTO market.events (id, name, market, account, payload)" \
	" SELECT market.snowflake(), 'order_cancelled', $1, c.account," \
	"        pg_catalog.jsonb_build_object('order', c.id::pg_catalog.text, 'reason', $2," \
	"                                      'released', c.released * 0.000001)" \
	"   FROM cancelled c ORDER BY c.id" \
	" RETURNING id, name, market, payload::pg_catalog.text"

/* $3: 'all' open orders, or only 'expired' gtd ones, or only 'ioc' ones */
static MarketStatement cancel_book = {
	CANCEL_CHOSEN("SELECT id, escrow FROM market.orders"
				  " WHERE market = $1 AND status = 'open'"
				  "   AND ($3 = 'all'"
				  "        OR ($3 = 'expired' AND expires_at <= $4)"
				  "        OR ($3 = 'ioc' AND time_in_force = 'ioc'))"),
	4, {INT8OID, TEXTOID, TEXTOID, TIMESTAMPTZOID}
};

/* The open orders $3 of market $1 (by primary key). */
static MarketStatement cancel_by_id = {
	CANCEL_CHOSEN("SELECT id, escrow FROM market.orders"
				  " WHERE id = ANY ($3) AND market = $1 AND status = 'open'"),
	3, {INT8OID, TEXTOID, INT8ARRAYOID}
};

static MarketStatement lock_book_accounts = {
	"SELECT id FROM market.accounts WHERE id IN"
	" (SELECT account FROM market.orders WHERE market = $1 AND status = 'open'"
	"     AND ($2 = 'all'"
	"          OR ($2 = 'expired' AND expires_at <= $3)"
	"          OR ($2 = 'ioc' AND time_in_force = 'ioc')))"
	" ORDER BY id FOR UPDATE",
	3, {INT8OID, TEXTOID, TIMESTAMPTZOID}
};

/* The same, for a caller that must not wait (execute_all). */
static MarketStatement lock_book_accounts_nowait = {
	"SELECT id FROM market.accounts WHERE id IN"
	" (SELECT account FROM market.orders WHERE market = $1 AND status = 'open'"
	"     AND ($2 = 'all'"
	"          OR ($2 = 'expired' AND expires_at <= $3)"
	"          OR ($2 = 'ioc' AND time_in_force = 'ioc')))"
	" ORDER BY id FOR UPDATE NOWAIT",
	3, {INT8OID, TEXTOID, TIMESTAMPTZOID}
};

/*
 * Cancel a market's open orders and release their escrow, in one pass:
 * all of them (a market leaving trading), the expired gtd ones, or the
 * ioc ones (after an auction).  Caller holds the market's freeze lock.
 * With nowait, a busy account row raises 55P03 instead of waiting (and a
 * wait longer than lock_timeout raises it too: "market N is busy").  asof
 * is the instant gtd orders are expired against (0: now).
 * Returns the number cancelled.
 */
int
market_cancel_book(const MarketRow *m, const char *reason, MarketCancel which,
				   bool nowait, TimestampTz asof)
{
	int64		market = m->id;
	static const char *const which_names[] = {"all", "expired", "ioc"};
	TimestampTz now = asof != 0 ? asof : GetCurrentTimestamp();
	Datum		values[4];
	uint64		n;

	values[0] = Int64GetDatum(market);
	values[1] = CStringGetTextDatum(which_names[which]);
	values[2] = TimestampTzGetDatum(now);
	market_exec_locking(nowait ? &lock_book_accounts_nowait : &lock_book_accounts,
						values, NULL, SPI_OK_SELECT, m->number);
	values[1] = CStringGetTextDatum(reason);
	values[2] = CStringGetTextDatum(which_names[which]);
	values[3] = TimestampTzGetDatum(now);
	n = market_exec(&cancel_book, values, NULL, SPI_OK_INSERT_RETURNING);
	market_notify_rows();
	return (int) n;
}


/*
 * Cancel the given open orders of a market (the expired orders a
 * placement's auction met, what is left of an ioc order), whose owners the
 * caller has locked, as market_cancel_book does.  Returns the number
 * cancelled.
 */
int
market_cancel_book_orders(const MarketRow *m, const char *reason, Datum *ids, int n)
{
	Datum		values[3];
	uint64		rows;

	values[0] = Int64GetDatum(m->id);
	values[1] = CStringGetTextDatum(reason);
	values[2] = market_int8_array(ids, NULL, n);
	rows = market_exec(&cancel_by_id, values, NULL, SPI_OK_INSERT_RETURNING);
	market_notify_rows();
	return (int) rows;
}
