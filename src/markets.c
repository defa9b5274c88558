/*
 * markets.c
 *	  Markets and their lifecycle: create_market, outcome_id, market_id,
 *	  pause_market, resume_market, close_market.
 *
 * States and the only transitions (SPEC section 5):
 *
 *	  active <-> paused						admin
 *	  active | paused -> closed				admin, or close_at passing
 *	  active | paused | closed -> resolved	oracle (resolution, later)
 *	  resolved -> finalized | closed		(resolution, later)
 *	  any but finalized -> cancelled		admin (later)
 *
 * Any other transition is refused with 55000.  Leaving "active" for good
 * (closed, resolved, cancelled) cancels every open order and releases its
 * escrow, in one set-based pass (orders.c).
 *
 * The closing auction.  A batch market (not auto_execute) created with
 * closing_auction (the default since 0.2; markets made in 0.1 have it
 * false) runs one last auction on its book when it closes, before the rest
 * of the book is cancelled: market_close().  Resolution and cancellation
 * never auction.  An auto_execute market skips it: its book never crosses
 * between calls, so the auction could match nothing.
 *
 * close_at needs no job: trading checks the clock itself and is refused
 * from that instant.  The stored state catches up lazily: the first call
 * that touches the market afterwards and succeeds (execute, execute_all,
 * close_market, cancel_order, resolve, cancel_market) performs the close,
 * closing auction included, before anything else; that auction sees the
 * book as of close_at (gtd orders that expired before close_at are out,
 * those that expired since are in).  A call that is refused (place_order,
 * pause_market) changes nothing, so it leaves the close to the next one.
 * Until then market.market_overview shows the effective state.
 *
 * One library serves 0.1 and 0.2: the closing_auction and creator_fees
 * columns exist only in 0.2's catalog, so the statements that name them
 * have a 0.1 twin, and market_has_fees() picks one per call (a syscache
 * probe: an ALTER EXTENSION UPDATE in this very session is seen at once).
 *
 * Locks: every change of state takes the market lock in MARKET_LOCK_FREEZE
 * mode (locks.c), so it waits for orders being placed or cancelled in the
 * market and holds new ones off until it commits; the market row is then
 * read against the latest committed state.  Markets are numbered 1, 2, ...
 * without gaps: creation takes the freeze lock of "market 0", which no
 * market has, so creations are numbered one at a time.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "market.h"
#include "spi_plans.h"

static MarketStatement read_market = {
	"SELECT number, state, kind, tick, close_at, oracle, oracle_kind, collateral, auto_execute,"
	"       finalizes_at, closing_auction, fee_bps, creator_fee_bps, creator, creator_fees,"
	"       allocation OPERATOR(pg_catalog.=) 'price_time'"
	" FROM market.markets WHERE id = $1",
	1, {INT8OID}
};

/*
 * The same on a 0.1 catalog, which has no closing_auction (always false),
 * charges no fees (0.1 never did: its fills have no fee columns) and
 * allocates pro-rata.
 */
static MarketStatement read_market_01 = {
	"SELECT number, state, kind, tick, close_at, oracle, oracle_kind, collateral, auto_execute,"
	"       finalizes_at, false, 0, 0, creator, NULL::pg_catalog.int8, false"
	" FROM market.markets WHERE id = $1",
	1, {INT8OID}
};

static MarketStatement set_state = {
	"UPDATE market.markets SET state = $2,"
	" closed_at = CASE WHEN $2 = 'closed' THEN pg_catalog.now() ELSE closed_at END"
	" WHERE id = $1",
	2, {INT8OID, TEXTOID}
};

static MarketStatement next_number = {
	"SELECT COALESCE(pg_catalog.max(number), 0) + 1 FROM market.markets",
	0, {}
};

static MarketStatement user_account_kind = {
	"SELECT kind FROM market.accounts WHERE id = $1",
	1, {INT8OID}
};

