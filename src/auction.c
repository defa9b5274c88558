/*
 * auction.c
 *	  The auction engine: the call auction of one market bound to tables.
 *
 * One auction, in one transaction:
 *	  1. take the market's freeze lock (locks.c): no order is placed or
 *		 cancelled in the market, and no other auction runs in it, until we
 *		 commit; auctions in other markets are not affected;
 *	  2. load the book with its owners' free cash and holdings
 *		 (auction_load.c), expired gtd orders marked and kept out of the
 *		 match;
 *	  3. run the pure core (match.c) in memory;
 *	  4. lock, in one statement in id order, the accounts that took part and
 *		 the owners of the orders to cancel (expired gtd, unfilled ioc), and
 *		 re-read their cash; if a participant has less free cash than the
 *		 core assumed (a concurrent withdrawal or order elsewhere), run the
 *		 core again with the fresh figures, locking any newcomers, until it
 *		 is stable;
 *	  5. write everything with one statement per table (auction_write.c);
 *		 then cancel the expired gtd orders and what is left of ioc orders
 *		 (book_cancel.c), whose owners' rows are locked.
 *
 * Taking every account lock of an auction in one ordered statement is what
 * keeps two auctions sharing accounts from deadlocking (the rule of
 * locks.c).  The rare re-run may need newcomers: a second statement locks
 * them, waiting as usual if every newcomer's id is above every user row
 * already held; otherwise it only tries (NOWAIT), since waiting there for a
 * row below one held is the wait that closes a cycle, and a busy newcomer
 * fails the call with 40001, to be retried.  (A subtransaction that could
 * let go of the first batch would cost every matching auction a
 * subtransaction id, and a client that makes more than 64 of them in one
 * transaction would slow every snapshot on the server.)
 *
 * The writing, and the journal transfers, are auction_write.c's.
 *
 * Memory: the core's arrays are palloc'd in a context deleted at the end;
 * the core itself makes no PostgreSQL calls and cannot raise errors.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "auction.h"
#include "bulk.h"
#include "market.h"
#include "match_reach.h"
#include "spi_plans.h"

static MarketStatement lock_accounts = {
	"SELECT id, balance, locked FROM market.accounts"
	" WHERE id = ANY ($1) ORDER BY id FOR UPDATE",
	1, {INT8ARRAYOID}
};

static MarketStatement lock_accounts_nowait = {
	"SELECT id, balance, locked FROM market.accounts"
	" WHERE id = ANY ($1) ORDER BY id FOR UPDATE NOWAIT",
	1, {INT8ARRAYOID}
};

/* Run the core on a fresh copy of the input. */
static void
run_core(Auction *au)
{
	MatchBook  *in = &au->input;
	MatchBook  *b = &au->book;
	size_t		nh = (size_t) in->n_accounts * in->n_outcomes;

	if (b->orders)
	{
		match_free_output(b);
		pfree(b->orders);
		pfree(b->accounts);
		pfree(b->holdings);
	}
	*b = *in;
	b->orders = palloc_extended(sizeof(MatchOrder) * (in->n_orders + 1), MCXT_ALLOC_HUGE);
	b->accounts = palloc_extended(sizeof(MatchAccount) * (in->n_accounts + 1), MCXT_ALLOC_HUGE);
	b->holdings = palloc_extended(sizeof(int64) * (nh + 1), MCXT_ALLOC_HUGE);
	memcpy(b->orders, in->orders, sizeof(MatchOrder) * in->n_orders);
	memcpy(b->accounts, in->accounts, sizeof(MatchAccount) * in->n_accounts);
	memcpy(b->holdings, in->holdings, sizeof(int64) * nh);
	match_run(b);
}

/*
 * The accounts step 4 must lock and has not: the participants, the
 * owners of the orders the auction will cancel (expired gtd, unfilled
 * ioc) and the placer of a placement's new order (whose escrow is
 * reserved after the lock).  Phantoms (negative ids) are never locked.
 */
