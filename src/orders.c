/*
 * orders.c
 *	  Limit orders and their escrow: place_order, replace_order,
 *	  cancel_order and cancel_orders (bulk).
 *
 * Escrow (SPEC section 6) is reserved at placement and kept, at every
 * commit, equal to the account's locked cash:
 *	  buy:	ceil(quantity * price)
 *	  sell: ceil(max(0, quantity - held) * (1 - price))
 * where held is the account's holding of the outcome (held contracts are
 * sold first), plus, in a market with fees, the largest fee the order can
 * pay at its limit, both rates together (SPEC 6a, escrow.h); a buy by
 * amount takes the largest quantity whose escrow, fee included, fits.  The arithmetic is in escrow.c; each order row stores its
 * escrow, and the deferred trigger account_check() compares the account's
 * locked with the sum over its open orders at commit.  Reserving escrow
 * moves no cash, so it writes no journal entry.
 *
 * An account has at most one open order per market (a partial unique
 * index backs the explicit check); replace_order swaps it atomically,
 * the released escrow counting toward the new one.
 *
 * Locks, in this order: the market lock in MARKET_LOCK_TRADE mode (orders
 * in one market are placed in parallel; an auction or a change of state
 * excludes them), then the account row FOR UPDATE (two orders of one
 * account, in any markets, are placed one after the other, so they cannot
 * both spend the same available cash).  The market row is read against the
 * latest committed state after the market lock is granted.  Holdings are
 * changed only by auctions and settlement, which the market lock excludes.
 *
 * An auto_execute market matches at placement (SPEC 7a), so it takes
 * MARKET_LOCK_FREEZE up front (an upgrade from the trade lock would
 * deadlock two placers).  Its placement reads the account row without a
 * lock: the auction locks the placer together with every account it
 * touches, in one statement in id order, and only then is the order
 * checked against the locked row and written (auction.c,
 * market_placement_match).  Locking the placer first, then the auction's
 * batch, is an order another auction's batch can cross: that deadlocked.
 * An idempotency key is looked up before (a retry of a committed call
 * returns at once) and again under the lock.
 *
 * cancel_orders(account) touches every market the account has orders in.
 * It takes their market locks (MARKET_LOCK_TRADE) in market id order before
 * the account row, as an auction takes its market's lock before the rows
 * of its participants; the other way round, it and an auction would each
 * hold what the other waits for.  cancel_orders(market => m) is an
 * operational call on a whole book: the freeze lock, then the book's
 * account rows in id order, as closing a market does.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "escrow.h"
#include "market.h"
#include "pools.h"
#include "spi_plans.h"

#define MAX_QUANTITY	(INT64CONST(1000000000) * MICROS_PER_UNIT)

typedef struct OrderRequest
{
	int64		account;
	int64		outcome;
	bool		is_buy;
	int64		quantity;		/* 0 when bought by amount */
	int64		amount;			/* 0 unless bought by amount */
	int64		price;
	char	   *time_in_force;
	bool		has_expires;
	TimestampTz expires_at;
	text	   *key;
} OrderRequest;

static MarketStatement outcome_market = {
	"SELECT o.market, o.number, m.auto_execute"
	"  FROM market.outcomes o JOIN market.markets m ON m.id = o.market"
	" WHERE o.id = $1",
	1, {INT8OID}
};

/* $2: the outcome whose holding is wanted too (0 for none) */
static MarketStatement lock_account = {
	"SELECT a.kind, a.owner::pg_catalog.oid, a.balance, a.locked,"
	"       COALESCE((SELECT h.quantity FROM market.holdings h"
	"                  WHERE h.account = a.id AND h.outcome = $2), 0)"
	"  FROM market.accounts a WHERE a.id = $1 FOR UPDATE OF a",
	2, {INT8OID, INT8OID}
};

/* The same without the lock: an auto_execute placement locks it later. */
static MarketStatement read_account = {
	"SELECT a.kind, a.owner::pg_catalog.oid, a.balance, a.locked,"
	"       COALESCE((SELECT h.quantity FROM market.holdings h"
	"                  WHERE h.account = a.id AND h.outcome = $2), 0)"
	"  FROM market.accounts a WHERE a.id = $1",
	2, {INT8OID, INT8OID}
};

/*
 * The account's open orders, one per market.  Deliberately by account
 * alone: with "AND market = $2" the planner may pick the book index
 * (market, ...) and scan a whole market's book per call, and a generic
 * plan made while the table was small keeps that choice until the next
 * ANALYZE.  Only orders_one_open (account, market) serves this query.
 */