static MarketStatement check_buckets = {
	"SELECT pg_catalog.format(CASE"
	"  WHEN r IS NULL OR pg_catalog.isempty(r) THEN 'Bucket %s is empty.'"
	"  WHEN i > 1 AND pg_catalog.lower_inf(r) THEN 'Only the first bucket may be unbounded below; bucket %s is.'"
	"  WHEN i < n AND pg_catalog.upper_inf(r) THEN 'Only the last bucket may be unbounded above; bucket %s is.'"
	"  ELSE 'Bucket %s overlaps the bucket before it or lies below it.' END, i)"
	"  FROM (SELECT r, i, pg_catalog.lag(r) OVER (ORDER BY i) AS prev, pg_catalog.count(*) OVER () AS n"
	"          FROM pg_catalog.unnest($1::pg_catalog.numrange[]) WITH ORDINALITY AS u(r, i)) s"
	" WHERE r IS NULL OR pg_catalog.isempty(r)"
	"    OR (i > 1 AND pg_catalog.lower_inf(r)) OR (i < n AND pg_catalog.upper_inf(r))"
	"    OR (prev IS NOT NULL AND NOT (prev OPERATOR(pg_catalog.<<) r))"
	" ORDER BY i LIMIT 1",
	1, {InvalidOid}				/* numrange[]: looked up at first use */
};

static MarketStatement insert_collateral = {
	"INSERT INTO market.accounts (id, label, kind) VALUES ($1, $2, 'collateral')",
	2, {INT8OID, TEXTOID}
};

static MarketStatement insert_market = {
	"INSERT INTO market.markets (id, number, description, kind, tick, close_at, oracle,"
	" oracle_kind, fee_bps, creator, creator_fee_bps, dispute_window, auto_execute, collateral,"
	" closing_auction, creator_fees, allocation)"
	" VALUES ($1, $2, $3, $16, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $17)",
	17, {INT8OID, INT4OID, TEXTOID, INT8OID, TIMESTAMPTZOID, INT8OID, TEXTOID,
		INT4OID, INT8OID, INT4OID, INTERVALOID, BOOLOID, INT8OID, BOOLOID, INT8OID, TEXTOID,
	TEXTOID}
};

/* A market's creator-fee account (SPEC 6a): fees accrue there until paid. */
static MarketStatement insert_creator_fees = {
	"INSERT INTO market.accounts (id, label, kind) VALUES ($1, $2, 'creator_fees')",
	2, {INT8OID, TEXTOID}
};

/* The same on a 0.1 catalog, which has no closing_auction column. */
static MarketStatement insert_market_01 = {
	"INSERT INTO market.markets (id, number, description, kind, tick, close_at, oracle,"
	" oracle_kind, fee_bps, creator, creator_fee_bps, dispute_window, auto_execute, collateral)"
	" VALUES ($1, $2, $3, 'orderbook', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
	13, {INT8OID, INT4OID, TEXTOID, INT8OID, TIMESTAMPTZOID, INT8OID, TEXTOID,
		INT4OID, INT8OID, INT4OID, INTERVALOID, BOOLOID, INT8OID}
};

static MarketStatement insert_outcomes = {
	"INSERT INTO market.outcomes (id, market, number, label, bucket)"
	" SELECT market.snowflake(), $1, u.i, u.label,"
	"        ($3::pg_catalog.numrange[])[pg_catalog.array_lower($3::pg_catalog.numrange[], 1) + u.i - 1]"
	"   FROM pg_catalog.unnest($2::pg_catalog.text[]) WITH ORDINALITY AS u(label, i)",
	3, {INT8OID, TEXTARRAYOID, InvalidOid}
};

static MarketStatement outcome_by_number = {
	"SELECT id FROM market.outcomes WHERE market = $1 AND number = $2",
	2, {INT8OID, INT4OID}
};

static MarketStatement market_by_number = {
	"SELECT id FROM market.markets WHERE number = $1",
	1, {INT4OID}
};

/*
 * Does this database charge fees on the order book: has market.markets
 * the creator_fees column (0.2 and later)?  On a 0.1 catalog no fee is
 * charged, as 0.1 never did (its fills cannot record one).
 */
bool
market_has_fees(void)
{
	Oid			nsp = get_namespace_oid("market", true);
	Oid			rel = OidIsValid(nsp) ? get_relname_relid("markets", nsp) : InvalidOid;

	return OidIsValid(rel) && get_attnum(rel, "creator_fees") != InvalidAttrNumber;
}

/*
 * Read a market row against the latest committed state.  Returns false if
 * there is no such market.  Strings are palloc'd in the SPI context.
 */