static bool
needs_lock(const Auction *au, int i)
{
	const MatchBook *b = &au->book;

	return !au->is_locked[i] && b->accounts[i].id > 0 &&
		(auction_participant(b, i) || au->expired[i] ||
		 (au->reach && i == au->placed) ||
		 (au->ioc[i] && b->orders[b->accounts[i].order].quantity > 0));
}

/*
 * A re-run's newcomers, some below a row already held: try them (NOWAIT);
 * if one is busy, refuse the call with 40001 rather than wait out of
 * order.  Nothing has been written yet.
 */
static uint64
lock_newcomers(Auction *au, Datum *values)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile uint64 n = 0;

	PG_TRY();
	{
		n = market_exec(&lock_accounts_nowait, values, NULL, SPI_OK_SELECT);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		if (edata->sqlerrcode != ERRCODE_LOCK_NOT_AVAILABLE)
			PG_RE_THROW();
		FlushErrorState();
		ereport(ERROR,
				(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
				 errmsg("the auction in market %d must be retried", au->number),
				 errdetail("An account's cash changed while the auction locked its accounts, and an account the auction then needed is held by another transaction."),
				 errhint("Nothing was changed.  Retry the call.")));
	}
	PG_END_TRY();
	return n;
}

/*
 * Step 4: lock, in one statement in id order, the accounts needs_lock()
 * names, and, if the auction matched, the market's collateral and
 * creator-fee accounts; re-read their cash.  Returns true if every one
 * was already locked with the free cash the core used; otherwise updates
 * the input and returns false so the caller runs the core again.  A
 * re-run's newcomers below a held row are only tried (see the header).
 */
static bool
lock_participants(Auction *au)
{
	MatchBook  *b = &au->book;
	Column		ids = {0};
	int			i,
				k;
	uint64		n;
	bool		stable = true;
	bool		market_rows = false;
	bool		below = false;
	Datum		values[1];

	for (k = 0; k < b->n_accounts; k++)
	{
		i = au->accounts[k].index;
		if (needs_lock(au, i))
		{
			column_push(&ids, Int64GetDatum(b->accounts[i].id));
			if (b->accounts[i].id < au->highest_locked)
				below = true;
		}
	}
	if (b->n_executions > 0 && !au->market_rows_locked)
	{
		market_rows = true;
		column_push(&ids, Int64GetDatum(au->collateral));
		if (au->creator_fees != 0)
			column_push(&ids, Int64GetDatum(au->creator_fees));
	}
	if (ids.n == 0)
		return true;

	/* locked in id order (ORDER BY id), whatever the order of the array */
	values[0] = column_array(&ids, INT8OID);
	if (au->nowait || !below)
		n = market_exec_locking(au->nowait ? &lock_accounts_nowait : &lock_accounts,
								values, NULL, SPI_OK_SELECT, au->number);
	else
		n = lock_newcomers(au, values);
	if (n != (uint64) ids.n)
		elog(ERROR, "market %d: locked " UINT64_FORMAT " of %d accounts", au->number, n, ids.n);
	for (i = 0; i < (int) n; i++)
	{
		bool		isnull;
		int64		id = market_get_int64(i, 1, &isnull);
		int64		balance = market_get_int64(i, 2, &isnull);
		int64		locked = market_get_int64(i, 3, &isnull);
		int			a;
		int64		free_cash;

		if (market_rows && id == au->collateral)
		{
			au->collateral_balance = balance;
			continue;
		}
		if (market_rows && id == au->creator_fees)
		{
			au->creator_fees_balance = balance;
			continue;
		}
		a = auction_find_account(au, id);
		if (a < 0)
			elog(ERROR, "locked an account that has no order in the book");
		au->is_locked[a] = true;
		au->balance[a] = balance;
		au->locked[a] = locked;
		if (id > au->highest_locked)
			au->highest_locked = id;
		/* the placer's new order is not in its locked cash yet */
		free_cash = balance - locked - (au->reach && a == au->placed ? au->reserve : 0);
		if (auction_participant(b, a) && free_cash != au->input.accounts[a].free_cash)
		{
			au->input.accounts[a].free_cash = free_cash;
			stable = false;
		}
	}
	if (market_rows)
		au->market_rows_locked = true;
	return stable;
}

