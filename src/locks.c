/*
 * locks.c
 *	  The market lock: one heavyweight lock per market, held to commit.
 *
 * Design.  Trading calls in one market must not wait for each other, but
 * an auction (execute) and a change of state (pause, close, resolve,
 * cancel) must see the book frozen.  A row lock on the market row cannot
 * do both cheaply: many concurrent share-lockers of one row turn it into a
 * MultiXact hot spot.  Instead each market has a lock in PostgreSQL's lock
 * manager, with the usual table-lock modes:
 *
 *	  MARKET_LOCK_TRADE	  (RowExclusiveLock)  place, replace and cancel an
 *						  order; does not conflict with itself
 *	  MARKET_LOCK_FREEZE  (ExclusiveLock)  execute and every change of
 *						  state; conflicts with both modes
 *
 * So orders in one market are placed in parallel (they queue only on their
 * own account rows), auctions in one market run one at a time, auctions in
 * different markets never wait for each other, and a state change waits
 * for in-flight orders and holds new ones off until it commits.  Deadlocks
 * are detected by the lock manager as usual.
 *
 * The lock tag is an advisory tag in this database with the market id as
 * its key and 0x4D4B ("MK") in the field pg_advisory_lock() sets to 1 or
 * 2, so it cannot collide with an application's advisory locks.  In
 * pg_locks it shows as locktype 'advisory', objsubid 19787.
 *
 * Lock order everywhere (the rule every path keeps; a path that breaks it
 * can meet another in a deadlock, 40P01):
 *
 *	  1. Market locks before account rows.  A call that holds an account
 *		 row never waits for a market lock: it only tries one
 *		 (cancel_orders' late markets, execute_all).  Two market locks are
 *		 taken in market id order (cancel_orders), or only tried.
 *	  2. User account rows in one statement, in id order (ORDER BY id FOR
 *		 UPDATE): every account the call will change, the market's creator
 *		 included when the call pays it.  A call that needs a second
 *		 statement may lock in it only accounts it already holds, or whose
 *		 ids are above every one it holds; anything else could hold a row
 *		 that another call, locking in id order, has passed and waits
 *		 behind.  So the callers that cannot know the set when they lock
 *		 take a superset up front: market_lock_book() (a close with its
 *		 closing auction, cancel_market with the creator) and
 *		 market_lock_settle_batch() (settle finalizing on the way).
 *	  3. A market's own rows (its collateral and creator-fee accounts,
 *		 house never) after the user rows, or at any point by a holder of
 *		 the market's freeze lock: nobody else can hold or want them then.
 *
 * A single call that takes one user row (deposit, withdraw, place_order
 * outside auto_execute, cancel_order) keeps the rule trivially; a client
 * transaction that makes several calls can still break it (a deposit, then
 * place_order, holds a row and then waits for a market lock), and must be
 * ready to retry 40P01, as any PostgreSQL client that locks rows in an
 * order of its own.
 */
#include "postgres.h"

#include <limits.h>

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "storage/sinvaladt.h"
#include "utils/guc.h"

#include "market.h"
#include "pools.h"
#include "spi_plans.h"

#define MARKET_LOCKTAG_FIELD4	0x4D4B

static void
market_locktag(LOCKTAG *tag, int64 market)
{
	SET_LOCKTAG_ADVISORY(*tag, MyDatabaseId,
						 (uint32) ((uint64) market >> 32),
						 (uint32) market,
						 MARKET_LOCKTAG_FIELD4);
}

/* Take the lock if it is free right now; never wait. */
bool
market_try_lock(int64 market, LOCKMODE mode)
{
	LOCKTAG		tag;

	market_locktag(&tag, market);
	return LockAcquire(&tag, mode, false, true) != LOCKACQUIRE_NOT_AVAIL;
}

/*
 * Bounded waits.
 *
 * A trader's open transaction holds its market's lock in MARKET_LOCK_TRADE
 * mode, and its account row, until it ends.  Left idle, it would stall
 * every change of state of the market, its auctions and the pg_cron job
 * behind it, forever.  So the operational paths (execute, execute_all,
 * pause/resume/close_market, the resolution calls, cancel_market, settle)
 * bound their lock waits:
 *
 *	  - the session's lock_timeout, if it is set (not 0), as always;
 *	  - else market.lock_timeout (milliseconds, default 5 s; 0 waits
 *		forever), set as lock_timeout for the duration of the call only,
 *		the way a function's SET clause is (a GUC nest level, undone when
 *		the call returns or fails).
 *
 * Every wait inside the call is bounded that way: the market lock, and the
 * account rows it locks.  A wait that runs out fails with 55P03
 * (lock_not_available) and "market N is busy", naming the process that
 * held the lock when the wait began when that is known, and hinting at
 * idle_in_transaction_session_timeout.
 *
 * Trading calls (place, replace, cancel an order) are not bounded here:
 * they wait only for other short calls, under the session's own settings.
 */