bool
market_read(int64 market, MarketRow *row)
{
	Datum		values[1] = {Int64GetDatum(market)};
	bool		isnull;
	Datum		d;

	if (market_exec_latest(market_has_fees() ? &read_market : &read_market_01,
						   values, NULL) != 1)
		return false;
	row->id = market;
	row->number = DatumGetInt32(market_get_datum(0, 1, &isnull));
	row->state = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	row->kind = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3);
	row->tick = market_get_int64(0, 4, &isnull);
	d = market_get_datum(0, 5, &isnull);
	row->has_close_at = !isnull;
	row->close_at = isnull ? 0 : DatumGetTimestampTz(d);
	row->oracle = market_get_int64(0, 6, &isnull);
	row->oracle_kind = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 7);
	row->collateral = market_get_int64(0, 8, &isnull);
	row->auto_execute = DatumGetBool(market_get_datum(0, 9, &isnull));
	d = market_get_datum(0, 10, &isnull);
	row->finalizes_at = isnull ? DT_NOBEGIN : DatumGetTimestampTz(d);
	row->closing_auction = DatumGetBool(market_get_datum(0, 11, &isnull));
	row->fee_bps = DatumGetInt32(market_get_datum(0, 12, &isnull));
	row->creator_fee_bps = DatumGetInt32(market_get_datum(0, 13, &isnull));
	row->creator = market_get_int64(0, 14, &isnull);
	if (isnull)
		row->creator = 0;
	row->creator_fees = market_get_int64(0, 15, &isnull);
	if (isnull)
		row->creator_fees = 0;
	row->price_time = DatumGetBool(market_get_datum(0, 16, &isnull));
	return true;
}

/*
 * Markets and outcomes have snowflake ids and small numbers, and a number
 * passed where an id goes is the commonest mistake.  When no market has
 * the id but one has that number, the hint says so and shows the call
 * that gives the id.  Inside an SPI connection.
 */
static int64
market_numbered(int64 number)
{
	Datum		values[1];
	bool		isnull;

	if (number < 1 || number > PG_INT32_MAX)
		return 0;
	values[0] = Int32GetDatum((int32) number);
	if (market_exec(&market_by_number, values, NULL, SPI_OK_SELECT) != 1)
		return 0;
	return market_get_int64(0, 1, &isnull);
}

/* P0002 for a market id that names no market (see market_numbered). */
void
market_not_found(int64 market)
{
	if (market_numbered(market) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("market " INT64_FORMAT " does not exist", market),
				 errdetail("Market ids are snowflakes; " INT64_FORMAT " is the number of a market, not its id.",
						   market),
				 errhint("Pass market.market_id(" INT64_FORMAT ") to name market number " INT64_FORMAT ".",
						 market, market)));
	ereport(ERROR,
			(errcode(ERRCODE_NO_DATA_FOUND),
			 errmsg("market " INT64_FORMAT " does not exist", market)));
}

/*
 * P0002 for an outcome id that names no outcome.  market is the market
 * the call is about, or 0 if the call does not say: then any market with
 * an outcome of that number makes the hint.
 */
void
market_outcome_not_found(int64 outcome, int64 market)
{
	Datum		values[2];

	if (outcome >= 1 && outcome <= MARKET_MAX_OUTCOMES && market != 0)
	{
		values[0] = Int64GetDatum(market);
		values[1] = Int32GetDatum((int32) outcome);
		if (market_exec(&outcome_by_number, values, NULL, SPI_OK_SELECT) == 1)
			ereport(ERROR,
					(errcode(ERRCODE_NO_DATA_FOUND),
					 errmsg("outcome " INT64_FORMAT " does not exist", outcome),
					 errdetail("Outcome ids are snowflakes; " INT64_FORMAT " is the number of an outcome, not its id.",
							   outcome),
					 errhint("Pass market.outcome_id(" INT64_FORMAT ", " INT64_FORMAT ") to name outcome number " INT64_FORMAT ".",
							 market, outcome, outcome)));
	}
	else if (outcome >= 1 && outcome <= MARKET_MAX_OUTCOMES)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("outcome " INT64_FORMAT " does not exist", outcome),
				 errdetail("Outcome ids are snowflakes; " INT64_FORMAT " looks like the number of an outcome, not its id.",
						   outcome),
				 errhint("Pass market.outcome_id(market, " INT64_FORMAT "), with the market's id, to name outcome number " INT64_FORMAT ".",
						 outcome, outcome)));
	ereport(ERROR,
			(errcode(ERRCODE_NO_DATA_FOUND),
			 errmsg("outcome " INT64_FORMAT " does not exist", outcome),
			 errhint("Look the outcome up with market.outcome_id(market, number).")));
}