static void
refuse_overflow(const Auction *au)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("the auction in market %d would take a balance or a holding out of range",
					au->number),
			 errdetail("Cash and contracts are kept in micro-units as 64-bit integers; no balance or holding may exceed %s.",
					   market_micros_to_cstring(PG_INT64_MAX)),
			 errhint("Nothing was changed.  An account near the largest balance must withdraw before it can receive more.")));
}

/* An Auction of market m, in the current memory context. */
static Auction *
auction_begin(const MarketRow *m, TimestampTz asof, bool nowait)
{
	Auction    *au = palloc0(sizeof(Auction));

	au->nowait = nowait;
	au->asof = asof;
	au->market = m->id;
	au->number = m->number;
	au->collateral = m->collateral;
	au->creator_fees = m->creator_fees;
	au->fee_bps = m->fee_bps;
	au->creator_fee_bps = m->creator_fee_bps;
	au->price_time = m->price_time;
	au->placed = -1;
	return au;
}

/* Step 5: write the result (if it matched); *filled and *trimmed for the event. */
static void
auction_finish(Auction *au, Tuplestorestate *out, TupleDesc outdesc,
			   int64 *filled, int64 *trimmed)
{
	int			i;

	*filled = *trimmed = 0;
	if (au->book.n_executions == 0)
		return;
	if (!au->market_rows_locked)
		elog(ERROR, "market %d matched without locking its collateral", au->number);
	auction_write(au, out, outdesc, &au->collateral_balance, au->creator_fees_balance);
	for (i = 0; i < au->book.n_orders; i++)
	{
		*trimmed += au->book.orders[i].trimmed > 0 ? 1 : 0;
		*filled += au->book.orders[i].filled;
	}
}

static void
auction_event(const MarketRow *m, int64 made, int64 filled, int64 trimmed,
			  int expired, int ioc, bool closing)
{
	StringInfoData payload;

	if (made == 0 && expired == 0 && ioc == 0)
		return;
	initStringInfo(&payload);
	appendStringInfo(&payload,
					 "{\"number\": %d, \"executions\": " INT64_FORMAT ", \"filled\": %s,"
					 " \"trimmed\": " INT64_FORMAT ", \"expired\": %d, \"ioc_cancelled\": %d%s}",
					 m->number, made, market_micros_to_cstring(filled), trimmed,
					 expired, ioc, closing ? ", \"closing\": true" : "");
	market_event("auction", m->id, 0, payload.data);
}

/*
 * Steps 3 and 4: run the core, lock, and again until the locked figures
 * are the ones the core used.  A placement's auction (x given) loads
 * deeper while a phantom fills, and stops early if its placer turns out
 * short of the new order's escrow (the caller refuses it).
 */
static void
match_and_lock(Auction *au, const AuctionOrder *x)
{
	int64		target = x ? x->quantity : 0;

	for (;;)
	{
		run_core(au);
		if (x && match_phantom_filled(&au->book))
		{
			/* the window was too shallow: load deeper, keeping the locks */
			target = target > PG_INT64_MAX / 4 ? PG_INT64_MAX : target * 4;
			au->book.orders = NULL;
			auction_load_reach(au, x, target);
			continue;
		}
		if (au->book.overflow)
			refuse_overflow(au);
		if (lock_participants(au))
			break;
		if (x && au->balance[au->placed] - au->locked[au->placed] < au->reserve)
			break;
	}
}

/*
 * Run one auction on the whole book of a market whose freeze lock the
 * caller holds and which is open for trading, or closing.  gtd orders
 * expire against asof (now, or close_at for the closing auction that
 * close_at made).  Rows of market.executions go to out (if not NULL).
 * Returns the number of executions.
 */