static MarketStatement open_orders_of_account = {
	"SELECT id, escrow, market FROM market.orders WHERE account = $1 AND status = 'open'",
	1, {INT8OID}
};

static MarketStatement close_order = {
	"UPDATE market.orders SET status = 'cancelled', cancel_reason = $2, escrow = 0,"
	" closed_at = pg_catalog.now() WHERE id = $1",
	2, {INT8OID, TEXTOID}
};

/* The order, its account's locked cash ($11 more) and its event, at once. */
static MarketStatement insert_order = {
	"WITH placed AS ("
	"  INSERT INTO market.orders (id, account, market, outcome, side, price, quantity,"
	"                             original, escrow, time_in_force, expires_at)"
	"  VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10)),"
	" reserved AS ("
	"  UPDATE market.accounts SET locked = locked + $11 WHERE id = $2 AND $11 <> 0)"
	" INSERT INTO market.events (id, name, market, account, payload)"
	" VALUES ($12, $13, $3, $2, $14::pg_catalog.jsonb)",
	14, {INT8OID, INT8OID, INT8OID, INT8OID, TEXTOID, INT8OID, INT8OID, INT8OID,
		TEXTOID, TIMESTAMPTZOID, INT8OID, INT8OID, TEXTOID, TEXTOID}
};

static MarketStatement add_locked = {
	"UPDATE market.accounts SET locked = locked + $2 WHERE id = $1",
	2, {INT8OID, INT8OID}
};


/* An account's kind and owner, read before any lock is taken. */
static MarketStatement account_owner = {
	"SELECT kind, owner::pg_catalog.oid FROM market.accounts WHERE id = $1",
	1, {INT8OID}
};

static void require_account_unlocked(int64 account, const char *action);

/* The markets an account has open orders in, in id order. */
static MarketStatement markets_of_account = {
	"SELECT DISTINCT market FROM market.orders"
	" WHERE account = $1 AND status = 'open' ORDER BY market",
	1, {INT8OID}
};

/*
 * Cancel an account's open orders in the markets $2, release their escrow
 * and write one order_cancelled event each, as cancel_order does.
 */
static MarketStatement cancel_account_orders = {
	"WITH cancelled AS ("
	"  UPDATE market.orders o SET status = 'cancelled', cancel_reason = 'cancelled', escrow = 0,"
	"         closed_at = pg_catalog.now()"
	"    FROM (SELECT id, escrow FROM market.orders"
	"           WHERE account = $1 AND status = 'open'"
	"             AND market OPERATOR(pg_catalog.=) ANY ($2)) old"
	"   WHERE o.id = old.id"
	"  RETURNING o.id, o.market, old.escrow AS released),"
	" unlocked AS ("
	"  UPDATE market.accounts a SET locked = a.locked - r.released"
	"    FROM (SELECT pg_catalog.sum(released)::pg_catalog.int8 AS released"
	"            FROM cancelled) r"
	"   WHERE a.id = $1 AND r.released > 0)"
	" INSERT INTO market.events (id, name, market, account, payload)"
	" SELECT market.snowflake(), 'order_cancelled', c.market, $1,"
	"        pg_catalog.jsonb_build_object('order', c.id::pg_catalog.text, 'reason', 'cancelled',"
	"                                      'released', c.released * 0.000001)"
	"   FROM cancelled c ORDER BY c.market, c.id"
	" RETURNING id, name, market, payload::pg_catalog.text",
	2, {INT8OID, INT8ARRAYOID}
};

/* A required text argument that must be one of the given words. */
static char *
word_arg(FunctionCallInfo fcinfo, int argno, const char *what,
		 const char *const *words, const char *expected)
{
	char	   *value;
	int			i;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", what)));
	value = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	for (i = 0; words[i] != NULL; i++)
		if (strcmp(value, words[i]) == 0)
			return value;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s must be %s", what, expected),
			 errdetail("The %s given was \"%s\".", what, value)));
	return NULL;				/* keep compiler quiet */
}