/*
 * market_internal.require_market(market bigint) -> void
 *	  P0002, with the number hint of market_not_found(), unless the market
 *	  exists: the check the extension's SQL functions (candles, the charts)
 *	  share with its C ones.
 */
PG_FUNCTION_INFO_V1(market_require_market);
Datum
market_require_market(PG_FUNCTION_ARGS)
{
	int64		market = market_id_arg(fcinfo, 0, "market");
	MarketRow	row;

	SPI_connect();
	if (!market_read(market, &row))
		market_not_found(market);
	SPI_finish();
	PG_RETURN_VOID();
}

/* Read a market row; raises P0002 if there is none. */
MarketRow
market_fetch(int64 market)
{
	MarketRow	row;

	if (!market_read(market, &row))
		market_not_found(market);
	return row;
}

/* Has close_at passed (by the clock, not the transaction start)? */
bool
market_past_close(const MarketRow *row)
{
	return row->has_close_at && GetCurrentTimestamp() >= row->close_at;
}

const char *
market_effective_state(const MarketRow *row)
{
	if ((strcmp(row->state, "active") == 0 || strcmp(row->state, "paused") == 0) &&
		market_past_close(row))
		return "closed";
	return row->state;
}

/* Refuse with 55000 unless the market is open for trading right now. */
void
market_require_trading(const MarketRow *row)
{
	const char *state = market_effective_state(row);

	if (strcmp(state, "active") == 0)
		return;
	if (strcmp(row->state, "active") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("market %d is closed for trading", row->number),
				 errdetail("Trading stopped at its close_at, %s.",
						   timestamptz_to_str(row->close_at))));
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("market %d is %s", row->number, state),
			 errdetail("Orders are placed and matched only while a market is active.")));
}

/* Write a new state and its event; the caller holds the freeze lock. */
void
market_write_state(MarketRow *row, const char *state, const char *event,
				   const char *reason)
{
	Datum		values[2];
	StringInfoData payload;

	values[0] = Int64GetDatum(row->id);
	values[1] = CStringGetTextDatum(state);
	market_exec(&set_state, values, NULL, SPI_OK_UPDATE);

	initStringInfo(&payload);
	appendStringInfo(&payload, "{\"number\": %d, \"from\": \"%s\", \"to\": \"%s\"",
					 row->number, row->state, state);
	if (reason)
	{
		appendStringInfoString(&payload, ", \"reason\": ");
		escape_json(&payload, reason);
	}
	appendStringInfoChar(&payload, '}');
	market_event(event, row->id, 0, payload.data);
	row->state = pstrdup(state);
}

/* Is the market closed by the clock but not yet written down as closed? */
bool
market_close_pending(const MarketRow *row)
{
	return strcmp(market_effective_state(row), row->state) != 0;
}

/*
 * Close a market that is active or paused: run its closing auction (a
 * batch market created with closing_auction), cancel the rest of the book,
 * write the state and its event.  by_clock: the close that close_at made,
 * written down now; the auction then sees the book as of close_at.  The
 * closing auction's executions go to out (if not NULL); returns how many
 * there were.  Caller holds the freeze lock.  With nowait, a busy account
 * row raises 55P03 instead of waiting (execute_all).
 */
int64
market_close(MarketRow *row, bool by_clock, bool nowait,
			 Tuplestorestate *out, TupleDesc outdesc)
{
	int64		made = 0;

	if (row->closing_auction && !row->auto_execute)
	{
		/*
		 * The auction locks its participants, then the close the rest of
		 * the book: lock the whole book first, in one statement in id
		 * order (locks.c), so the close never waits for a row below one
		 * it holds.
		 */
		market_lock_book(row, 0, nowait);
		made = market_closing_auction(row, by_clock ? row->close_at : GetCurrentTimestamp(),
									  nowait, out, outdesc);
	}
	market_cancel_book(row, "market closed", MARKET_CANCEL_ALL, nowait, 0);
	market_write_state(row, "closed", "market_closed", by_clock ? "close_at" : NULL);
	return made;
}

/*
 * If close_at has passed, write down the close the clock already made,
 * with its closing auction.  Caller holds the freeze lock.
 */
void
market_catch_up(MarketRow *row)
{
	if (market_close_pending(row))
		market_close(row, true, false, NULL, NULL);
}

/*
 * The admin's transitions: from lists the states the transition may leave
 * (NULL-terminated).  Closing cancels every open order.
 */