int64
market_auction(const MarketRow *m, TimestampTz asof, bool closing,
			   Tuplestorestate *out, TupleDesc outdesc, bool nowait)
{
	MemoryContext cxt;
	MemoryContext old;
	Auction    *au;
	int64		made;
	int64		filled;
	int64		trimmed;
	int			cancelled_expired;
	int			cancelled_ioc;

	cxt = AllocSetContextCreate(CurrentMemoryContext, "market auction",
								ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);
	au = auction_begin(m, asof, nowait);
	auction_load_book(au);
	match_and_lock(au, NULL);
	made = au->book.n_executions;
	auction_finish(au, out, outdesc, &filled, &trimmed);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);

	/* their owners were locked with the participants */
	cancelled_expired = market_cancel_book(m, "expired", MARKET_CANCEL_EXPIRED,
										   nowait, asof);
	cancelled_ioc = market_cancel_book(m, "ioc", MARKET_CANCEL_IOC, nowait, asof);
	auction_event(m, made, filled, trimmed, cancelled_expired, cancelled_ioc, closing);
	return made;
}

/*
 * The closing auction of a market being closed (markets.c, market_close):
 * the book as of asof, matched once more; its "auction" event says
 * "closing": true.  The caller holds the freeze lock and cancels what is
 * left of the book afterwards.
 */
int64
market_closing_auction(const MarketRow *m, TimestampTz asof, bool nowait,
					   Tuplestorestate *out, TupleDesc outdesc)
{
	return market_auction(m, asof, true, out, outdesc, nowait);
}

/*
 * A placement's auction in an auto_execute market (SPEC 7a), first half:
 * with the market's freeze lock held and the new order not yet written,
 * load the new order's reach (auction_load.c), match it, loading deeper
 * while a phantom fills, and lock every account the auction touches, the
 * placer's included, in one ordered statement.  Sets p->balance and
 * p->locked to the placer's locked row; the caller checks the order's
 * escrow against them, writes the order, and calls
 * market_placement_write.  Nothing is written here.
 */
void
market_placement_match(const MarketRow *m, MarketPlacement *p)
{
	MemoryContext cxt;
	MemoryContext old;
	Auction    *au;
	AuctionOrder x;

	cxt = AllocSetContextCreate(CurrentMemoryContext, "market placement",
								ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);
	au = auction_begin(m, GetCurrentTimestamp(), false);
	x.id = p->order;
	x.account = p->account;
	x.outcome = p->outcome;
	x.is_buy = p->is_buy;
	x.price = p->price;
	x.quantity = p->quantity;
	x.escrow = p->escrow;
	x.replaced = p->replaced;
	x.reserve = p->escrow - p->released;
	x.ioc = p->ioc;
	auction_load_reach(au, &x, x.quantity);
	match_and_lock(au, &x);
	p->balance = au->balance[au->placed];
	p->locked = au->locked[au->placed];
	p->private = au;
	p->cxt = cxt;
	MemoryContextSwitchTo(old);
}

/*
 * Second half: the new order is written, its escrow reserved.  Write the
 * auction's result, cancel the expired orders it met and, if the new
 * order is ioc, what is left of it, and write the auction event.
 */
void
market_placement_write(const MarketRow *m, MarketPlacement *p)
{
	Auction    *au = p->private;
	MemoryContext old = MemoryContextSwitchTo(p->cxt);
	Column		expired = {0};
	int64		made = au->book.n_executions;
	int64		filled;
	int64		trimmed;
	int			cancelled_expired = 0;
	int			cancelled_ioc = 0;
	bool		ioc_left;
	int			i;

	/* the order's escrow, less what it replaced, is in locked now */
	au->locked[au->placed] += au->reserve;
	auction_finish(au, NULL, NULL, &filled, &trimmed);
	for (i = 0; i < au->input.n_orders; i++)
		if (au->expired[i])
			column_push(&expired, Int64GetDatum(au->input.orders[i].id));
	ioc_left = au->ioc[au->placed] && au->book.orders[au->placed].quantity > 0;
	MemoryContextSwitchTo(old);

	/* their owners were locked with the participants */
	if (expired.n > 0)
		cancelled_expired = market_cancel_book_orders(m, "expired", expired.values, expired.n);
	if (ioc_left)
	{
		Datum		id = Int64GetDatum(p->order);

		cancelled_ioc = market_cancel_book_orders(m, "ioc", &id, 1);
	}
	MemoryContextDelete(p->cxt);
	p->cxt = NULL;
	p->private = NULL;
	auction_event(m, made, filled, trimmed, cancelled_expired, cancelled_ioc, false);
}