/* Read and check the arguments of place_order / replace_order. */
static OrderRequest
order_request(FunctionCallInfo fcinfo)
{
	static const char *const sides[] = {"buy", "sell", NULL};
	static const char *const tifs[] = {"gtc", "gtd", "ioc", NULL};
	OrderRequest r;

	memset(&r, 0, sizeof(r));
	r.account = market_id_arg(fcinfo, 0, "account");
	r.outcome = market_id_arg(fcinfo, 1, "outcome");
	r.is_buy = strcmp(word_arg(fcinfo, 2, "side", sides, "'buy' or 'sell'"), "buy") == 0;

	if (PG_ARGISNULL(3) && PG_ARGISNULL(7))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("quantity must not be null"),
				 errhint("A buy may give a cash amount instead of a quantity.")));
	if (!PG_ARGISNULL(3) && !PG_ARGISNULL(7))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("give either a quantity or an amount, not both")));
	if (!PG_ARGISNULL(7) && !r.is_buy)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("only a buy may give a cash amount")));
	if (!PG_ARGISNULL(3))
		r.quantity = market_numeric_to_micros(PG_GETARG_NUMERIC(3), "quantity", MAX_QUANTITY);
	else
		r.amount = market_numeric_to_micros(PG_GETARG_NUMERIC(7), "amount", MARKET_MAX_AMOUNT);

	if (PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("price must not be null")));
	r.price = market_numeric_to_micros(PG_GETARG_NUMERIC(4), "price", MICROS_PER_UNIT);

	r.time_in_force = word_arg(fcinfo, 5, "time_in_force", tifs, "'gtc', 'gtd' or 'ioc'");
	r.has_expires = !PG_ARGISNULL(6);
	if (r.has_expires)
		r.expires_at = PG_GETARG_TIMESTAMPTZ(6);
	if (strcmp(r.time_in_force, "gtd") == 0 && !r.has_expires)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a 'gtd' order needs expires_at")));
	if (strcmp(r.time_in_force, "gtd") != 0 && r.has_expires)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("expires_at is only for 'gtd' orders")));
	if (r.has_expires && r.expires_at <= GetCurrentTimestamp())
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("expires_at must be in the future")));

	r.key = PG_ARGISNULL(8) ? NULL : PG_GETARG_TEXT_PP(8);
	if (r.key)
		market_check_idempotency_key(r.key);
	return r;
}

/* The canonical text of a request, for idempotency keys. */
static char *
request_text(const char *function, const OrderRequest *r)
{
	return psprintf("%s outcome=" INT64_FORMAT " side=%s quantity=%s amount=%s price=%s tif=%s expires=%s",
					function, r->outcome, r->is_buy ? "buy" : "sell",
					market_micros_to_cstring(r->quantity),
					market_micros_to_cstring(r->amount),
					market_micros_to_cstring(r->price), r->time_in_force,
					r->has_expires ? timestamptz_to_str(r->expires_at) : "none");
}

typedef struct LockedAccount
{
	Oid			owner;
	int64		balance;
	int64		locked;
	int64		held;			/* of the outcome asked for */
} LockedAccount;

/*
 * Read a trader's account row, locked (FOR UPDATE) or not, with its
 * holding of an outcome (0: none asked), and check the caller may act
 * for it.
 */
static LockedAccount
read_trader_account(int64 account, int64 outcome, const char *action, bool lock)
{
	Datum		values[2] = {Int64GetDatum(account), Int64GetDatum(outcome)};
	LockedAccount a;
	char	   *kind;
	bool		isnull;

	if (market_exec(lock ? &lock_account : &read_account, values, NULL, SPI_OK_SELECT) != 1)
		market_account_not_found(account);
	kind = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	a.owner = DatumGetObjectId(market_get_datum(0, 2, &isnull));
	if (isnull)
		a.owner = InvalidOid;
	a.balance = market_get_int64(0, 3, &isnull);
	a.locked = market_get_int64(0, 4, &isnull);
	a.held = market_get_int64(0, 5, &isnull);
	if (strcmp(kind, "user") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("account " INT64_FORMAT " is a system account", account),
				 errdetail("System accounts do not trade.")));
	market_require_account(account, a.owner, true, action);
	return a;
}

static LockedAccount
lock_trader_account(int64 account, int64 outcome, const char *action)
{
	return read_trader_account(account, outcome, action, true);
}

/* The account's open order in a market: its id, or 0; *escrow set. */
static int64
find_open_order(int64 account, int64 market, int64 *escrow)
{
	Datum		values[1] = {Int64GetDatum(account)};
	bool		isnull;
	uint64		n = market_exec(&open_orders_of_account, values, NULL, SPI_OK_SELECT);
	uint64		i;

	for (i = 0; i < n; i++)
		if (market_get_int64(i, 3, &isnull) == market)
		{
			*escrow = market_get_int64(i, 2, &isnull);
			return market_get_int64(i, 1, &isnull);
		}
	return 0;
}

static void
cancel_one(int64 order, const char *reason)
{
	Datum		values[2] = {Int64GetDatum(order), CStringGetTextDatum(reason)};

	market_exec(&close_order, values, NULL, SPI_OK_UPDATE);
}