static void
transition(FunctionCallInfo fcinfo, const char *verb, const char *const *from,
		   const char *to, const char *event)
{
	int64		market;
	MarketRow	row;
	bool		allowed = false;
	int			i;
	int			bound;

	market_require_role(MARKET_ROLE_ADMIN, psprintf("%s markets", verb));
	market = market_id_arg(fcinfo, 0, "market");

	SPI_connect();
	bound = market_bound_waits();
	market_lock(market, MARKET_LOCK_FREEZE);
	row = market_fetch(market);

	/*
	 * A market past its close_at is already closed by the clock: closing it
	 * writes that down; pausing or resuming it is refused.
	 */
	if (strcmp(to, "closed") == 0 && market_close_pending(&row))
	{
		market_catch_up(&row);
		market_unbound_waits(bound);
		SPI_finish();
		return;
	}

	for (i = 0; from[i] != NULL; i++)
		if (strcmp(market_effective_state(&row), from[i]) == 0)
			allowed = true;
	if (!allowed)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot %s market %d: it is %s", verb, row.number,
						market_effective_state(&row))));

	if (strcmp(to, "closed") == 0)
		market_close(&row, false, false, NULL, NULL);
	else
		market_write_state(&row, to, event, NULL);
	market_unbound_waits(bound);
	SPI_finish();
}

/* market.pause_market(market bigint): active -> paused.  Admins. */
PG_FUNCTION_INFO_V1(market_pause_market);
Datum
market_pause_market(PG_FUNCTION_ARGS)
{
	static const char *const from[] = {"active", NULL};

	transition(fcinfo, "pause", from, "paused", "market_paused");
	PG_RETURN_VOID();
}

/* market.resume_market(market bigint): paused -> active.  Admins. */
PG_FUNCTION_INFO_V1(market_resume_market);
Datum
market_resume_market(PG_FUNCTION_ARGS)
{
	static const char *const from[] = {"paused", NULL};

	transition(fcinfo, "resume", from, "active", "market_resumed");
	PG_RETURN_VOID();
}

/*
 * market.close_market(market bigint): active | paused -> closed: the
 * closing auction (unless the market was created without one), then every
 * open order left is cancelled.  Admins.
 */
PG_FUNCTION_INFO_V1(market_close_market);
Datum
market_close_market(PG_FUNCTION_ARGS)
{
	static const char *const from[] = {"active", "paused", NULL};

	transition(fcinfo, "close", from, "closed", "market_closed");
	PG_RETURN_VOID();
}

/* A required argument. */
static Datum
required_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", what)));
	return PG_GETARG_DATUM(argno);
}

/* An optional account argument: must be a trader's account if given. */
static int64
optional_user_account(FunctionCallInfo fcinfo, int argno, const char *what)
{
	int64		account;
	Datum		values[1];
	char	   *kind;

	if (PG_ARGISNULL(argno))
		return 0;
	account = PG_GETARG_INT64(argno);
	values[0] = Int64GetDatum(account);
	if (market_exec(&user_account_kind, values, NULL, SPI_OK_SELECT) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("%s account " INT64_FORMAT " does not exist", what, account)));
	kind = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (strcmp(kind, "user") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s account " INT64_FORMAT " is a system account", what, account)));
	return account;
}

static void
check_bps(int32 bps, const char *what)
{
	if (bps < 0 || bps > 10000)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be between 0 and 10000", what),
				 errdetail("Fees are in basis points: 100 is 1%%.")));
}

/*
 * The outcome labels: 2..MARKET_MAX_OUTCOMES, none NULL, empty, blank or
 * repeated (after NFC normalization, see labels.c).  Returns the labels as
 * they are stored, in a fresh one-dimensional array starting at 1.
 */
