/*
 * auction_load.c
 *	  Loading a book into an Auction (auction.h): the whole book, or the
 *	  part of it a new order can reach.
 *
 * auction_load_book: the whole of a market's open orders, for execute(),
 * execute_all() and the closing auction.  One scan reads the orders in
 * the order the core walks them (each side best price first, then the
 * older order, which is the order of the index orders_book) with their
 * owners' free cash; a second reads the holdings of those owners.
 *
 * auction_load_reach: a placement in an auto_execute market (SPEC 7a).
 * The book does not cross before the new order X arrives, so only the
 * orders X can meet matter (match_reach.h says which, and why the result
 * is the full auction's).  One statement reads the best bid and ask of
 * every outcome (an index probe each); then, for each side X reaches, a
 * range scan of orders_book from the best price, in book order, within
 * the side's price bound, until the window has X's quantity (whole price
 * levels under pro-rata).  Where a side goes on, a phantom order stands
 * for the rest; if the core fills one, the engine calls again with a
 * larger target.  The cost is the index descents plus the orders read:
 * it grows with what X fills and the log of the book, not with the book.
 *
 * Either way, free cash (balance - locked over every market) is read
 * without a lock: the engine locks the participants in one ordered
 * statement after the match, re-reads it and runs the core again if it
 * moved.  Expired gtd orders are loaded with quantity 0, so they never
 * match, and marked, so the engine locks their owners and cancels them.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "auction.h"
#include "market.h"
#include "match_reach.h"
#include "spi_plans.h"

static MarketStatement load_outcomes = {
	"SELECT id FROM market.outcomes WHERE market = $1 ORDER BY number",
	1, {INT8OID}
};

/*
 * The book in the order the core walks it (each side best price first,
 * then the older order), so the core need not sort it and account i,
 * owner of order i, sits next to its neighbours in memory.
 */
static MarketStatement load_book = {
	"SELECT o.id, o.account, o.outcome, o.side = 'buy', o.price, o.quantity, o.escrow,"
	"       a.balance - a.locked,"
	"       o.time_in_force = 'gtd' AND o.expires_at <= $2, o.time_in_force = 'ioc'"
	"  FROM market.orders o JOIN market.accounts a ON a.id = o.account"
	" WHERE o.market = $1 AND o.status = 'open'"
	" ORDER BY o.outcome, o.side, CASE WHEN o.side = 'buy' THEN -o.price ELSE o.price END, o.id",
	2, {INT8OID, TIMESTAMPTZOID}
};

static MarketStatement load_holdings = {
	"SELECT h.account, h.outcome, h.quantity, h.cost"
	"  FROM market.holdings h"
	"  JOIN market.orders o ON o.account = h.account AND o.market = h.market AND o.status = 'open'"
	" WHERE h.market = $1 AND h.quantity > 0",
	1, {INT8OID}
};

/*
 * Each outcome with its best bid and best ask (NULL: none), expired gtd
 * orders included (the bounds then only reach further).  Each subquery
 * is the first entry of one side in orders_book.
 */
static MarketStatement load_best_prices = {
	"SELECT u.id,"
	"       (SELECT o.price FROM market.orders o"
	"         WHERE o.market = $1 AND o.outcome = u.id AND o.side = 'buy' AND o.status = 'open'"
	"         ORDER BY CASE WHEN o.side = 'buy' THEN -o.price ELSE o.price END, o.id LIMIT 1),"
	"       (SELECT o.price FROM market.orders o"
	"         WHERE o.market = $1 AND o.outcome = u.id AND o.side = 'sell' AND o.status = 'open'"
	"         ORDER BY CASE WHEN o.side = 'buy' THEN -o.price ELSE o.price END, o.id LIMIT 1)"
	"  FROM market.outcomes u WHERE u.market = $1 ORDER BY u.number",
	1, {INT8OID}
};

/*
 * One side of one outcome in book order, from its best price to $4 (in
 * the index's key: -price for bids), at most $6 orders: a range scan of
 * orders_book.
 */