static void
change_locked(int64 account, int64 delta)
{
	Datum		values[2] = {Int64GetDatum(account), Int64GetDatum(delta)};

	if (delta != 0)
		market_exec(&add_locked, values, NULL, SPI_OK_UPDATE);
}

static void
refuse_escrow(int64 account, int64 escrow, int64 available)
{
	ereport(ERROR,
			(errcode(ERRCODE_MARKET_INSUFFICIENT_FUNDS),
			 errmsg("insufficient funds in account " INT64_FORMAT, account),
			 errdetail("The order needs escrow of %s; available is %s.",
					   market_micros_to_cstring(escrow),
					   market_micros_to_cstring(available))));
}

/*
 * Place (replace == false) or replace an order.  Returns the new order's
 * id (or, for a repeated idempotency key, the first call's).
 */
static int64
place(OrderRequest *r, bool replace)
{
	const char *function = replace ? "replace_order" : "place_order";
	Datum		values[14];
	char		nulls[14];
	bool		isnull;
	int64		market;
	int32		outcome_number;
	MarketRow	m;
	LockedAccount a;
	char	   *request = NULL;
	int64		old_order;
	int64		released = 0;
	int64		held = 0;
	int64		escrow;
	int64		id;
	int64		event;
	StringInfoData payload;
	MarketPlacement placement;

	values[0] = Int64GetDatum(r->outcome);
	if (market_exec(&outcome_market, values, NULL, SPI_OK_SELECT) != 1)
		market_outcome_not_found(r->outcome, 0);
	market = market_get_int64(0, 1, &isnull);
	outcome_number = DatumGetInt32(market_get_datum(0, 2, &isnull));

	/*
	 * A market that matches at placement takes the freeze lock up front: an
	 * upgrade from the trade lock would deadlock two concurrent placers.
	 * auto_execute never changes, so reading it before the lock is safe.
	 */
	market_lock(market, DatumGetBool(market_get_datum(0, 3, &isnull))
				? MARKET_LOCK_FREEZE : MARKET_LOCK_TRADE);
	m = market_fetch(market);
	market_pool_refuse_orders(&m);
	market_require_trading(&m);

	if (r->price % m.tick != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("price %s is not a multiple of the tick size %s of market %d",
						market_micros_to_cstring(r->price),
						market_micros_to_cstring(m.tick), m.number)));
	if (r->amount > 0)
	{
		/* price <= 1, so any positive amount buys at least a micro-contract */
		r->quantity = quantity_for_amount(r->amount, r->price, m.fee_bps + m.creator_fee_bps);
		if (r->quantity == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("an amount of %s buys nothing at price %s",
							market_micros_to_cstring(r->amount),
							market_micros_to_cstring(r->price)),
					 errdetail("Market %d charges fees of %d basis points; the escrow of one micro-contract, its fee reserve included, is more than the amount.",
							   m.number, m.fee_bps + m.creator_fee_bps),
					 errhint("Give a larger amount.")));
		if (r->quantity > MAX_QUANTITY)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("an amount of %s buys more than the largest quantity allowed",
							market_micros_to_cstring(r->amount))));
	}

	/*
	 * In a batch market the account row is locked now, and the order
	 * placed under that lock.  In an auto_execute market it is only read:
	 * the auction locks it with every other account it touches, in one
	 * ordered statement, and the order is checked against it again then
	 * (market_placement_match).  Locking it here, before the auction's
	 * batch, is the lock order that deadlocked with auctions elsewhere.
	 */
	a = read_trader_account(r->account, r->outcome, "place orders", !m.auto_execute);
	held = a.held;

	if (r->key)
	{
		int64		earlier;

		request = request_text(function, r);
		if (market_idempotency_lookup(r->account, r->key, request, &earlier))
			return earlier;
	}

	old_order = find_open_order(r->account, market, &released);
	if (!replace && old_order != 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("account " INT64_FORMAT " already has an open order in market %d",
						r->account, m.number),
				 errhint("Use replace_order to change it, or cancel_order first.")));
	if (replace && old_order == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("account " INT64_FORMAT " has no open order in market %d to replace",
						r->account, m.number)));

	escrow = escrow_of(r->is_buy, r->quantity, r->price, held, m.fee_bps + m.creator_fee_bps);
	if (escrow > a.balance - a.locked + released)
		refuse_escrow(r->account, escrow, a.balance - a.locked + released);

	id = market_snowflake_next();
	if (m.auto_execute)
	{
		/* match it now: load its reach, match, lock (SPEC 7a) */
		placement.order = id;
		placement.account = r->account;
		placement.outcome = r->outcome;
		placement.is_buy = r->is_buy;
		placement.price = r->price;
		placement.quantity = r->quantity;
		placement.escrow = escrow;
		placement.ioc = strcmp(r->time_in_force, "ioc") == 0;
		placement.replaced = old_order;
		placement.released = released;
		market_placement_match(&m, &placement);
		if (escrow > placement.balance - placement.locked + released)
			refuse_escrow(r->account, escrow, placement.balance - placement.locked + released);

		/* the account is locked now: a retry committed meanwhile wins */
		if (r->key)
		{
			int64		earlier;

			if (market_idempotency_lookup(r->account, r->key, request, &earlier))
				return earlier;
		}
	}

	if (old_order != 0)
		cancel_one(old_order, "replaced");
	event = market_snowflake_next();
	initStringInfo(&payload);
	appendStringInfo(&payload,
					 "{\"order\": \"" INT64_FORMAT "\", \"outcome\": %d, \"side\": \"%s\","
					 " \"quantity\": %s, \"price\": %s, \"escrow\": %s, \"time_in_force\": \"%s\"",
					 id, outcome_number, r->is_buy ? "buy" : "sell",
					 market_micros_to_cstring(r->quantity),
					 market_micros_to_cstring(r->price),
					 market_micros_to_cstring(escrow), r->time_in_force);
	if (old_order != 0)
		appendStringInfo(&payload, ", \"replaces\": \"" INT64_FORMAT "\"", old_order);
	appendStringInfoChar(&payload, '}');

	memset(nulls, ' ', sizeof(nulls));
	values[0] = Int64GetDatum(id);
	values[1] = Int64GetDatum(r->account);
	values[2] = Int64GetDatum(market);
	values[3] = Int64GetDatum(r->outcome);
	values[4] = CStringGetTextDatum(r->is_buy ? "buy" : "sell");
	values[5] = Int64GetDatum(r->price);
	values[6] = Int64GetDatum(r->quantity);
	values[7] = Int64GetDatum(escrow);
	values[8] = CStringGetTextDatum(r->time_in_force);
	values[9] = TimestampTzGetDatum(r->expires_at);
	nulls[9] = r->has_expires ? ' ' : 'n';
	values[10] = Int64GetDatum(escrow - released);
	values[11] = Int64GetDatum(event);
	values[12] = CStringGetTextDatum(replace ? "order_replaced" : "order_placed");
	values[13] = CStringGetTextDatum(payload.data);
	market_exec(&insert_order, values, nulls, SPI_OK_INSERT);
	market_event_notify(event, replace ? "order_replaced" : "order_placed", market,
						payload.data);

	if (r->key)
		market_idempotency_record(r->account, r->key, request, id);

	if (m.auto_execute)
		market_placement_write(&m, &placement);
	return id;
}

