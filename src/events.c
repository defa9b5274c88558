/*
 * events.c
 *	  The event log: one row per state change, and NOTIFY market_events.
 *
 * Every function that changes state calls market_event() inside its own
 * transaction, so an event exists exactly when its change committed.  The
 * row goes to market.events (id, name, market, account, payload jsonb,
 * created_at) with the event's whole private detail; row-level security
 * decides who reads it.  Unless market.notify is off, the event is also
 * sent on channel market_events, delivered to listeners at commit.
 *
 * The notification is public.  LISTEN needs no privilege in PostgreSQL:
 * any role that can connect to the database hears every notification, so
 * one must carry nothing such a role may not see (SPEC §12).  It is
 *
 *	  {"id": "...", "name": "order_placed", "market": "...",
 *	   "payload": {"order": "...", "outcome": 1, "side": "buy", ...}}
 *
 * with "market" null when the event has none, and "payload" holding only
 * the members of the row's payload that public_fields[] below names for
 * the event, in that order.  Never the account, nor any amount of an
 * account's cash, escrow or balance.  The whitelist, event by event:
 *
 *	  account_created, deposit, withdrawal   nothing: who has an account
 *		  and what it holds is private.
 *	  settled                                nothing: a payout is an
 *		  account's cash (even a batch total is the sum of a few accounts').
 *	  market_created    number, outcomes (how many), tick_size; not the
 *		  description (free text, read it from market.markets).
 *	  market_paused, market_resumed, market_closed, market_disputed,
 *	  market_finalized, market_cancelled     number, from, to (states);
 *		  not the reason, which an admin writes as free text.
 *	  market_resolved   number, payouts (the public payout vector), or a
 *		  distribution market's value.
 *	  trade             a distribution market's trade: number, position,
 *		  old and new (the market's Normal before and after: public);
 *		  not the size (the collateral the account posted) nor the fee.
 *	  order_placed      order, outcome, side, price, quantity: what the
 *		  public book shows of an order; not its escrow or time in force.
 *	  order_replaced    the same, and replaces (the order it took off the
 *		  book, so a listener can keep the book).
 *	  order_cancelled   order, reason (a fixed word: cancelled, expired,
 *		  ioc, market closed, ...); not the escrow released.
 *	  commitment_placed number, commitment, outcome, position, pool: a
 *		  pool's size is public market data, as the book is; not the
 *		  commitment's amount.
 *	  distribution_written   number, distribution, status, outcome,
 *		  refund, pool, commitments, winning: the pool's public figures;
 *		  not the fees (the creator fee is an account's cash).
 *	  distribution_disputed, distribution_completed,
 *	  distribution_cancelled, distribution_rolled_back   number,
 *		  distribution, status; not a rollback's reason or amount.
 *	  market_reopened   number, from, to (a rollback: finalized -> closed).
 *	  auction           number, executions, filled, trimmed, expired,
 *		  ioc_cancelled: counts and contract quantities of the whole market;
 *		  closing (true) for a closing auction.
 *
 * An event name missing from the list publishes id, name and market only
 * (fails closed): a new event is private until someone decides what of it
 * is public and adds it here.  An application that needs its own
 * account's detail LISTENs, then reads the new rows of market.events as
 * its own role (the README shows how).
 *
 * Ids are JSON strings (a 64-bit id does not survive a JavaScript number).
 * A notification longer than NOTIFY allows drops its payload member; the
 * row still has it.
 *
 * Memory: the public payload is picked out of the row's JSON in a context
 * reset after every notification (Async_Notify copies what it keeps), so a
 * set-based cancellation of a large book does not grow with the book.
 *
 * Cost: PostgreSQL serializes the commits of notifying transactions on one
 * lock while it appends to the notification queue.  Callers that need the
 * highest commit rate can SET market.notify = off and follow
 * market.events instead; the README discusses it.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/async.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "market.h"
#include "spi_plans.h"

#define NOTIFY_LIMIT 7900		/* NOTIFY payloads must stay under 8000 */

