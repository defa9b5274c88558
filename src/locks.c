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
 * Lock order everywhere: the market lock, then account rows (by id when
 * several are locked in one statement).
 */
#include "postgres.h"

#include "miscadmin.h"
#include "storage/lock.h"

#include "market.h"

#define MARKET_LOCKTAG_FIELD4	0x4D4B

static void
market_locktag(LOCKTAG *tag, int64 market)
{
	SET_LOCKTAG_ADVISORY(*tag, MyDatabaseId,
						 (uint32) ((uint64) market >> 32),
						 (uint32) market,
						 MARKET_LOCKTAG_FIELD4);
}

void
market_lock(int64 market, LOCKMODE mode)
{
	LOCKTAG		tag;

	market_locktag(&tag, market);
	(void) LockAcquire(&tag, mode, false, false);
}

/* Take the lock if it is free right now; never wait. */
bool
market_try_lock(int64 market, LOCKMODE mode)
{
	LOCKTAG		tag;

	market_locktag(&tag, market);
	return LockAcquire(&tag, mode, false, true) != LOCKACQUIRE_NOT_AVAIL;
}