static MarketStatement load_side = {
	"SELECT o.id, o.account, o.price, o.quantity, o.escrow,"
	"       o.time_in_force = 'gtd' AND o.expires_at <= $5"
	"  FROM market.orders o"
	" WHERE o.market = $1 AND o.outcome = $2 AND o.side = $3 AND o.status = 'open'"
	"   AND CASE WHEN o.side = 'buy' THEN -o.price ELSE o.price END <= $4"
	" ORDER BY CASE WHEN o.side = 'buy' THEN -o.price ELSE o.price END, o.id"
	" LIMIT $6",
	6, {INT8OID, INT8OID, TEXTOID, INT8OID, TIMESTAMPTZOID, INT8OID}
};

/* The free cash of the accounts whose orders were loaded. */
static MarketStatement load_free_cash = {
	"SELECT id, balance - locked FROM market.accounts WHERE id = ANY ($1)",
	1, {INT8ARRAYOID}
};

/*
 * Their holdings of the market's outcomes $1: probes of the primary key
 * (account, outcome), never a scan of the market's holders.
 */
static MarketStatement load_account_holdings = {
	"SELECT account, outcome, quantity, cost FROM market.holdings"
	" WHERE account = ANY ($2) AND outcome = ANY ($1) AND quantity > 0",
	2, {INT8ARRAYOID, INT8ARRAYOID}
};

/* The first window read of a side; it grows fourfold as needed. */
#define FIRST_WINDOW	32

static void *
core_alloc(size_t size)
{
	return palloc_extended(size, MCXT_ALLOC_HUGE);
}

static void *
core_grow(void *ptr, size_t size)
{
	return repalloc_huge(ptr, size);
}

static void
core_release(void *ptr)
{
	pfree(ptr);
}

static int
cmp_account_index(const void *a, const void *b)
{
	int64		x = ((const AccountIndex *) a)->id;
	int64		y = ((const AccountIndex *) b)->id;

	return x < y ? -1 : x > y ? 1 : 0;
}

/* The core's index of an outcome id. */
static int32
outcome_index(const Auction *au, int64 outcome)
{
	int32		j;

	for (j = 0; j < au->n_outcomes; j++)
		if (au->outcome_ids[j] == outcome)
			return j;
	elog(ERROR, "outcome " INT64_FORMAT " is not one of market %d's", outcome, au->number);
	return -1;					/* keep the compiler quiet */
}