#define MAX_PUBLIC_FIELDS 9

/* The members of an event's payload that a notification may carry. */
typedef struct PublicFields
{
	const char *event;
	const char *fields[MAX_PUBLIC_FIELDS];	/* NULL-terminated */
} PublicFields;

static const PublicFields public_fields[] = {
	/* accounts and cash: private */
	{"account_created", {NULL}},
	{"deposit", {NULL}},
	{"withdrawal", {NULL}},
	{"settled", {NULL}},
	/* markets: their public figures */
	{"market_created", {"number", "outcomes", "tick_size", NULL}},
	{"market_paused", {"number", "from", "to", NULL}},
	{"market_resumed", {"number", "from", "to", NULL}},
	{"market_closed", {"number", "from", "to", NULL}},
	{"market_disputed", {"number", "from", "to", NULL}},
	{"market_finalized", {"number", "from", "to", NULL}},
	{"market_cancelled", {"number", "from", "to", NULL}},
	{"market_resolved", {"number", "payouts", "value", NULL}},
	{"market_reopened", {"number", "from", "to", NULL}},
	/* pools: their public figures */
	{"commitment_placed", {"number", "commitment", "outcome", "position", "pool", NULL}},
	{"distribution_written", {"number", "distribution", "status", "outcome", "refund", "pool",
	 "commitments", "winning", NULL}},
	{"distribution_disputed", {"number", "distribution", "status", NULL}},
	{"distribution_completed", {"number", "distribution", "status", NULL}},
	{"distribution_cancelled", {"number", "distribution", "status", NULL}},
	{"distribution_rolled_back", {"number", "distribution", "status", NULL}},
	/* a distribution market's trade: the market's old and new Normal */
	{"trade", {"number", "position", "old", "new", NULL}},
	/* orders: what the public book shows */
	{"order_placed", {"order", "outcome", "side", "price", "quantity", NULL}},
	{"order_replaced", {"order", "outcome", "side", "price", "quantity", "replaces", NULL}},
	{"order_cancelled", {"order", "reason", NULL}},
	/* auctions: the market's figures */
	{"auction", {"number", "executions", "filled", "trimmed", "expired", "ioc_cancelled",
	 "closing", NULL}},
	/* a failed auction: which market and its SQLSTATE, never the message */
	{"auction_failed", {"number", "sqlstate", NULL}},
};

static MemoryContext notify_context = NULL;

static MarketStatement insert_event = {
	"INSERT INTO market.events (id, name, market, account, payload)"
	" VALUES ($1, $2, $3, $4, $5::pg_catalog.jsonb)",
	5, {INT8OID, TEXTOID, INT8OID, INT8OID, TEXTOID}
};

/* The public members of an event; NULL (none) for an unknown name. */
static const char *const *
lookup_public_fields(const char *name)
{
	size_t		i;

	for (i = 0; i < lengthof(public_fields); i++)
		if (strcmp(public_fields[i].event, name) == 0)
			return public_fields[i].fields;
	return NULL;
}

/*
 * Append to buf the members of payload_json (a JSON object's text) that
 * fields names, in that order, as "key": value pairs separated by commas.
 * A member the payload lacks is left out.
 */
static void
append_public_members(StringInfo buf, const char *const *fields, const char *payload_json)
{
	Jsonb	   *payload;
	bool		first = true;
	int			i;

	if (fields == NULL || fields[0] == NULL)
		return;
	payload = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(payload_json)));
	if (!JB_ROOT_IS_OBJECT(payload))
		return;
	for (i = 0; fields[i] != NULL; i++)
	{
		JsonbValue *v = getKeyJsonValueFromContainer(&payload->root, fields[i],
													 strlen(fields[i]), NULL);
		Jsonb	   *one;

		if (v == NULL)
			continue;
		if (!first)
			appendStringInfoString(buf, ", ");
		first = false;
		escape_json(buf, fields[i]);
		appendStringInfoString(buf, ": ");
		one = JsonbValueToJsonb(v);
		(void) JsonbToCString(buf, &one->root, VARSIZE(one));
	}
}