static ArrayType *
check_outcomes(ArrayType *outcomes, int *count)
{
	Datum	   *labels;
	bool	   *nulls;
	int			n;
	int			i,
				j;

	if (ARR_NDIM(outcomes) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("outcomes must be a one-dimensional array")));
	deconstruct_array(outcomes, TEXTOID, -1, false, TYPALIGN_INT, &labels, &nulls, &n);
	if (n < 2 || n > MARKET_MAX_OUTCOMES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a market needs between 2 and %d outcomes", MARKET_MAX_OUTCOMES),
				 errdetail("%d outcomes were given.", n)));
	for (i = 0; i < n; i++)
	{
		if (nulls[i] || VARSIZE_ANY_EXHDR(DatumGetTextPP(labels[i])) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("outcome %d has no label", i + 1)));
		labels[i] = PointerGetDatum(market_clean_text(DatumGetTextPP(labels[i]),
													  psprintf("label of outcome %d", i + 1)));
		for (j = 0; j < i; j++)
			if (DatumGetBool(DirectFunctionCall2Coll(texteq, C_COLLATION_OID, labels[i], labels[j])))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("outcome \"%s\" is listed twice",
								TextDatumGetCString(labels[i])),
						 errdetail("Outcomes %d and %d have the same label.", j + 1, i + 1)));
	}
	*count = n;
	return construct_array(labels, n, TEXTOID, -1, false, TYPALIGN_INT);
}

/*
 * Scalar buckets: one per outcome, ordered, non-overlapping.  The k-th
 * element is outcome k's bucket whatever the array's lower bound
 * ('[0:2]={...}' is as good as '{...}'): the check and the insert both
 * count positions, never subscripts.
 */
static void
check_buckets_arg(ArrayType *ranges, int noutcomes)
{
	Datum		values[1];

	if (ARR_NDIM(ranges) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("outcome_ranges must be a one-dimensional array")));
	if (ARR_NDIM(ranges) != 1 ||
		ArrayGetNItems(ARR_NDIM(ranges), ARR_DIMS(ranges)) != noutcomes)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("outcome_ranges must hold one range per outcome"),
				 errdetail("There are %d outcomes.", noutcomes)));
	values[0] = PointerGetDatum(ranges);
	if (market_exec(&check_buckets, values, NULL, SPI_OK_SELECT) == 1)
	{
		char	   *problem = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("outcome_ranges are not ordered, non-overlapping buckets"),
				 errdetail("%s", problem),
				 errhint("Give each outcome a numrange, lowest first, e.g. '{\"(,0)\",\"[0,10)\",\"[10,)\"}'.")));
	}
}

/*
 * market.create_market(description, outcomes text[], tick_size, close_at,
 *		oracle, oracle_kind, kind, fee_bps, creator, creator_fee_bps,
 *		dispute_window, outcome_ranges numrange[], auto_execute,
 *		closing_auction, allocation) -> bigint
 *	  Admins.  See the README for every option.  Version 0.1 declares it
 *	  without closing_auction and allocation (13 arguments) and its table
 *	  has no such columns: a 0.1 market never has a closing auction and
 *	  allocates pro-rata.
 */
