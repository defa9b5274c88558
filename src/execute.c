/*
 * execute.c
 *	  execute(market) and execute_all(): the SQL functions that run
 *	  auctions (the engine is auction.c).
 *
 * execute(market) runs one market's auction in the caller's transaction
 * and returns its executions.  execute_all() runs every active market,
 * each in a subtransaction of its own that never waits for a lock, for
 * pg_cron.  Both close a market whose close_at has passed instead.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "nodes/makefuncs.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/tuplestore.h"

#include "market.h"
#include "pools.h"
#include "spi_plans.h"

static MarketStatement active_markets = {
	"SELECT id, number FROM market.markets WHERE state IN ('active', 'paused')"
	" ORDER BY number",
	0, {}
};

/*
 * market.execute(market bigint) -> SETOF market.executions
 *	  Runs the auction.  Admins and operators.  A parimutuel pool, which
 *	  has no book, is refused with 42809.  A market past its close_at
 *	  is closed instead: its closing auction runs on the book as of
 *	  close_at, and its executions are returned (a NOTICE says so).  A
 *	  market that has left trading (closed, resolved, finalized, cancelled)
 *	  returns nothing, with a NOTICE naming its state; a paused one is
 *	  refused with 55000.  Its lock waits are bounded (locks.c): a market
 *	  held by a trader's open transaction fails with 55P03.
 */
PG_FUNCTION_INFO_V1(market_execute);
Datum
market_execute(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64		market;
	MarketRow	m;
	int			bound;

	market_require_role(MARKET_ROLE_ADMIN | MARKET_ROLE_OPERATOR, "run auctions");
	market = market_id_arg(fcinfo, 0, "market");
	InitMaterializedSRF(fcinfo, 0);

	SPI_connect();
	bound = market_bound_waits();
	market_lock(market, MARKET_LOCK_FREEZE);
	m = market_fetch(market);
	market_pool_refuse_orders(&m);	/* a pool has no book (42809) */
	if (market_close_pending(&m))
	{
		bool		auctioned = m.closing_auction && !m.auto_execute;
		int64		made = market_close(&m, true, false, rsinfo->setResult, rsinfo->setDesc);

		ereport(NOTICE,
				(errmsg("market %d closed at its close_at", m.number),
				 auctioned
				 ? errdetail("This call ran its closing auction on the book as of then, which made " INT64_FORMAT " executions, and cancelled the rest of the book.", made)
				 : errdetail("It has no closing auction; this call cancelled its book.")));
	}
	else if (strcmp(m.state, "closed") == 0 || strcmp(m.state, "resolved") == 0 ||
			 strcmp(m.state, "finalized") == 0 || strcmp(m.state, "cancelled") == 0)
		ereport(NOTICE,
				(errmsg("market %d is %s: nothing to match", m.number, m.state),
				 errdetail("Its book was cancelled when it left trading; only an active market's book is matched.")));
	else
	{
		market_require_trading(&m);
		market_auction(&m, GetCurrentTimestamp(), false, rsinfo->setResult, rsinfo->setDesc, false);
	}
	market_unbound_waits(bound);
	SPI_finish();

	return (Datum) 0;
}

/*
 * The commit-time checks of the tables an auction writes (the deferred
 * constraint triggers account_check and holding_check): set them
 * IMMEDIATE, which fires every check still pending, or back to DEFERRED,
 * their default.  A deferred constraint trigger added to a table an
 * auction writes belongs in this list.
 */
static void
set_checks(bool deferred)
{
	ConstraintsSetStmt *stmt = makeNode(ConstraintsSetStmt);

	stmt->constraints = list_make2(makeRangeVar("market", "account_check", -1),
								   makeRangeVar("market", "holding_check", -1));
	stmt->deferred = deferred;
	AfterTriggerSetState(stmt);
	list_free_deep(stmt->constraints);
	pfree(stmt);
}

/* Run the pending commit-time checks now; see set_checks(). */
static void
fire_checks(void)
{
	set_checks(false);
	set_checks(true);
}

/* What became of one market in execute_all(). */
typedef enum MarketOutcome
{
	MARKET_MATCHED,				/* auction ran (perhaps matching nothing) */
	MARKET_BUSY,				/* a lock was busy: left for the next run */
	MARKET_FAILED				/* its auction raised an error */
} MarketOutcome;

/*
 * One market of execute_all(), in a subtransaction of its own and its own
 * SPI connection (so its memory goes when it is done).  Never waits: the
 * market lock is only tried, and every row lock is taken NOWAIT.  The
 * market's commit-time checks fire before its subtransaction ends, so an
 * invariant it broke rolls back this market alone.  Sets *made to its
 * executions; on failure, *error to what was raised.
 */