static Datum
place_call(FunctionCallInfo fcinfo, bool replace)
{
	OrderRequest r;
	int64		id;

	market_require_role(MARKET_ROLE_OPERATOR | MARKET_ROLE_TRADER,
						replace ? "replace orders" : "place orders");
	r = order_request(fcinfo);

	SPI_connect();
	id = place(&r, replace);
	SPI_finish();

	PG_RETURN_INT64(id);
}

/*
 * market.place_order(account, outcome, side, quantity, price,
 *		time_in_force, expires_at, amount, idempotency_key) -> bigint
 *	  Operators, and traders for their own accounts.
 */
PG_FUNCTION_INFO_V1(market_place_order);
Datum
market_place_order(PG_FUNCTION_ARGS)
{
	return place_call(fcinfo, false);
}

/*
 * market.replace_order(same arguments) -> bigint
 *	  Cancels the account's open order in the outcome's market and places
 *	  the new one, atomically.
 */
PG_FUNCTION_INFO_V1(market_replace_order);
Datum
market_replace_order(PG_FUNCTION_ARGS)
{
	return place_call(fcinfo, true);
}

/*
 * market.cancel_order(account bigint, market bigint) -> numeric
 *	  Cancels the account's open order in the market; returns the escrow
 *	  released.  Works while the market is active, paused or closed.
 *
 *	  A market past its close_at but not yet written down as closed is
 *	  closed first (markets.c): its closing auction runs on the book as of
 *	  close_at, which still holds this order, and the close cancels what is
 *	  left.  The order is then gone already: the call returns 0 with a
 *	  NOTICE rather than fail (a failure would undo the close).  Closing
 *	  needs the freeze lock, so the market row is read before locking to
 *	  choose the mode; a call that read the market before its close_at and
 *	  got the trade lock after it counts as made before the close.
 */