PG_FUNCTION_INFO_V1(market_create_market);
Datum
market_create_market(PG_FUNCTION_ARGS)
{
	text	   *description;
	ArrayType  *outcomes;
	int			noutcomes;
	int64		tick;
	const char *oracle_kind;
	const char *kind;
	int32		fee_bps;
	int32		creator_fee_bps;
	Interval   *window;
	bool		auto_execute;
	bool		closing_auction = false;
	const char *allocation = "pro_rata";
	int64		oracle;
	int64		creator;
	int64		id;
	int64		collateral;
	int32		number;
	bool		isnull;
	Datum		values[17];
	char		nulls[17];
	int64		creator_fees = 0;
	StringInfoData payload;

	market_require_role(MARKET_ROLE_ADMIN, "create markets");

	description = DatumGetTextPP(required_arg(fcinfo, 0, "description"));
	if (VARSIZE_ANY_EXHDR(description) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("description must not be empty")));
	description = market_clean_text(description, "description");
	outcomes = DatumGetArrayTypeP(required_arg(fcinfo, 1, "outcomes"));
	outcomes = check_outcomes(outcomes, &noutcomes);

	tick = market_numeric_to_micros(DatumGetNumeric(required_arg(fcinfo, 2, "tick_size")),
									"tick_size", MICROS_PER_UNIT);
	if (tick != 100000 && tick != 10000 && tick != 1000 && tick != 100)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tick_size must be 0.1, 0.01, 0.001 or 0.0001")));

	if (!PG_ARGISNULL(3) && PG_GETARG_TIMESTAMPTZ(3) <= GetCurrentTimestamp())
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("close_at must be in the future")));

	oracle_kind = TextDatumGetCString(required_arg(fcinfo, 5, "oracle_kind"));
	if (strcmp(oracle_kind, "manual") != 0 && strcmp(oracle_kind, "ai") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("oracle_kind must be 'manual' or 'ai'")));
	if (strcmp(oracle_kind, "ai") == 0 && PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an 'ai' oracle must name the agent's account")));

	kind = TextDatumGetCString(required_arg(fcinfo, 6, "kind"));
	if (strcmp(kind, "orderbook") != 0 && strcmp(kind, "parimutuel") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kind must be 'orderbook' or 'parimutuel'")));

	fee_bps = DatumGetInt32(required_arg(fcinfo, 7, "fee_bps"));
	creator_fee_bps = DatumGetInt32(required_arg(fcinfo, 9, "creator_fee_bps"));
	check_bps(fee_bps, "fee_bps");
	check_bps(creator_fee_bps, "creator_fee_bps");
	if (fee_bps + creator_fee_bps > 10000)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("fee_bps and creator_fee_bps together must not exceed 10000")));
	if (creator_fee_bps > 0 && PG_ARGISNULL(8))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("creator_fee_bps needs a creator account to pay")));

	window = DatumGetIntervalP(required_arg(fcinfo, 10, "dispute_window"));
	if (window->month < 0 || window->day < 0 || window->time < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("dispute_window must not be negative")));
	if (DatumGetInt32(DirectFunctionCall2(interval_cmp, IntervalPGetDatum(window),
										  DirectFunctionCall3(interval_in,
															  CStringGetDatum(MARKET_MAX_DISPUTE_WINDOW),
															  ObjectIdGetDatum(InvalidOid),
															  Int32GetDatum(-1)))) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("dispute_window must be at most %s", MARKET_MAX_DISPUTE_WINDOW),
				 errdetail("The dispute_window given was %s.",
						   DatumGetCString(DirectFunctionCall1(interval_out,
															   IntervalPGetDatum(window)))),
				 errhint("A resolution is final when its dispute window ends; a year is the longest a report may wait.")));
	auto_execute = DatumGetBool(required_arg(fcinfo, 12, "auto_execute"));
	if (PG_NARGS() > 13)
		closing_auction = DatumGetBool(required_arg(fcinfo, 13, "closing_auction"));
	if (PG_NARGS() > 14)
	{
		allocation = TextDatumGetCString(required_arg(fcinfo, 14, "allocation"));
		if (strcmp(allocation, "pro_rata") != 0 && strcmp(allocation, "price_time") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("allocation must be 'pro_rata' or 'price_time'")));
	}
	if (strcmp(kind, "parimutuel") == 0)
	{
		/* a pool has no book: nothing to match, nothing to auction */
		if (auto_execute)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a parimutuel pool has no order book to execute"),
					 errhint("Omit auto_execute for kind 'parimutuel'.")));
		if (PG_NARGS() <= 13)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("parimutuel markets need version 0.2 of the extension"),
					 errhint("Run ALTER EXTENSION market UPDATE.")));
		if (strcmp(allocation, "pro_rata") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a parimutuel pool has no order book to allocate"),
					 errhint("Omit allocation for kind 'parimutuel'.")));
		closing_auction = false;
	}

	SPI_connect();
	oracle = optional_user_account(fcinfo, 4, "oracle");
	creator = optional_user_account(fcinfo, 8, "creator");
	if (check_buckets.argtypes[0] == InvalidOid)
	{
		Oid			numrange_array = get_array_type(NUMRANGEOID);

		check_buckets.argtypes[0] = numrange_array;
		insert_outcomes.argtypes[2] = numrange_array;
	}
	if (!PG_ARGISNULL(11))
		check_buckets_arg(PG_GETARG_ARRAYTYPE_P(11), noutcomes);

	/* Number markets one at a time; see the header comment. */
	market_lock(0, MARKET_LOCK_FREEZE);
	market_exec_latest(&next_number, NULL, NULL);
	number = DatumGetInt32(market_get_datum(0, 1, &isnull));

	id = market_snowflake_next();
	collateral = market_snowflake_next();
	values[0] = Int64GetDatum(collateral);
	values[1] = CStringGetTextDatum(psprintf("market %d collateral", number));
	market_exec(&insert_collateral, values, NULL, SPI_OK_INSERT);
	/* a pool pays its creator fee straight from its distribution (pools.c) */
	if (creator_fee_bps > 0 && strcmp(kind, "orderbook") == 0 && market_has_fees())
	{
		creator_fees = market_snowflake_next();
		values[0] = Int64GetDatum(creator_fees);
		values[1] = CStringGetTextDatum(psprintf("market %d creator fees", number));
		market_exec(&insert_creator_fees, values, NULL, SPI_OK_INSERT);
	}

	memset(nulls, ' ', sizeof(nulls));
	values[0] = Int64GetDatum(id);
	values[1] = Int32GetDatum(number);
	values[2] = PointerGetDatum(description);
	values[3] = Int64GetDatum(tick);
	values[4] = PG_ARGISNULL(3) ? (Datum) 0 : PG_GETARG_DATUM(3);
	nulls[4] = PG_ARGISNULL(3) ? 'n' : ' ';
	values[5] = Int64GetDatum(oracle);
	nulls[5] = oracle == 0 ? 'n' : ' ';
	values[6] = CStringGetTextDatum(oracle_kind);
	values[7] = Int32GetDatum(fee_bps);
	values[8] = Int64GetDatum(creator);
	nulls[8] = creator == 0 ? 'n' : ' ';
	values[9] = Int32GetDatum(creator_fee_bps);
	values[10] = IntervalPGetDatum(window);
	values[11] = BoolGetDatum(auto_execute);
	values[12] = Int64GetDatum(collateral);
	values[13] = BoolGetDatum(closing_auction);
	values[14] = Int64GetDatum(creator_fees);
	nulls[14] = creator_fees == 0 ? 'n' : ' ';
	values[15] = CStringGetTextDatum(kind);
	values[16] = CStringGetTextDatum(allocation);
	market_exec(market_has_fees() ? &insert_market : &insert_market_01,
				values, nulls, SPI_OK_INSERT);

	memset(nulls, ' ', sizeof(nulls));
	values[0] = Int64GetDatum(id);
	values[1] = PointerGetDatum(outcomes);
	values[2] = PG_ARGISNULL(11) ? (Datum) 0 : PG_GETARG_DATUM(11);
	nulls[2] = PG_ARGISNULL(11) ? 'n' : ' ';
	market_exec(&insert_outcomes, values, nulls, SPI_OK_INSERT);

	initStringInfo(&payload);
	appendStringInfo(&payload, "{\"number\": %d, \"description\": ", number);
	escape_json(&payload, text_to_cstring(description));
	appendStringInfo(&payload, ", \"outcomes\": %d, \"tick_size\": %s}",
					 noutcomes, market_micros_to_cstring(tick));
	market_event("market_created", id, 0, payload.data);
	SPI_finish();

	PG_RETURN_INT64(id);
}