static MarketOutcome
execute_one(int64 market, int64 *made, ErrorData **error)
{
	MemoryContext caller = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	volatile MarketOutcome outcome = MARKET_MATCHED;

	*made = 0;
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(caller);
	PG_TRY();
	{
		MarketRow	m;

		SPI_connect();
		if (!market_try_lock(market, MARKET_LOCK_FREEZE))
			outcome = MARKET_BUSY;
		else if (market_read(market, &m))
		{
			if (market_close_pending(&m))
				*made = market_close(&m, true, true, NULL, NULL);
			else if (strcmp(m.state, "active") == 0 && strcmp(m.kind, "orderbook") == 0)
				*made = market_auction(&m, GetCurrentTimestamp(), false, NULL, NULL, true);
			fire_checks();
		}
		SPI_finish();
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(caller);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		ErrorData  *edata;
		int			code;

		MemoryContextSwitchTo(caller);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(caller);
		CurrentResourceOwner = owner;
		code = edata->sqlerrcode;

		/* a cancel, a statement_timeout, a shutdown: stop everything */
		if (ERRCODE_TO_CATEGORY(code) == ERRCODE_OPERATOR_INTERVENTION)
			ReThrowError(edata);
		*made = 0;
		if (code == ERRCODE_LOCK_NOT_AVAILABLE ||
			code == ERRCODE_T_R_DEADLOCK_DETECTED ||
			code == ERRCODE_T_R_SERIALIZATION_FAILURE)
		{
			FreeErrorData(edata);
			outcome = MARKET_BUSY;
		}
		else
		{
			*error = edata;
			outcome = MARKET_FAILED;
		}
	}
	PG_END_TRY();
	return outcome;
}

/* Tell the caller, the server log and the event log that a market failed. */
static void
report_failure(int64 market, int32 number, ErrorData *edata)
{
	const char *sqlstate = unpack_sql_state(edata->sqlerrcode);
	StringInfoData payload;

	ereport(WARNING,
			(errcode(edata->sqlerrcode),
			 errmsg("auction of market %d failed with %s: %s", number, sqlstate, edata->message),
			 edata->detail ? errdetail_internal("%s", edata->detail) : 0,
			 errhint("The market's auction was rolled back; the other markets were matched.  "
					 "Event \"auction_failed\" records it; market.check_invariants() checks the ledger.")));

	initStringInfo(&payload);
	appendStringInfo(&payload, "{\"number\": %d, \"sqlstate\": \"%s\"}", number, sqlstate);
	SPI_connect();
	market_event("auction_failed", market, 0, payload.data);
	SPI_finish();
}

/*
 * market.execute_all() -> bigint
 *	  Closes the markets whose close_at has passed (each with its closing
 *	  auction) and runs an auction in every active one, in market number
 *	  order; returns the executions made, closing auctions included.  For
 *	  pg_cron.  Admins and operators.
 *
 *	  Everything happens in the caller's one transaction, each market in a
 *	  subtransaction of its own (execute_one), so one market's trouble
 *	  stays in that market:
 *	  - busy: its lock, or an account row it needs, is held by another
 *		transaction (a trader's open transaction, another auction).  It is
 *		never waited for (waiting while holding the locks of earlier
 *		markets could deadlock, and an idle trader would stall every
 *		market behind it): its auction is rolled back and it is left for
 *		the next run; a NOTICE counts them.
 *	  - failed: its auction raised an error (an invariant its writes broke,
 *		a corrupt book).  Its auction is rolled back, a WARNING names the
 *		market and the error with its SQLSTATE, an "auction_failed" event
 *		records it, and the other markets go on.
 *	  A cancel or statement_timeout still stops the whole call.
 *
 *	  The checks pending from the caller's own earlier statements in the
 *	  transaction fire first, outside every market, so that their errors
 *	  stay the caller's.
 */
PG_FUNCTION_INFO_V1(market_execute_all);
Datum
market_execute_all(PG_FUNCTION_ARGS)
{
	int64		total = 0;
	int64	   *ids;
	int32	   *numbers;
	uint64		n;
	uint64		i;
	bool		isnull;
	int			skipped = 0;
	int			bound;
	MemoryContext caller = CurrentMemoryContext;

	market_require_role(MARKET_ROLE_ADMIN | MARKET_ROLE_OPERATOR, "run auctions");

	fire_checks();
	bound = market_bound_waits();	/* only for a wait nobody foresaw */

	SPI_connect();
	n = market_exec(&active_markets, NULL, NULL, SPI_OK_SELECT);
	/* in the caller's context: SPI_finish frees SPI's */
	ids = MemoryContextAlloc(caller, sizeof(int64) * (n + 1));
	numbers = MemoryContextAlloc(caller, sizeof(int32) * (n + 1));
	for (i = 0; i < n; i++)
	{
		ids[i] = market_get_int64(i, 1, &isnull);
		numbers[i] = DatumGetInt32(market_get_datum(i, 2, &isnull));
	}
	SPI_finish();

	for (i = 0; i < n; i++)
	{
		int64		made;
		ErrorData  *edata = NULL;

		switch (execute_one(ids[i], &made, &edata))
		{
			case MARKET_MATCHED:
				total += made;
				break;
			case MARKET_BUSY:
				skipped++;
				break;
			case MARKET_FAILED:
				report_failure(ids[i], numbers[i], edata);
				FreeErrorData(edata);
				break;
		}
	}
	if (skipped > 0)
		ereport(NOTICE,
				(errmsg("%d busy markets were left for the next execute_all()", skipped)));
	market_unbound_waits(bound);

	PG_RETURN_INT64(total);
}