PG_FUNCTION_INFO_V1(market_cancel_order);
Datum
market_cancel_order(PG_FUNCTION_ARGS)
{
	int64		account;
	int64		market;
	MarketRow	m;
	const char *state;
	int64		order;
	int64		released = 0;
	bool		closing = false;
	int			bound = -1;
	StringInfoData payload;

	market_require_role(MARKET_ROLE_OPERATOR | MARKET_ROLE_TRADER, "cancel orders");
	account = market_id_arg(fcinfo, 0, "account");
	market = market_id_arg(fcinfo, 1, "market");

	SPI_connect();
	/* refuse before any lock: a close below locks other traders' rows */
	require_account_unlocked(account, "cancel orders");
	if (market_read(market, &m) && market_close_pending(&m))
	{
		/* an operational path now: its waits are bounded like close_market's */
		bound = market_bound_waits();
		market_lock(market, MARKET_LOCK_FREEZE);
		m = market_fetch(market);
		closing = market_close_pending(&m);
	}
	else
	{
		market_lock(market, MARKET_LOCK_TRADE);
		m = market_fetch(market);
	}
	state = market_effective_state(&m);
	if (strcmp(state, "active") != 0 && strcmp(state, "paused") != 0 &&
		strcmp(state, "closed") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("market %d is %s", m.number, state),
				 errdetail("Its orders were cancelled when it left trading.")));

	/*
	 * The close cancels every order left on the book, this account's too if
	 * it had one, so there is nothing left for this call to cancel: it does
	 * not lock the account's row at all (the close locked those it needed,
	 * in id order; see locks.c).
	 */
	if (closing)
	{
		market_close(&m, true, false, NULL, NULL);
		ereport(NOTICE,
				(errmsg("market %d closed at its close_at, before this call", m.number),
				 errdetail("This call wrote the close down: the closing auction ran on the book as of close_at, then the close cancelled every order left on the book."),
				 errhint("An order of this account, if it had one, was filled or cancelled by the close: see market.trades and market.order_history.")));
		market_unbound_waits(bound);
		SPI_finish();
		PG_RETURN_NUMERIC(market_micros_to_numeric(0));
	}
	lock_trader_account(account, 0, "cancel orders");
	order = find_open_order(account, market, &released);
	if (order == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("account " INT64_FORMAT " has no open order in market %d",
						account, m.number)));
	cancel_one(order, "cancelled");
	change_locked(account, -released);

	initStringInfo(&payload);
	appendStringInfo(&payload,
					 "{\"order\": \"" INT64_FORMAT "\", \"reason\": \"cancelled\", \"released\": %s}",
					 order, market_micros_to_cstring(released));
	market_event("order_cancelled", market, account, payload.data);
	market_unbound_waits(bound);
	SPI_finish();

	PG_RETURN_NUMERIC(market_micros_to_numeric(released));
}

/* May orders of the market be cancelled now (SPEC section 5)? */
static bool
cancellable(const MarketRow *m)
{
	const char *state = market_effective_state(m);

	return strcmp(state, "active") == 0 || strcmp(state, "paused") == 0 ||
		strcmp(state, "closed") == 0;
}

/* A growing list of market ids (cancel_of_account's locked markets). */
typedef struct MarketIds
{
	int64	   *ids;
	int			n;
	int			capacity;
} MarketIds;

static void
ids_add(MarketIds *list, int64 id)
{
	if (list->n == list->capacity)
	{
		list->capacity = list->capacity ? 2 * list->capacity : 8;
		list->ids = list->ids ? repalloc(list->ids, list->capacity * sizeof(int64))
			: palloc(list->capacity * sizeof(int64));
	}
	list->ids[list->n++] = id;
}

static bool
ids_contain(const MarketIds *list, int64 id)
{
	for (int i = 0; i < list->n; i++)
		if (list->ids[i] == id)
			return true;
	return false;
}

/*
 * The markets the account has open orders in that are not in locked yet,
 * in id order, copied out of SPI_tuptable.
 */
static MarketIds
markets_not_locked(int64 account, const MarketIds *locked)
{
	Datum		values[1] = {Int64GetDatum(account)};
	MarketIds	fresh = {0};
	bool		isnull;
	uint64		n = market_exec(&markets_of_account, values, NULL, SPI_OK_SELECT);

	for (uint64 i = 0; i < n; i++)
	{
		int64		market = market_get_int64(i, 1, &isnull);

		if (!ids_contain(locked, market))
			ids_add(&fresh, market);
	}
	return fresh;
}