int			market_lock_timeout = 5000;

static MarketStatement market_number = {
	"SELECT number FROM market.markets WHERE id = $1",
	1, {INT8OID}
};

void
market_locks_init(void)
{
	DefineCustomIntVariable("market.lock_timeout",
							"Longest wait for a lock in the market's operational calls.",
							"Bounds execute, pause/resume/close_market, resolve, cancel_market "
							"and settle when the session's lock_timeout is not set; "
							"0 waits forever.",
							&market_lock_timeout,
							5000, 0, INT_MAX,
							PGC_USERSET, GUC_UNIT_MS,
							NULL, NULL, NULL);
}

/*
 * Bound the lock waits of the rest of this call; returns the GUC nest
 * level to pass to market_unbound_waits(), or -1 if nothing was set.  On
 * error, the transaction's (or subtransaction's) abort undoes it.
 */
int
market_bound_waits(void)
{
	int			level;
	char		value[32];

	if (LockTimeout > 0 || market_lock_timeout <= 0)
		return -1;
	level = NewGUCNestLevel();
	snprintf(value, sizeof(value), "%d", market_lock_timeout);
	(void) set_config_option("lock_timeout", value, PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	return level;
}

void
market_unbound_waits(int level)
{
	if (level >= 0)
		AtEOXact_GUC(true, level);
}

/* The hint of every "market N is busy". */
#define BUSY_HINT \
	"Retry when that transaction has ended.  Set idle_in_transaction_session_timeout " \
	"for the traders' login roles so that an abandoned transaction cannot hold a market; " \
	"market.lock_timeout (or lock_timeout) bounds this wait."

/*
 * Rewrite a 55P03 caught while waiting in market number (0: unknown id)
 * and throw it again; other errors are thrown again unchanged.  Called in
 * a PG_CATCH block, in the caller's memory context.
 */
static void
rethrow_busy(int32 number, int64 market, const char *detail)
{
	ErrorData  *edata = CopyErrorData();

	if (edata->sqlerrcode == ERRCODE_LOCK_NOT_AVAILABLE)
	{
		FlushErrorState();
		edata->message = number > 0 ? psprintf("market %d is busy", number)
			: psprintf("market " INT64_FORMAT " is busy", market);
		edata->detail = pstrdup(detail);
		edata->hint = pstrdup(BUSY_HINT);
		ReThrowError(edata);
	}
	PG_RE_THROW();
}

/*
 * Take the market lock, waiting as the caller's lock_timeout allows.  If
 * the lock is busy, find who holds it before waiting (for the message);
 * a timeout becomes "market N is busy".  Inside an SPI connection (it
 * may read the market's number, replacing SPI_tuptable).
 */
void
market_lock(int64 market, LOCKMODE mode)
{
	LOCKTAG		tag;
	MemoryContext cxt = CurrentMemoryContext;
	volatile int holder = 0;
	volatile int32 number = 0;
	int			count = 0;
	VirtualTransactionId *holders;

	market_locktag(&tag, market);
	if (LockAcquire(&tag, mode, false, true) != LOCKACQUIRE_NOT_AVAIL)
		return;

	holders = GetLockConflicts(&tag, mode, &count);
	if (count > 0 && VirtualTransactionIdIsValid(holders[0]))
	{
		PGPROC	   *proc = BackendIdGetProc(holders[0].backendId);

		if (proc != NULL)
			holder = proc->pid;
	}
	if (market != 0)
	{
		Datum		values[1] = {Int64GetDatum(market)};
		bool		isnull;

		if (market_exec_latest(&market_number, values, NULL) == 1)
			number = DatumGetInt32(market_get_datum(0, 1, &isnull));
	}

	PG_TRY();
	{
		(void) LockAcquire(&tag, mode, false, false);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		rethrow_busy(number, market,
					 holder != 0
					 ? psprintf("Process %d holds its lock; this call waited lock_timeout (%d ms).",
								holder, LockTimeout)
					 : psprintf("Another transaction holds its lock; this call waited lock_timeout (%d ms).",
								LockTimeout));
	}
	PG_END_TRY();
}

/*
 * Run a statement that locks account rows for market number: a lock
 * timeout (or NOWAIT) becomes "market N is busy".
 */
uint64
market_exec_locking(MarketStatement *stmt, Datum *values, const char *nulls,
					int expected_ret, int32 number)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile uint64 n = 0;

	PG_TRY();
	{
		n = market_exec(stmt, values, nulls, expected_ret);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		rethrow_busy(number, 0,
					 "An account row it needs is locked by another transaction.");
	}
	PG_END_TRY();
	return n;
}