/* market.outcome_id(market bigint, number int) -> bigint */
PG_FUNCTION_INFO_V1(market_outcome_id);
Datum
market_outcome_id(PG_FUNCTION_ARGS)
{
	int64		market = market_id_arg(fcinfo, 0, "market");
	int32		number = DatumGetInt32(required_arg(fcinfo, 1, "number"));
	Datum		values[2] = {Int64GetDatum(market), Int32GetDatum(number)};
	int64		id;
	bool		isnull;

	market_require_role(MARKET_ROLE_ADMIN | MARKET_ROLE_OPERATOR | MARKET_ROLE_TRADER |
						MARKET_ROLE_ORACLE, "look up outcomes");
	SPI_connect();
	if (market_exec(&outcome_by_number, values, NULL, SPI_OK_SELECT) != 1)
	{
		MarketRow	row;

		if (!market_read(market, &row))
			market_not_found(market);
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("market %d has no outcome %d", row.number, number)));
	}
	id = market_get_int64(0, 1, &isnull);
	SPI_finish();
	PG_RETURN_INT64(id);
}

/* market.market_id(number int) -> bigint */
PG_FUNCTION_INFO_V1(market_market_id);
Datum
market_market_id(PG_FUNCTION_ARGS)
{
	int32		number = DatumGetInt32(required_arg(fcinfo, 0, "number"));
	Datum		values[1] = {Int32GetDatum(number)};
	int64		id;
	bool		isnull;

	market_require_role(MARKET_ROLE_ADMIN | MARKET_ROLE_OPERATOR | MARKET_ROLE_TRADER |
						MARKET_ROLE_ORACLE, "look up markets");
	SPI_connect();
	if (market_exec(&market_by_number, values, NULL, SPI_OK_SELECT) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("there is no market number %d", number)));
	id = market_get_int64(0, 1, &isnull);
	SPI_finish();
	PG_RETURN_INT64(id);
}