/*
 * Take a market's lock for cancel_orders.  A market whose close_at has
 * passed but whose close is not written down yet must be closed first, as
 * by every call that touches it (its closing auction included): that
 * takes the freeze lock, with waits bounded like close_market's (*bound
 * keeps the GUC level to undo).  Others take the trade lock.  Returns
 * whether the market needs its close; the caller closes such markets only
 * once it holds every market lock it needs, and before it locks the
 * account row: market locks first, then account rows (locks.c).
 */
static bool
lock_market_for_cancel(int64 market, int *bound)
{
	MarketRow	m;

	if (market_read(market, &m) && market_close_pending(&m))
	{
		if (*bound < 0)
			*bound = market_bound_waits();
		market_lock(market, MARKET_LOCK_FREEZE);
		return true;
	}
	market_lock(market, MARKET_LOCK_TRADE);
	return false;
}

/* Write down the close of a market locked by lock_market_for_cancel(). */
static void
close_for_cancel(int64 market)
{
	MarketRow	m = market_fetch(market);

	if (!market_close_pending(&m))
		return;
	market_close(&m, true, false, NULL, NULL);
	ereport(NOTICE,
			(errmsg("market %d closed at its close_at, before this call", m.number),
			 errdetail("This call wrote the close down: the closing auction ran on the book as of close_at, then the close cancelled every order left on the book.")));
}

/*
 * Refuse, before taking any lock, an account that does not exist, a
 * system account, or one the caller may not act for.
 */
static void
require_account_unlocked(int64 account, const char *action)
{
	Datum		values[1] = {Int64GetDatum(account)};
	bool		isnull;
	char	   *kind;
	Datum		owner;

	if (market_exec(&account_owner, values, NULL, SPI_OK_SELECT) != 1)
		market_account_not_found(account);
	kind = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	owner = market_get_datum(0, 2, &isnull);
	if (strcmp(kind, "user") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("account " INT64_FORMAT " is a system account", account),
				 errdetail("System accounts do not trade.")));
	market_require_account(account, isnull ? InvalidOid : DatumGetObjectId(owner),
						   true, action);
}

/*
 * Cancel an account's open orders: in one market (one_market), or in every
 * market.  The caller is connected to SPI.  Returns the number cancelled.
 *
 * Locks: the market locks (MARKET_LOCK_TRADE) of the markets the account
 * has open orders in, in id order, then the account row.  The list is read
 * again after each round of locks until it has nothing new, since an order
 * may be placed in another market meanwhile.  Once the account row is
 * locked no order of the account can be placed; one placed in the instant
 * between the last read and that lock is in a market whose lock is not
 * held, and waiting for it now, holding the row, could deadlock with an
 * auction there: it is taken only if free, else the call fails with 55P03
 * and can be retried.
 */