/* An empty input book with room for n orders (and their n accounts). */
static void
begin_book(Auction *au, int n)
{
	MatchBook  *b = &au->input;

	memset(b, 0, sizeof(*b));
	b->n_outcomes = au->n_outcomes;
	b->fee_bps = au->fee_bps;
	b->creator_fee_bps = au->creator_fee_bps;
	b->allocation = au->price_time ? MATCH_PRICE_TIME : MATCH_PRO_RATA;
	b->alloc = core_alloc;
	b->grow = core_grow;
	b->release = core_release;
	b->orders = palloc_extended(sizeof(MatchOrder) * (n + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	b->accounts = palloc_extended(sizeof(MatchAccount) * (n + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	au->accounts = palloc_extended(sizeof(AccountIndex) * (n + 1), MCXT_ALLOC_HUGE);
	au->expired = palloc_extended(sizeof(bool) * (n + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	au->ioc = palloc_extended(sizeof(bool) * (n + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
}

/* Append order (and its owner, account index = order index). */
static void
add_order(Auction *au, const MatchOrder *o, int64 account, int64 free_cash,
		  bool expired, bool ioc)
{
	MatchBook  *b = &au->input;
	int32		i = b->n_orders++;

	b->orders[i] = *o;
	b->orders[i].account = i;
	b->orders[i].filled = 0;
	b->orders[i].trimmed = 0;
	if (expired)
		b->orders[i].quantity = 0;	/* cancelled after the auction, never matched */
	b->accounts[i].id = account;
	b->accounts[i].free_cash = free_cash;
	b->accounts[i].order = i;
	b->n_accounts = b->n_orders;
	au->accounts[i].id = account;
	au->accounts[i].index = i;
	au->expired[i] = expired;
	au->ioc[i] = ioc;
}

/*
 * Index the accounts, read their holdings if asked (the whole book's, or
 * those of the accounts loaded) and make room for the engine's locked
 * figures.
 */
static void
finish_book(Auction *au, bool whole_book, bool holdings)
{
	MatchBook  *b = &au->input;
	int			n = b->n_accounts;
	uint64		rows;
	uint64		i;
	bool		isnull;

	qsort(au->accounts, n, sizeof(AccountIndex), cmp_account_index);
	b->holdings = palloc_extended(sizeof(int64) * (n + 1) * au->n_outcomes,
								  MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	au->costs = palloc_extended(sizeof(int64) * (n + 1) * au->n_outcomes,
								MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	if (!holdings)
		rows = 0;
	else if (whole_book)
	{
		Datum		values[1] = {Int64GetDatum(au->market)};

		rows = market_exec(&load_holdings, values, NULL, SPI_OK_SELECT);
	}
	else
	{
		Datum	   *ids = palloc(sizeof(Datum) * (n + 1));
		Datum	   *outcomes = palloc(sizeof(Datum) * au->n_outcomes);
		Datum		values[2];
		int			k = 0;

		for (i = 0; i < (uint64) n; i++)
			if (b->accounts[i].id > 0)	/* not a phantom's */
				ids[k++] = Int64GetDatum(b->accounts[i].id);
		for (i = 0; i < (uint64) au->n_outcomes; i++)
			outcomes[i] = Int64GetDatum(au->outcome_ids[i]);
		values[0] = market_int8_array(outcomes, NULL, au->n_outcomes);
		values[1] = market_int8_array(ids, NULL, k);
		rows = market_exec(&load_account_holdings, values, NULL, SPI_OK_SELECT);
	}
	for (i = 0; i < rows; i++)
	{
		int			a = auction_find_account(au, market_get_int64(i, 1, &isnull));
		int32		j = outcome_index(au, market_get_int64(i, 2, &isnull));

		if (a < 0)
			elog(ERROR, "holding of an account that has no order in the book");
		b->holdings[(size_t) a * au->n_outcomes + j] = market_get_int64(i, 3, &isnull);
		au->costs[(size_t) a * au->n_outcomes + j] = market_get_int64(i, 4, &isnull);
	}

	au->balance = palloc_extended(sizeof(int64) * (n + 1), MCXT_ALLOC_HUGE);
	au->locked = palloc_extended(sizeof(int64) * (n + 1), MCXT_ALLOC_HUGE);
	au->is_locked = palloc_extended(sizeof(bool) * (n + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
}

/* The whole book, its accounts' free cash and their holdings. */
void
auction_load_book(Auction *au)
{
	Datum		values[2] = {Int64GetDatum(au->market), TimestampTzGetDatum(au->asof)};
	uint64		n;
	uint64		i;
	bool		isnull;

	n = market_exec(&load_outcomes, values, NULL, SPI_OK_SELECT);
	au->n_outcomes = (int32) n;
	au->outcome_ids = palloc(sizeof(int64) * n);
	for (i = 0; i < n; i++)
		au->outcome_ids[i] = market_get_int64(i, 1, &isnull);

	n = market_exec(&load_book, values, NULL, SPI_OK_SELECT);
	begin_book(au, (int) n);
	for (i = 0; i < n; i++)
	{
		MatchOrder	o;

		memset(&o, 0, sizeof(o));
		o.id = market_get_int64(i, 1, &isnull);
		o.outcome = outcome_index(au, market_get_int64(i, 3, &isnull));
		o.is_buy = DatumGetBool(market_get_datum(i, 4, &isnull));
		o.price = market_get_int64(i, 5, &isnull);
		o.quantity = market_get_int64(i, 6, &isnull);
		o.escrow = market_get_int64(i, 7, &isnull);
		add_order(au, &o, market_get_int64(i, 2, &isnull), market_get_int64(i, 8, &isnull),
				  DatumGetBool(market_get_datum(i, 9, &isnull)),
				  DatumGetBool(market_get_datum(i, 10, &isnull)));
	}
	finish_book(au, true, true);
}

/* An order read by load_side, kept until the window is known. */
typedef struct SideOrder
{
	MatchOrder	order;
	int64		account;
	bool		expired;
} SideOrder;

/* One side's window as read so far. */
typedef struct Window
{
	SideOrder  *orders;
	int			count;			/* orders taken */
	int			cap;
	int64		taken;			/* their open quantity (capped at the target) */
	int64		next_price;		/* first order within the bound left out, or MATCH_NO_PRICE */
	bool		ends;			/* the side ends within its bound and was read whole */
	bool		short_read;		/* the window wants more than the rows read */
	int64		limit;			/* rows to read next time */
} Window;

/*
 * Read side s's window, at most w->limit rows, taking the orders the
 * window wants for target.  The order x replaces is skipped.
 */
static void
load_window(Auction *au, const MatchReachSide *s, int64 target, int64 replaced, Window *w)
{
	Datum		values[6];
	MatchWindow mw;
	uint64		rows;
	uint64		i;
	bool		isnull;

	values[0] = Int64GetDatum(au->market);
	values[1] = Int64GetDatum(au->outcome_ids[s->outcome]);
	values[2] = CStringGetTextDatum(s->is_buy ? "buy" : "sell");
	values[3] = Int64GetDatum(s->is_buy ? -s->bound : s->bound);
	values[4] = TimestampTzGetDatum(au->asof);
	values[5] = Int64GetDatum(w->limit);
	rows = market_exec(&load_side, values, NULL, SPI_OK_SELECT);

	match_window_init(&mw, target, au->price_time ? MATCH_PRICE_TIME : MATCH_PRO_RATA);
	w->count = 0;
	w->next_price = MATCH_NO_PRICE;
	w->ends = false;
	w->short_read = false;
	for (i = 0; i < rows; i++)
	{
		SideOrder  *so;
		int64		price = market_get_int64(i, 3, &isnull);

		if (market_get_int64(i, 1, &isnull) == replaced)
			continue;
		if (!match_window_wants(&mw, price))
		{
			w->next_price = price;
			break;
		}
		if (w->count == w->cap)
		{
			w->cap *= 2;
			w->orders = repalloc_huge(w->orders, sizeof(SideOrder) * w->cap);
		}
		so = &w->orders[w->count++];
		memset(so, 0, sizeof(*so));
		so->order.id = market_get_int64(i, 1, &isnull);
		so->account = market_get_int64(i, 2, &isnull);
		so->order.outcome = s->outcome;
		so->order.is_buy = s->is_buy;
		so->order.price = price;
		so->order.quantity = market_get_int64(i, 4, &isnull);
		so->order.escrow = market_get_int64(i, 5, &isnull);
		so->expired = DatumGetBool(market_get_datum(i, 6, &isnull));
		match_window_take(&mw, price, so->expired ? 0 : so->order.quantity);
	}
	w->taken = mw.taken;
	if (i == rows)
	{
		if (rows < (uint64) w->limit)
			w->ends = true;		/* the side ends within the bound */
		else
			w->short_read = true;	/* more rows may follow: read more */
	}
}

/*
 * The reach of the new order x: x itself (index 0), the windows of the
 * sides it reaches, and a phantom where a side goes on.  target is the
 * quantity each window must cover (x's, or more after a phantom filled).
 */
void
auction_load_reach(Auction *au, const AuctionOrder *x, int64 target)
{
	Datum		values[1] = {Int64GetDatum(au->market)};
	int64	   *best_bid;
	int64	   *best_ask;
	MatchReachSide *sides;
	int32		nsides;
	Window	   *windows;
	int64		legs_target;
	int			total = 1;
	int			nphantom = 0;
	int			s,
				k;
	uint64		n;
	uint64		i;
	bool		isnull;
	MatchOrder	o;
	Datum	   *ids;
	MatchBook  *b;

	n = market_exec(&load_best_prices, values, NULL, SPI_OK_SELECT);
	au->n_outcomes = (int32) n;
	au->outcome_ids = palloc(sizeof(int64) * n);
	best_bid = palloc(sizeof(int64) * n);
	best_ask = palloc(sizeof(int64) * n);
	for (i = 0; i < n; i++)
	{
		au->outcome_ids[i] = market_get_int64(i, 1, &isnull);
		best_bid[i] = market_get_int64(i, 2, &isnull);
		if (isnull)
			best_bid[i] = MATCH_NO_PRICE;
		best_ask[i] = market_get_int64(i, 3, &isnull);
		if (isnull)
			best_ask[i] = MATCH_NO_PRICE;
	}

	memset(&o, 0, sizeof(o));
	o.id = x->id;
	o.outcome = outcome_index(au, x->outcome);
	o.is_buy = x->is_buy;
	o.price = x->price;
	o.quantity = x->quantity;
	o.escrow = x->escrow;

	sides = palloc(sizeof(MatchReachSide) * (au->n_outcomes + 1));
	nsides = match_reach(au->n_outcomes, o.outcome, o.is_buy, o.price, best_bid, best_ask, sides);
	/*
	 * The direct side is read until it covers x's quantity.  The legs of a
	 * synthetic match or a merge fill together, as much as the thinnest
	 * can give: they are read in rounds, each deeper than the last, until
	 * every leg covers the smallest of x's quantity and what a leg that
	 * ends within its bound holds.  (Any window is exact: a phantom that
	 * fills sends the engine back here with a larger target.)
	 */
	windows = palloc0(sizeof(Window) * (nsides + 1));
	for (s = 0; s < nsides; s++)
	{
		windows[s].cap = FIRST_WINDOW;
		windows[s].orders = palloc_extended(sizeof(SideOrder) * FIRST_WINDOW, MCXT_ALLOC_HUGE);
		windows[s].limit = FIRST_WINDOW;
	}
	for (s = 0; s < nsides; s++)
		if (sides[s].is_buy != o.is_buy)
			do
			{
				load_window(au, &sides[s], target, x->replaced, &windows[s]);
				windows[s].limit *= 4;
			} while (windows[s].short_read);
	legs_target = target;
	for (s = 0; s < nsides; s++)
		if (sides[s].is_buy == o.is_buy)
			load_window(au, &sides[s], legs_target, x->replaced, &windows[s]);
	for (;;)
	{
		bool		more = false;

		/* (not once a phantom filled: then every leg goes deeper) */
		for (s = 0; s < nsides; s++)
			if (sides[s].is_buy == o.is_buy && windows[s].ends && windows[s].taken < legs_target &&
				target == x->quantity)
				legs_target = windows[s].taken;
		for (s = 0; s < nsides; s++)
			if (sides[s].is_buy == o.is_buy && windows[s].short_read &&
				windows[s].taken < legs_target)
			{
				windows[s].limit *= 4;
				load_window(au, &sides[s], legs_target, x->replaced, &windows[s]);
				more = true;
			}
		if (!more)
			break;
	}
	for (s = 0; s < nsides; s++)
		total += windows[s].count + (windows[s].next_price != MATCH_NO_PRICE ? 1 : 0);

	/* x, with the free cash it leaves (read below), then the windows */
	begin_book(au, total);
	au->reach = true;
	au->placed = 0;
	au->reserve = x->reserve;
	add_order(au, &o, x->account, 0, false, x->ioc);
	for (s = 0; s < nsides; s++)
	{
		for (k = 0; k < windows[s].count; k++)
			add_order(au, &windows[s].orders[k].order, windows[s].orders[k].account, 0,
					  windows[s].orders[k].expired, false);
		if (windows[s].next_price != MATCH_NO_PRICE || windows[s].short_read)
		{
			/* the side goes on: at the next order's price, or past the last read */
			int64		price = windows[s].next_price != MATCH_NO_PRICE ? windows[s].next_price
				: windows[s].orders[windows[s].count - 1].order.price;

			b = &au->input;
			k = b->n_orders++;
			match_phantom_order(&b->orders[k], &sides[s], price, k, nphantom,
								au->fee_bps + au->creator_fee_bps);
			match_phantom_account(&b->accounts[k], k, nphantom);
			b->n_accounts = b->n_orders;
			au->accounts[k].id = b->accounts[k].id;
			au->accounts[k].index = k;
			nphantom++;
		}
	}

	/*
	 * Crossing nothing, x matches nothing: no holdings or free cash to
	 * read (the engine locks the placer's row alone, and reads it then).
	 */
	if (nsides == 0)
	{
		finish_book(au, false, false);
		return;
	}

	/* the owners' free cash; the placer's less what its order will reserve */
	b = &au->input;
	ids = palloc(sizeof(Datum) * (b->n_accounts + 1));
	k = 0;
	for (i = 0; i < (uint64) b->n_accounts; i++)
		if (b->accounts[i].id > 0)
			ids[k++] = Int64GetDatum(b->accounts[i].id);
	finish_book(au, false, true);
	values[0] = market_int8_array(ids, NULL, k);
	n = market_exec(&load_free_cash, values, NULL, SPI_OK_SELECT);
	for (i = 0; i < n; i++)
	{
		int			a = auction_find_account(au, market_get_int64(i, 1, &isnull));

		b->accounts[a].free_cash = market_get_int64(i, 2, &isnull);
		if (a == au->placed)
			b->accounts[a].free_cash -= x->reserve;
	}
}
