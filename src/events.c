/*
 * events.c
 *	  The event log: one row per state change, and NOTIFY market_events.
 *
 * Every function that changes state calls market_event() inside its own
 * transaction, so an event exists exactly when its change committed.  The
 * row goes to market.events (id, name, market, account, payload jsonb,
 * created_at) and, unless market.notify is off, the same event is sent as
 * a JSON notification on channel market_events, delivered to listeners at
 * commit:
 *
 *	  {"id": "...", "name": "deposit", "market": null, "account": "...",
 *	   "payload": {...}}
 *
 * Ids are JSON strings (a 64-bit id does not survive a JavaScript number).
 * A notification longer than NOTIFY allows drops its payload; the row
 * still has it.
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
#include "utils/json.h"

#include "market.h"
#include "spi_plans.h"

#define NOTIFY_LIMIT 7900		/* NOTIFY payloads must stay under 8000 */

static MarketStatement insert_event = {
	"INSERT INTO market.events (id, name, market, account, payload)"
	" VALUES ($1, $2, $3, $4, $5::pg_catalog.jsonb)",
	5, {INT8OID, TEXTOID, INT8OID, INT8OID, TEXTOID}
};

static void
append_id(StringInfo buf, int64 id)
{
	if (id == 0)
		appendStringInfoString(buf, "null");
	else
		appendStringInfo(buf, "\"" INT64_FORMAT "\"", id);
}

static void
send_notification(int64 id, const char *name, int64 market, int64 account,
				  const char *payload_json)
{
	StringInfoData msg;
	int			head;

	initStringInfo(&msg);
	appendStringInfo(&msg, "{\"id\": \"" INT64_FORMAT "\", \"name\": ", id);
	escape_json(&msg, name);
	appendStringInfoString(&msg, ", \"market\": ");
	append_id(&msg, market);
	appendStringInfoString(&msg, ", \"account\": ");
	append_id(&msg, account);
	head = msg.len;
	appendStringInfo(&msg, ", \"payload\": %s}", payload_json);
	if (msg.len > NOTIFY_LIMIT)
	{
		msg.len = head;
		msg.data[head] = '\0';
		appendStringInfoChar(&msg, '}');
	}
	Async_Notify("market_events", msg.data);
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
		send_notification(id, name, market, account, payload_json);
}

/* The notification of an event row the caller wrote itself. */
void
market_event_notify(int64 id, const char *name, int64 market, int64 account,
					const char *payload_json)
{
	if (market_notify)
		send_notification(id, name, market, account, payload_json);
}

/*
 * Send the notifications of event rows a set-based INSERT ... RETURNING id,
 * name, market, account, payload::text just wrote (SPI_tuptable).
 */
void
market_notify_rows(void)
{
	uint64		i;

	if (!market_notify)
		return;
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		int64		id = market_get_int64(i, 1, &isnull);
		char	   *name = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
		int64		market = market_get_int64(i, 3, &isnull);
		int64		account = market_get_int64(i, 4, &isnull);
		char	   *payload = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 5);

		send_notification(id, name, market, account, payload);
	}
}