static void
append_id(StringInfo buf, int64 id)
{
	if (id == 0)
		appendStringInfoString(buf, "null");
	else
		appendStringInfo(buf, "\"" INT64_FORMAT "\"", id);
}

/* Queue the public notification of event id (Async_Notify copies it). */
static void
send_notification(int64 id, const char *name, int64 market, const char *payload_json)
{
	StringInfoData msg;
	int			head;

	initStringInfo(&msg);
	appendStringInfo(&msg, "{\"id\": \"" INT64_FORMAT "\", \"name\": ", id);
	escape_json(&msg, name);
	appendStringInfoString(&msg, ", \"market\": ");
	append_id(&msg, market);
	head = msg.len;
	appendStringInfoString(&msg, ", \"payload\": {");
	append_public_members(&msg, lookup_public_fields(name), payload_json);
	appendStringInfoString(&msg, "}}");
	if (msg.len > NOTIFY_LIMIT)
	{
		msg.len = head;
		msg.data[head] = '\0';
		appendStringInfoChar(&msg, '}');
	}
	Async_Notify("market_events", msg.data);
}

/*
 * Switch to notify_context, emptied first (an error may have left the last
 * notification's memory in it).
 */
static MemoryContext
switch_to_notify_context(void)
{
	if (notify_context == NULL)
		notify_context = AllocSetContextCreate(TopMemoryContext, "market notify",
											   ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(notify_context);
	return MemoryContextSwitchTo(notify_context);
}

static void
notify_one(int64 id, const char *name, int64 market, const char *payload_json)
{
	MemoryContext old = switch_to_notify_context();

	send_notification(id, name, market, payload_json);
	MemoryContextSwitchTo(old);
	MemoryContextReset(notify_context);
}

/*
 * Record an event.  market and account are 0 when not applicable;
 * payload_json is a JSON object text built by the caller.  Must be called
 * inside an SPI connection.
 */
void
market_event(const char *name, int64 market, int64 account,
			 const char *payload_json)
{
	int64		id = market_snowflake_next();
	Datum		values[5];
	char		nulls[5] = {' ', ' ', ' ', ' ', ' '};

	values[0] = Int64GetDatum(id);
	values[1] = CStringGetTextDatum(name);
	values[2] = Int64GetDatum(market);
	values[3] = Int64GetDatum(account);
	values[4] = CStringGetTextDatum(payload_json);
	if (market == 0)
		nulls[2] = 'n';
	if (account == 0)
		nulls[3] = 'n';
	market_exec(&insert_event, values, nulls, SPI_OK_INSERT);

	if (market_notify)
		notify_one(id, name, market, payload_json);
}

/*
 * The notification of an event row the caller wrote itself; payload_json
 * is the row's payload.
 */
void
market_event_notify(int64 id, const char *name, int64 market, const char *payload_json)
{
	if (market_notify)
		notify_one(id, name, market, payload_json);
}

/*
 * Send the notifications of event rows a set-based INSERT ... RETURNING id,
 * name, market, payload::text just wrote (SPI_tuptable).
 */
void
market_notify_rows(void)
{
	uint64		i;

	if (!market_notify)
		return;
	for (i = 0; i < SPI_processed; i++)
	{
		MemoryContext old = switch_to_notify_context();
		bool		isnull;
		int64		id = market_get_int64(i, 1, &isnull);
		char	   *name = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
		int64		market = market_get_int64(i, 3, &isnull);
		char	   *payload = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 4);

		send_notification(id, name, market, payload);
		MemoryContextSwitchTo(old);
	}
	if (notify_context != NULL)
		MemoryContextReset(notify_context);
}