/*
 * Lock, in one statement in id order, the owner of every open order of the
 * market and the account extra (0: none).  Caller holds the freeze lock, so
 * the book cannot change: the closing auction, cancelling the book and
 * paying the creator then lock only rows held already.  With nowait, a
 * busy row raises 55P03 (execute_all).
 */
static MarketStatement lock_book = {
	"SELECT id FROM market.accounts"
	" WHERE id OPERATOR(pg_catalog.=) ANY (pg_catalog.array_append(ARRAY("
	"   SELECT account FROM market.orders WHERE market = $1 AND status = 'open'), $2))"
	" ORDER BY id FOR UPDATE",
	2, {INT8OID, INT8OID}
};

static MarketStatement lock_book_nowait = {
	"SELECT id FROM market.accounts"
	" WHERE id OPERATOR(pg_catalog.=) ANY (pg_catalog.array_append(ARRAY("
	"   SELECT account FROM market.orders WHERE market = $1 AND status = 'open'), $2))"
	" ORDER BY id FOR UPDATE NOWAIT",
	2, {INT8OID, INT8OID}
};

void
market_lock_book(const MarketRow *m, int64 extra, bool nowait)
{
	Datum		values[2] = {Int64GetDatum(m->id), Int64GetDatum(extra)};
	char		nulls[2] = {' ', extra == 0 ? 'n' : ' '};

	market_exec_locking(nowait ? &lock_book_nowait : &lock_book, values, nulls,
						SPI_OK_SELECT, m->number);
}

/*
 * The same for several markets at once: the owners of every open order of
 * the markets, and the account extra, in one statement in id order.
 * cancel_orders(account) closes every market of the account whose close
 * is pending: locking each book in turn would hold the first while waiting
 * for rows of the next, which a call locking in id order may hold.  A
 * busy row is "market number is busy".
 */
static MarketStatement lock_books = {
	"SELECT id FROM market.accounts"
	" WHERE id OPERATOR(pg_catalog.=) ANY (pg_catalog.array_append(ARRAY("
	"   SELECT account FROM market.orders"
	"    WHERE market OPERATOR(pg_catalog.=) ANY ($1) AND status = 'open'), $2))"
	" ORDER BY id FOR UPDATE",
	2, {INT8ARRAYOID, INT8OID}
};

void
market_lock_books(Datum *markets, int n, int64 extra, int32 number)
{
	Datum		values[2] = {market_int8_array(markets, NULL, n), Int64GetDatum(extra)};

	market_exec_locking(&lock_books, values, NULL, SPI_OK_SELECT, number);
}

/*
 * settle() finalizing a market on the way pays the creator before it pays
 * the holders.  Lock first, in one statement in id order, the creator and
 * the accounts this settle will pay: those settle's own statement picks
 * once finalization has written market.settlements (one row per holder of
 * an order book's contracts, per committer of a pool), oldest id first, at
 * most limit of them, or only account (0: everyone).
 */
static MarketStatement lock_holders_batch = {
	"SELECT id FROM market.accounts"
	" WHERE id OPERATOR(pg_catalog.=) ANY (pg_catalog.array_append(ARRAY("
	"   SELECT account FROM market.holdings"
	"    WHERE market = $1 AND quantity > 0 AND ($2::pg_catalog.int8 IS NULL OR account = $2)"
	"    GROUP BY account ORDER BY account LIMIT $3), $4))"
	" ORDER BY id FOR UPDATE",
	4, {INT8OID, INT8OID, INT8OID, INT8OID}
};

static MarketStatement lock_committers_batch = {
	"SELECT id FROM market.accounts"
	" WHERE id OPERATOR(pg_catalog.=) ANY (pg_catalog.array_append(ARRAY("
	"   SELECT account FROM market.commitments"
	"    WHERE market = $1 AND ($2::pg_catalog.int8 IS NULL OR account = $2)"
	"    GROUP BY account ORDER BY account LIMIT $3), $4))"
	" ORDER BY id FOR UPDATE",
	4, {INT8OID, INT8OID, INT8OID, INT8OID}
};

void
market_lock_settle_batch(const MarketRow *m, int64 account, int64 limit)
{
	Datum		values[4] = {Int64GetDatum(m->id), Int64GetDatum(account),
	Int64GetDatum(limit), Int64GetDatum(m->creator)};
	char		nulls[4] = {' ', account == 0 ? 'n' : ' ', ' ', ' '};

	market_exec_locking(market_is_pool(m) ? &lock_committers_batch : &lock_holders_batch, values, nulls,
						SPI_OK_SELECT, m->number);
}