static int
cancel_of_account(int64 account, bool one_market, int64 only_market)
{
	Datum		values[2];
	MarketIds	locked = {0};
	MarketIds	closing = {0};
	Datum	   *allowed;
	int			nallowed = 0;
	uint64		n;
	int			bound = -1;

	/* refuse before taking any lock */
	require_account_unlocked(account, "cancel orders");

	if (one_market)
	{
		if (lock_market_for_cancel(only_market, &bound))
			ids_add(&closing, only_market);
		ids_add(&locked, only_market);
	}
	else
	{
		for (;;)
		{
			MarketIds	fresh = markets_not_locked(account, &locked);

			if (fresh.n == 0)
				break;
			for (int i = 0; i < fresh.n; i++)
			{
				if (lock_market_for_cancel(fresh.ids[i], &bound))
					ids_add(&closing, fresh.ids[i]);
				ids_add(&locked, fresh.ids[i]);
			}
		}
	}

	/*
	 * Every market lock held: the pending closes, then the account row.
	 * The closing books' owners and the account are locked first, in one
	 * statement in id order (locks.c), so the closes lock only rows held.
	 */
	if (closing.n > 0)
	{
		Datum	   *ids = palloc(sizeof(Datum) * closing.n);

		for (int i = 0; i < closing.n; i++)
			ids[i] = Int64GetDatum(closing.ids[i]);
		market_lock_books(ids, closing.n, account, market_fetch(closing.ids[0]).number);
	}
	for (int i = 0; i < closing.n; i++)
		close_for_cancel(closing.ids[i]);
	lock_trader_account(account, 0, "cancel orders");

	if (!one_market)
	{
		MarketIds	late = markets_not_locked(account, &locked);

		for (int i = 0; i < late.n; i++)
		{
			MarketRow	m;

			if (!market_try_lock(late.ids[i], MARKET_LOCK_TRADE) ||
				(market_read(late.ids[i], &m) && market_close_pending(&m)))
				ereport(ERROR,
						(errcode(ERRCODE_LOCK_NOT_AVAILABLE),
						 errmsg("market %d is busy",
								market_read(late.ids[i], &m) ? m.number : 0),
						 errdetail("An order of account " INT64_FORMAT " was placed in it while "
								   "cancel_orders ran, and an auction or a change of state "
								   "holds the market now.", account),
						 errhint("Retry cancel_orders.")));
			ids_add(&locked, late.ids[i]);
		}
	}

	/* the markets whose state lets orders be cancelled */
	allowed = palloc((locked.n + 1) * sizeof(Datum));
	for (int i = 0; i < locked.n; i++)
	{
		MarketRow	m;

		if (one_market)
			m = market_fetch(locked.ids[i]);
		else if (!market_read(locked.ids[i], &m))
			continue;
		if (cancellable(&m))
			allowed[nallowed++] = Int64GetDatum(locked.ids[i]);
	}
	if (nallowed == 0)
	{
		market_unbound_waits(bound);
		return 0;
	}

	values[0] = Int64GetDatum(account);
	values[1] = market_int8_array(allowed, NULL, nallowed);
	n = market_exec(&cancel_account_orders, values, NULL, SPI_OK_INSERT_RETURNING);
	market_notify_rows();
	market_unbound_waits(bound);
	return (int) n;
}

/*
 * Cancel a market's whole book.  Admins and operators.  The caller is
 * connected to SPI.  Returns the number cancelled.
 */
static int
cancel_of_market(int64 market)
{
	MarketRow	m;
	int			n = 0;
	int			bound;

	bound = market_bound_waits();
	market_lock(market, MARKET_LOCK_FREEZE);
	m = market_fetch(market);
	/* a close that close_at made is written down first, with its auction */
	if (market_close_pending(&m))
	{
		market_close(&m, true, false, NULL, NULL);
		ereport(NOTICE,
				(errmsg("market %d closed at its close_at, before this call", m.number),
				 errdetail("This call wrote the close down: the closing auction ran on the book as of close_at, then the close cancelled every open order.")));
	}
	else if (cancellable(&m))
		n = market_cancel_book(&m, "book cancelled", MARKET_CANCEL_ALL, false, 0);
	market_unbound_waits(bound);
	return n;
}

/*
 * market.cancel_orders(account bigint DEFAULT NULL, market bigint DEFAULT NULL) -> int
 *	  cancel_orders(account): the account's open orders in every market;
 *	  cancel_orders(account, market): its order in that market;
 *	  operators, and traders for their own accounts.
 *	  cancel_orders(market => m): the market's whole book; admins and
 *	  operators.
 *	  Returns the number of orders cancelled: 0 when there is nothing to
 *	  cancel, so a repeated call is harmless.  Orders are cancelled only
 *	  while their market is active, paused or closed (a market that left
 *	  trading for good has none open).  Escrow is released and each order
 *	  gets an order_cancelled event, as cancel_order does; the reason is
 *	  "cancelled", or "book cancelled" for a whole book.
 */
PG_FUNCTION_INFO_V1(market_cancel_orders);
Datum
market_cancel_orders(PG_FUNCTION_ARGS)
{
	int			n;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
	{
		market_require_role(MARKET_ROLE_ADMIN | MARKET_ROLE_OPERATOR | MARKET_ROLE_TRADER,
							"cancel orders");
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("account and market must not both be null"),
				 errhint("Give an account to cancel its orders, a market to cancel its book, "
						 "or both.")));
	}
	if (PG_ARGISNULL(0))
	{
		market_require_role(MARKET_ROLE_ADMIN | MARKET_ROLE_OPERATOR,
							"cancel a market's book");
		SPI_connect();
		n = cancel_of_market(PG_GETARG_INT64(1));
	}
	else
	{
		market_require_role(MARKET_ROLE_OPERATOR | MARKET_ROLE_TRADER, "cancel orders");
		SPI_connect();
		n = cancel_of_account(PG_GETARG_INT64(0), !PG_ARGISNULL(1),
							  PG_ARGISNULL(1) ? 0 : PG_GETARG_INT64(1));
	}
	SPI_finish();
	PG_RETURN_INT32(n);
}
