/*
 * execute.c
 *	  execute(market) and execute_all(): the call auction bound to tables.
 *
 * One auction, in one transaction:
 *	  1. take the market's freeze lock (locks.c): no order is placed or
 *		 cancelled in the market, and no other auction runs in it, until we
 *		 commit; auctions in other markets are not affected;
 *	  2. load the book with its owners' free cash in one scan (expired gtd
 *		 orders marked, and kept out of the match), and their holdings in
 *		 another;
 *	  3. run the pure core (match.c) in memory;
 *	  4. lock, in one statement in id order, the accounts that took part and
 *		 the owners of the orders to cancel (expired gtd, unfilled ioc), and
 *		 re-read their cash; if a participant has less free cash than the
 *		 core assumed (a concurrent withdrawal or order elsewhere), run the
 *		 core again with the fresh figures, locking any newcomers, until it
 *		 is stable;
 *	  5. write everything with one statement per table: executions, fills,
 *		 orders, holdings, accounts, journal, events; then cancel the expired
 *		 gtd orders and what is left of ioc orders, whose rows are locked.
 *
 * Taking every account lock of an auction in one ordered statement is what
 * keeps two auctions sharing accounts from deadlocking; only the rare
 * re-run takes a second batch.
 *
 * Cash: each execution is one journal transfer, one entry per account
 * whose cash it changed (what the account paid into the match, less the
 * complete sets it redeemed at 1.00) plus the collateral account; its kind
 * is "mint" if collateral grew, "redeem" if it shrank, "trade" otherwise.
 * An execution whose fills paid fees (SPEC 6a) has a second transfer, kind
 * "fee": one entry per paying account (its house and creator fees
 * netted), one for house (no running balance: house is never a hot row)
 * and one for the market's creator-fee account (a row of this market
 * alone, locked with its collateral).  Transfer ids are drawn after the
 * account locks, in execution order, so each account's entries follow its
 * balance.  Cost basis counts a fill's fees as part of what it paid.
 *
 * Memory: the core's arrays are palloc'd in a context deleted at the end;
 * the core itself makes no PostgreSQL calls and cannot raise errors.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "access/htup_details.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "access/xact.h"
#include "common/int.h"
#include "commands/trigger.h"
#include "nodes/makefuncs.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/tuplestore.h"

#include "escrow.h"
#include "market.h"
#include "pools.h"
#include "match.h"
#include "positions.h"
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

static MarketStatement insert_executions = {
	"INSERT INTO market.executions (id, market, kind, outcome, quantity, sets, bids, surplus)"
	" SELECT u.id, $1, u.kind, NULLIF(u.outcome, 0), u.quantity * 0.000001, u.sets,"
	"        u.bids * 0.000001, (u.bids - u.sets * 1000000::pg_catalog.int8) * 0.000001"
	"   FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.int8[]), pg_catalog.unnest($3::pg_catalog.text[]),"
	"                   pg_catalog.unnest($4::pg_catalog.int4[]), pg_catalog.unnest($5::pg_catalog.int8[]),"
	"                   pg_catalog.unnest($6::pg_catalog.int4[]), pg_catalog.unnest($7::pg_catalog.int8[]))"
	"        AS u(id, kind, outcome, quantity, sets, bids)"
	" RETURNING id, market, kind, outcome, quantity, sets, bids, surplus, created_at",
	7, {INT8OID, INT8ARRAYOID, TEXTARRAYOID, INT4ARRAYOID, INT8ARRAYOID, INT4ARRAYOID, INT8ARRAYOID}
};

static MarketStatement insert_fills = {
	"INSERT INTO market.fills (execution, order_id, account, market, outcome, side, quantity, price, paid,"
	"                          fee, creator_fee)"
	" SELECT u.execution, u.order_id, u.account, $1, u.outcome,"
	"        CASE WHEN u.buy THEN 'buy' ELSE 'sell' END, u.quantity, u.price, u.paid, u.fee, u.creator_fee"
	"   FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.int8[]), pg_catalog.unnest($3::pg_catalog.int8[]),"
	"                   pg_catalog.unnest($4::pg_catalog.int8[]), pg_catalog.unnest($5::pg_catalog.int8[]),"
	"                   pg_catalog.unnest($6::pg_catalog.bool[]), pg_catalog.unnest($7::pg_catalog.int8[]),"
	"                   pg_catalog.unnest($8::pg_catalog.int8[]), pg_catalog.unnest($9::pg_catalog.int8[]),"
	"                   pg_catalog.unnest($10::pg_catalog.int8[]), pg_catalog.unnest($11::pg_catalog.int8[]))"
	"        AS u(execution, order_id, account, outcome, buy, quantity, price, paid, fee, creator_fee)",
	11, {INT8OID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, BOOLARRAYOID,
		INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID}
};

/* The same on a 0.1 catalog, whose fills have no fee columns (and no fees). */
static MarketStatement insert_fills_01 = {
	"INSERT INTO market.fills (execution, order_id, account, market, outcome, side, quantity, price, paid)"
	" SELECT u.execution, u.order_id, u.account, $1, u.outcome,"
	"        CASE WHEN u.buy THEN 'buy' ELSE 'sell' END, u.quantity, u.price, u.paid"
	"   FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.int8[]), pg_catalog.unnest($3::pg_catalog.int8[]),"
	"                   pg_catalog.unnest($4::pg_catalog.int8[]), pg_catalog.unnest($5::pg_catalog.int8[]),"
	"                   pg_catalog.unnest($6::pg_catalog.bool[]), pg_catalog.unnest($7::pg_catalog.int8[]),"
	"                   pg_catalog.unnest($8::pg_catalog.int8[]), pg_catalog.unnest($9::pg_catalog.int8[]))"
	"        AS u(execution, order_id, account, outcome, buy, quantity, price, paid)",
	9, {INT8OID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, BOOLARRAYOID,
		INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID}
};

static MarketStatement update_orders = {
	"UPDATE market.orders o SET quantity = u.quantity, escrow = u.escrow,"
	"       status = CASE WHEN u.quantity > 0 THEN 'open'"
	"                     WHEN u.trimmed > 0 THEN 'cancelled' ELSE 'filled' END,"
	"       cancel_reason = CASE WHEN u.quantity = 0 AND u.trimmed > 0 THEN 'dust' END,"
	"       closed_at = CASE WHEN u.quantity = 0 THEN pg_catalog.now() END"
	"  FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.int8[]), pg_catalog.unnest($2::pg_catalog.int8[]),"
	"                  pg_catalog.unnest($3::pg_catalog.int8[]), pg_catalog.unnest($4::pg_catalog.int8[]))"
	"       AS u(id, quantity, escrow, trimmed)"
	" WHERE o.id = u.id",
	4, {INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID}
};

static MarketStatement upsert_holdings = {
	"INSERT INTO market.holdings AS h (account, outcome, market, quantity, cost)"
	" SELECT u.account, u.outcome, $1, u.quantity, u.cost"
	"   FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.int8[]), pg_catalog.unnest($3::pg_catalog.int8[]),"
	"                   pg_catalog.unnest($4::pg_catalog.int8[]), pg_catalog.unnest($5::pg_catalog.int8[]))"
	"        AS u(account, outcome, quantity, cost)"
	" ON CONFLICT (account, outcome) DO UPDATE SET quantity = EXCLUDED.quantity, cost = EXCLUDED.cost",
	5, {INT8OID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID}
};

static MarketStatement upsert_positions = {
	"INSERT INTO market.positions AS p (account, market, realized)"
	" SELECT u.account, $1, u.realized"
	"   FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.int8[]), pg_catalog.unnest($3::pg_catalog.int8[]))"
	"        AS u(account, realized)"
	" ON CONFLICT (account, market) DO UPDATE"
	"   SET realized = p.realized + EXCLUDED.realized, updated_at = pg_catalog.now()",
	3, {INT8OID, INT8ARRAYOID, INT8ARRAYOID}
};

static MarketStatement set_last_prices = {
	"UPDATE market.outcomes o SET last_price = u.price"
	"  FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.int8[]), pg_catalog.unnest($2::pg_catalog.int8[]))"
	"       AS u(id, price)"
	" WHERE o.id = u.id",
	2, {INT8ARRAYOID, INT8ARRAYOID}
};

static MarketStatement update_accounts = {
	"UPDATE market.accounts a SET balance = u.balance, locked = u.locked"
	"  FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.int8[]), pg_catalog.unnest($2::pg_catalog.int8[]),"
	"                  pg_catalog.unnest($3::pg_catalog.int8[]))"
	"       AS u(id, balance, locked)"
	" WHERE a.id = u.id",
	3, {INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID}
};

/* house (account 2) keeps no running balance: its entries carry NULL */
static MarketStatement insert_journal = {
	"INSERT INTO market.journal (transfer, account, amount, balance_after, kind, market, execution)"
	" SELECT u.transfer, u.account, u.amount,"
	"        CASE WHEN u.account = 2 THEN NULL ELSE u.balance_after END, u.kind, $1, u.execution"
	"   FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.int8[]), pg_catalog.unnest($3::pg_catalog.int8[]),"
	"                   pg_catalog.unnest($4::pg_catalog.int8[]), pg_catalog.unnest($5::pg_catalog.int8[]),"
	"                   pg_catalog.unnest($6::pg_catalog.text[]), pg_catalog.unnest($7::pg_catalog.int8[]))"
	"        AS u(transfer, account, amount, balance_after, kind, execution)",
	7, {INT8OID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, TEXTARRAYOID, INT8ARRAYOID}
};

static MarketStatement active_markets = {
	"SELECT id, number FROM market.markets WHERE state IN ('active', 'paused')"
	" ORDER BY number",
	0, {}
};

/* Growable int64/text/... column buffers for the bulk statements. */
typedef struct Column
{
	Datum	   *values;
	int			n;
	int			cap;
} Column;

static void
col_push(Column *c, Datum d)
{
	if (c->n == c->cap)
	{
		c->cap = c->cap ? c->cap * 2 : 256;
		c->values = c->values ? repalloc_huge(c->values, sizeof(Datum) * c->cap)
			: palloc_extended(sizeof(Datum) * c->cap, MCXT_ALLOC_HUGE);
	}
	c->values[c->n++] = d;
}

static Datum
col_array(Column *c, Oid elemtype)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;

	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	return PointerGetDatum(construct_array(c->values, c->n, elemtype,
										   typlen, typbyval, typalign));
}

/*
 * Reorder parallel columns by the int64 values of the first one, so that
 * the bulk statements probe their primary keys in order rather than in
 * book order: the same pages are visited once, and stay in cache.
 */
typedef struct SortPerm
{
	int64		key1;
	int64		key2;
	int			at;
} SortPerm;

static int
cmp_perm(const void *a, const void *b)
{
	const SortPerm *x = a;
	const SortPerm *y = b;

	if (x->key1 != y->key1)
		return x->key1 < y->key1 ? -1 : 1;
	if (x->key2 != y->key2)
		return x->key2 < y->key2 ? -1 : 1;
	return 0;
}

static void
sort_columns(Column *key1, Column *key2, Column **others, int nothers)
{
	int			n = key1->n;
	SortPerm   *perm;
	Datum	   *tmp;
	int			i,
				c;

	if (n < 2)
		return;
	perm = palloc_extended(sizeof(SortPerm) * n, MCXT_ALLOC_HUGE);
	for (i = 0; i < n; i++)
	{
		perm[i].key1 = DatumGetInt64(key1->values[i]);
		perm[i].key2 = key2 ? DatumGetInt64(key2->values[i]) : 0;
		perm[i].at = i;
	}
	qsort(perm, n, sizeof(SortPerm), cmp_perm);
	tmp = palloc_extended(sizeof(Datum) * n, MCXT_ALLOC_HUGE);
	for (c = -2; c < nothers; c++)
	{
		Column	   *col = c == -2 ? key1 : c == -1 ? key2 : others[c];

		if (col == NULL)
			continue;
		for (i = 0; i < n; i++)
			tmp[i] = col->values[perm[i].at];
		memcpy(col->values, tmp, sizeof(Datum) * n);
	}
	pfree(tmp);
	pfree(perm);
}

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

/* Account ids sorted, with the index of each in the core's arrays. */
typedef struct AccountIndex
{
	int64		id;
	int32		index;
} AccountIndex;

static int
cmp_account_index(const void *a, const void *b)
{
	int64		x = ((const AccountIndex *) a)->id;
	int64		y = ((const AccountIndex *) b)->id;

	return x < y ? -1 : x > y ? 1 : 0;
}

/* The core's index of an account, or -1. */
static int
find_account(const AccountIndex *ix, int n, int64 id)
{
	int			lo = 0,
				hi = n - 1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (ix[mid].id == id)
			return ix[mid].index;
		if (ix[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

typedef struct Auction
{
	int64		market;
	int32		number;
	int64		collateral;
	int64		creator_fees;	/* the creator-fee account, 0 if none */
	int32		fee_bps;
	int32		creator_fee_bps;
	bool		price_time;		/* the market's allocation rule */
	int32		n_outcomes;
	int64	   *outcome_ids;
	/* the pristine input, kept to re-run the core */
	MatchBook	input;
	int64	   *costs;			/* cost of each input holding, parallel to it */
	AccountIndex *accounts;		/* sorted by id */
	/* the result */
	MatchBook	book;
	/* locked accounts' balance and locked, by account index */
	int64	   *balance;
	int64	   *locked;
	bool	   *is_locked;
	bool	   *expired;		/* by account index: its gtd order expired */
	bool	   *ioc;			/* by account index: its order is ioc */
	TimestampTz asof;			/* the auction's "now", for expiry */
	bool		nowait;			/* raise 55P03 rather than wait for a row */
} Auction;

/* Step 2: the book, its accounts' free cash and their holdings. */
static void
load(Auction *au)
{
	Datum		values[2] = {Int64GetDatum(au->market), TimestampTzGetDatum(au->asof)};
	uint64		n;
	uint64		i;
	bool		isnull;
	MatchBook  *b = &au->input;

	n = market_exec(&load_outcomes, values, NULL, SPI_OK_SELECT);
	au->n_outcomes = (int32) n;
	au->outcome_ids = palloc(sizeof(int64) * n);
	for (i = 0; i < n; i++)
		au->outcome_ids[i] = market_get_int64(i, 1, &isnull);

	memset(b, 0, sizeof(*b));
	b->n_outcomes = au->n_outcomes;
	b->fee_bps = au->fee_bps;
	b->creator_fee_bps = au->creator_fee_bps;
	b->allocation = au->price_time ? MATCH_PRICE_TIME : MATCH_PRO_RATA;
	b->alloc = core_alloc;
	b->grow = core_grow;
	b->release = core_release;

	n = market_exec(&load_book, values, NULL, SPI_OK_SELECT);
	b->n_orders = (int32) n;
	b->n_accounts = (int32) n;	/* one open order per account */
	b->orders = palloc_extended(sizeof(MatchOrder) * (n + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	b->accounts = palloc_extended(sizeof(MatchAccount) * (n + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	au->accounts = palloc_extended(sizeof(AccountIndex) * (n + 1), MCXT_ALLOC_HUGE);
	au->expired = palloc_extended(sizeof(bool) * (n + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	au->ioc = palloc_extended(sizeof(bool) * (n + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (i = 0; i < n; i++)
	{
		MatchOrder *o = &b->orders[i];
		int64		outcome = market_get_int64(i, 3, &isnull);
		int			j;

		/* one open order per account: account i owns order i */
		o->id = market_get_int64(i, 1, &isnull);
		o->account = (int32) i;
		o->outcome = -1;
		for (j = 0; j < au->n_outcomes; j++)
			if (au->outcome_ids[j] == outcome)
				o->outcome = j;
		o->is_buy = DatumGetBool(market_get_datum(i, 4, &isnull));
		o->price = market_get_int64(i, 5, &isnull);
		o->quantity = market_get_int64(i, 6, &isnull);
		o->escrow = market_get_int64(i, 7, &isnull);
		b->accounts[i].id = market_get_int64(i, 2, &isnull);
		b->accounts[i].free_cash = market_get_int64(i, 8, &isnull);
		b->accounts[i].order = (int32) i;
		au->accounts[i].id = b->accounts[i].id;
		au->accounts[i].index = (int32) i;
		au->expired[i] = DatumGetBool(market_get_datum(i, 9, &isnull));
		au->ioc[i] = DatumGetBool(market_get_datum(i, 10, &isnull));
		if (au->expired[i])
			o->quantity = 0;	/* cancelled after the auction, never matched */
		if (o->outcome < 0)
			elog(ERROR, "order " INT64_FORMAT " names an outcome of another market", o->id);
	}
	qsort(au->accounts, n, sizeof(AccountIndex), cmp_account_index);

	b->holdings = palloc_extended(sizeof(int64) * (n + 1) * au->n_outcomes,
								  MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	au->costs = palloc_extended(sizeof(int64) * (n + 1) * au->n_outcomes,
								MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	n = market_exec(&load_holdings, values, NULL, SPI_OK_SELECT);
	for (i = 0; i < n; i++)
	{
		int			a = find_account(au->accounts, b->n_accounts, market_get_int64(i, 1, &isnull));
		int64		outcome = market_get_int64(i, 2, &isnull);
		int			j;

		if (a < 0)
			elog(ERROR, "holding of an account that has no order in the book");
		for (j = 0; j < au->n_outcomes; j++)
			if (au->outcome_ids[j] == outcome)
			{
				b->holdings[(size_t) a * au->n_outcomes + j] = market_get_int64(i, 3, &isnull);
				au->costs[(size_t) a * au->n_outcomes + j] = market_get_int64(i, 4, &isnull);
			}
	}

	au->balance = palloc_extended(sizeof(int64) * (b->n_accounts + 1), MCXT_ALLOC_HUGE);
	au->locked = palloc_extended(sizeof(int64) * (b->n_accounts + 1), MCXT_ALLOC_HUGE);
	au->is_locked = palloc_extended(sizeof(bool) * (b->n_accounts + 1),
									MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
}

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

/* Did account i take part in the auction? */
static bool
participant(const MatchBook *b, int i)
{
	const MatchOrder *o = &b->orders[b->accounts[i].order];

	return b->accounts[i].cash_delta != 0 || o->filled > 0 || o->trimmed > 0;
}

/*
 * Step 4: lock the accounts that took part, and the owners of the orders
 * the auction will cancel (expired gtd, unfilled ioc), in one statement in
 * id order.  A later round (only when a participant's cash moved) locks
 * the newcomers in a second statement.  Returns true if every one was
 * already locked with the free cash the core used; otherwise updates the
 * input and returns false so the caller runs the core again.
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
	Datum		values[1];

	for (k = 0; k < b->n_accounts; k++)
	{
		i = au->accounts[k].index;
		if (!au->is_locked[i] &&
			(participant(b, i) || au->expired[i] ||
			 (au->ioc[i] && b->orders[b->accounts[i].order].quantity > 0)))
			col_push(&ids, Int64GetDatum(b->accounts[i].id));
	}
	if (ids.n == 0)
		return true;

	/* the ids are in id order, and so are the locks (ORDER BY id) */
	values[0] = col_array(&ids, INT8OID);
	n = market_exec_locking(au->nowait ? &lock_accounts_nowait : &lock_accounts,
							values, NULL, SPI_OK_SELECT, au->number);
	for (i = 0; i < (int) n; i++)
	{
		bool		isnull;
		int			a = find_account(au->accounts, b->n_accounts, market_get_int64(i, 1, &isnull));
		int64		balance = market_get_int64(i, 2, &isnull);
		int64		locked = market_get_int64(i, 3, &isnull);

		if (a < 0)
			elog(ERROR, "locked an account that has no order in the book");
		au->is_locked[a] = true;
		au->balance[a] = balance;
		au->locked[a] = locked;
		if (participant(b, a) && balance - locked != au->input.accounts[a].free_cash)
		{
			au->input.accounts[a].free_cash = balance - locked;
			stable = false;
		}
	}
	return stable;
}

static const char *const kind_names[] = {"direct", "synthetic", "merge"};

/*
 * Checked sums of write_results: an auction whose amounts would leave the
 * int64 range is refused with 22003 before anything is written.
 */
static int64
checked_add(int64 a, int64 b, const char *what, int64 account)
{
	int64		sum;

	if (unlikely(pg_add_s64_overflow(a, b, &sum)))
		market_out_of_range(account != 0
							? psprintf("%s of account " INT64_FORMAT, what, account)
							: what);
	return sum;
}

/* Step 5: write the auction's results; returns the executions' rows. */
static void
write_results(Auction *au, Tuplestorestate *out, TupleDesc outdesc,
			  int64 *collateral_balance, int64 creator_fees_balance)
{
	MatchBook  *b = &au->book;
	Column		x_id = {0}, x_kind = {0}, x_outcome = {0}, x_qty = {0}, x_sets = {0}, x_bids = {0};
	Column		f_exec = {0}, f_order = {0}, f_account = {0}, f_outcome = {0}, f_buy = {0},
				f_qty = {0}, f_price = {0}, f_paid = {0}, f_fee = {0}, f_cfee = {0};
	Column		o_id = {0}, o_qty = {0}, o_escrow = {0}, o_trim = {0};
	Column		h_account = {0}, h_outcome = {0}, h_qty = {0};
	Column		a_id = {0}, a_balance = {0}, a_locked = {0};
	Column		j_transfer = {0}, j_account = {0}, j_amount = {0}, j_after = {0}, j_kind = {0},
				j_exec = {0};
	int64	   *exec_ids;
	int64	   *net;			/* per account, for the execution being written */
	PositionLot *lots;			/* cost basis replayed, [account * N + outcome] */
	int64	   *realized;		/* per account */
	int64	   *last_price;		/* per outcome, -1 if no fill */
	Column		p_account = {0}, p_realized = {0}, l_id = {0}, l_price = {0}, h_cost = {0};
	int			N = au->n_outcomes;
	int64		collateral = *collateral_balance;
	int64		creator_fees = creator_fees_balance;
	int64	   *fee_net;		/* per account: the fees it paid in this execution */
	bool		with_fees = market_has_fees();
	int			i,
				k;
	Datum		values[11];
	uint64		n;

	exec_ids = palloc(sizeof(int64) * (b->n_executions + 1));
	net = palloc_extended(sizeof(int64) * (b->n_accounts + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	fee_net = palloc_extended(sizeof(int64) * (b->n_accounts + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	realized = palloc_extended(sizeof(int64) * (b->n_accounts + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	last_price = palloc(sizeof(int64) * N);
	for (i = 0; i < N; i++)
		last_price[i] = -1;
	lots = palloc_extended(sizeof(PositionLot) * ((size_t) b->n_accounts * N + 1), MCXT_ALLOC_HUGE);
	for (i = 0; i < b->n_accounts * N; i++)
	{
		lots[i].quantity = au->input.holdings[i];
		lots[i].cost = au->costs[i];
	}

	for (i = 0; i < b->n_executions; i++)
	{
		MatchExecution *x = &b->executions[i];
		int64		transfer;
		int64		minted;
		int64		collateral_net;
		int64		house_fees = 0;
		int64		exec_creator_fees = 0;
		const char *jkind;

		if (pg_mul_s64_overflow((int64) x->sets, x->quantity, &minted))
			market_out_of_range("the complete sets minted by an auction");
		collateral_net = minted;
		exec_ids[i] = market_snowflake_next();
		col_push(&x_id, Int64GetDatum(exec_ids[i]));
		col_push(&x_kind, CStringGetTextDatum(kind_names[x->kind]));
		col_push(&x_outcome, Int32GetDatum(x->outcome >= 0 ? x->outcome + 1 : 0));
		col_push(&x_qty, Int64GetDatum(x->quantity));
		col_push(&x_sets, Int32GetDatum(x->sets));
		col_push(&x_bids, Int64GetDatum(x->bids));

		/* fills, and each account's net cash in this execution */
		for (k = x->first_fill; k < x->first_fill + x->n_fills; k++)
		{
			MatchFill  *f = &b->fills[k];
			MatchOrder *o = &b->orders[f->order];
			int64		per_unit = (int64) (((__int128) f->paid * 2 * MICROS_PER_UNIT + f->quantity) /
											(2 * (__int128) f->quantity));

			col_push(&f_exec, Int64GetDatum(exec_ids[i]));
			col_push(&f_order, Int64GetDatum(o->id));
			col_push(&f_account, Int64GetDatum(b->accounts[o->account].id));
			col_push(&f_outcome, Int64GetDatum(au->outcome_ids[o->outcome]));
			col_push(&f_buy, BoolGetDatum(o->is_buy));
			col_push(&f_qty, Int64GetDatum(f->quantity));
			col_push(&f_price, Int64GetDatum(o->is_buy ? per_unit : MICROS_PER_UNIT - per_unit));
			col_push(&f_paid, Int64GetDatum(f->paid));
			col_push(&f_fee, Int64GetDatum(f->fee));
			col_push(&f_cfee, Int64GetDatum(f->creator_fee));
			net[o->account] = checked_add(net[o->account], -f->paid, "the cash paid",
										  b->accounts[o->account].id);
			fee_net[o->account] = checked_add(fee_net[o->account], -(f->fee + f->creator_fee),
											  "the fees paid", b->accounts[o->account].id);
			house_fees = checked_add(house_fees, f->fee, "the house fees", 0);
			exec_creator_fees = checked_add(exec_creator_fees, f->creator_fee, "the creator fees", 0);
			/* cost basis: what the fill paid into the match and its fees */
			if (!position_fill(&lots[(size_t) o->account * N], N, o->outcome, o->is_buy,
							   f->quantity, f->paid + f->fee + f->creator_fee))
				market_out_of_range(psprintf("the holdings or cost basis of account " INT64_FORMAT,
											 b->accounts[o->account].id));
			last_price[o->outcome] = o->is_buy ? per_unit : MICROS_PER_UNIT - per_unit;
		}
		for (k = x->first_redemption; k < x->first_redemption + x->n_redemptions; k++)
		{
			MatchRedemption *r = &b->redemptions[k];
			int64		id = b->accounts[r->account].id;
			int64		released;

			net[r->account] = checked_add(net[r->account], r->sets, "the cash redeemed", id);
			collateral_net = checked_add(collateral_net, -r->sets, "the collateral's net cash", 0);
			if (!position_redeem(&lots[(size_t) r->account * N], N, r->sets, &released))
				market_out_of_range(psprintf("the cost released by account " INT64_FORMAT, id));
			realized[r->account] = checked_add(realized[r->account], r->sets - released,
											   "the realized P&L", id);
		}

		/* one transfer: the parties and the collateral */
		transfer = market_snowflake_next();
		jkind = collateral_net > 0 ? "mint" : collateral_net < 0 ? "redeem" : "trade";
		for (k = x->first_fill; k < x->first_fill + x->n_fills; k++)
		{
			int			a = b->orders[b->fills[k].order].account;

			if (net[a] == 0)
				continue;
			au->balance[a] = checked_add(au->balance[a], net[a], "the balance",
										 b->accounts[a].id);
			col_push(&j_transfer, Int64GetDatum(transfer));
			col_push(&j_account, Int64GetDatum(b->accounts[a].id));
			col_push(&j_amount, Int64GetDatum(net[a]));
			col_push(&j_after, Int64GetDatum(au->balance[a]));
			col_push(&j_kind, CStringGetTextDatum(jkind));
			col_push(&j_exec, Int64GetDatum(exec_ids[i]));
			net[a] = 0;
		}
		if (collateral_net != 0)
		{
			collateral = checked_add(collateral, collateral_net, "the balance",
									 au->collateral);
			col_push(&j_transfer, Int64GetDatum(transfer));
			col_push(&j_account, Int64GetDatum(au->collateral));
			col_push(&j_amount, Int64GetDatum(collateral_net));
			col_push(&j_after, Int64GetDatum(collateral));
			col_push(&j_kind, CStringGetTextDatum(jkind));
			col_push(&j_exec, Int64GetDatum(exec_ids[i]));
		}

		/* the fee transfer: the payers, house and the creator-fee account */
		if (house_fees == 0 && exec_creator_fees == 0)
			continue;
		if (exec_creator_fees > 0 && au->creator_fees == 0)
			elog(ERROR, "market %d charges a creator fee but has no creator-fee account", au->number);
		transfer = market_snowflake_next();
		for (k = x->first_fill; k < x->first_fill + x->n_fills; k++)
		{
			int			a = b->orders[b->fills[k].order].account;

			if (fee_net[a] == 0)
				continue;
			au->balance[a] = checked_add(au->balance[a], fee_net[a], "the balance",
										 b->accounts[a].id);
			col_push(&j_transfer, Int64GetDatum(transfer));
			col_push(&j_account, Int64GetDatum(b->accounts[a].id));
			col_push(&j_amount, Int64GetDatum(fee_net[a]));
			col_push(&j_after, Int64GetDatum(au->balance[a]));
			col_push(&j_kind, CStringGetTextDatum("fee"));
			col_push(&j_exec, Int64GetDatum(exec_ids[i]));
			fee_net[a] = 0;
		}
		if (house_fees > 0)
		{
			col_push(&j_transfer, Int64GetDatum(transfer));
			col_push(&j_account, Int64GetDatum(MARKET_ACCOUNT_HOUSE));
			col_push(&j_amount, Int64GetDatum(house_fees));
			col_push(&j_after, Int64GetDatum(0));	/* written as NULL */
			col_push(&j_kind, CStringGetTextDatum("fee"));
			col_push(&j_exec, Int64GetDatum(exec_ids[i]));
		}
		if (exec_creator_fees > 0)
		{
			creator_fees = checked_add(creator_fees, exec_creator_fees, "the balance",
									   au->creator_fees);
			col_push(&j_transfer, Int64GetDatum(transfer));
			col_push(&j_account, Int64GetDatum(au->creator_fees));
			col_push(&j_amount, Int64GetDatum(exec_creator_fees));
			col_push(&j_after, Int64GetDatum(creator_fees));
			col_push(&j_kind, CStringGetTextDatum("fee"));
			col_push(&j_exec, Int64GetDatum(exec_ids[i]));
		}
	}

	/* orders, holdings and accounts that changed */
	for (i = 0; i < b->n_orders; i++)
	{
		MatchOrder *o = &b->orders[i];
		MatchOrder *was = &au->input.orders[i];

		if (o->quantity == was->quantity && o->escrow == was->escrow)
			continue;
		col_push(&o_id, Int64GetDatum(o->id));
		col_push(&o_qty, Int64GetDatum(o->quantity));
		col_push(&o_escrow, Int64GetDatum(o->escrow));
		col_push(&o_trim, Int64GetDatum(o->trimmed));
	}
	for (i = 0; i < b->n_accounts; i++)
	{
		MatchOrder *o = &b->orders[b->accounts[i].order];
		MatchOrder *was = &au->input.orders[b->accounts[i].order];
		int			j;

		for (j = 0; j < au->n_outcomes; j++)
		{
			size_t		h = (size_t) i * au->n_outcomes + j;

			/* the replay must land where the core did */
			if (lots[h].quantity != b->holdings[h])
				elog(ERROR, "cost basis replay of account " INT64_FORMAT " disagrees with its holdings",
					 b->accounts[i].id);
			if (b->holdings[h] == au->input.holdings[h] && lots[h].cost == au->costs[h])
				continue;
			col_push(&h_account, Int64GetDatum(b->accounts[i].id));
			col_push(&h_outcome, Int64GetDatum(au->outcome_ids[j]));
			col_push(&h_qty, Int64GetDatum(b->holdings[h]));
			col_push(&h_cost, Int64GetDatum(lots[h].cost));
		}
		if (participant(b, i))
		{
			col_push(&p_account, Int64GetDatum(b->accounts[i].id));
			col_push(&p_realized, Int64GetDatum(realized[i]));
		}
		if (b->accounts[i].cash_delta == 0 && o->escrow == was->escrow)
			continue;
		if (!au->is_locked[i])
			elog(ERROR, "account " INT64_FORMAT " changed by the auction was not locked",
				 b->accounts[i].id);
		col_push(&a_id, Int64GetDatum(b->accounts[i].id));
		col_push(&a_balance, Int64GetDatum(au->balance[i]));
		col_push(&a_locked, Int64GetDatum(checked_add(au->locked[i], o->escrow - was->escrow,
													  "the locked cash", b->accounts[i].id)));
	}
	col_push(&a_id, Int64GetDatum(au->collateral));
	col_push(&a_balance, Int64GetDatum(collateral));
	col_push(&a_locked, Int64GetDatum(0));
	*collateral_balance = collateral;
	if (creator_fees != creator_fees_balance)
	{
		col_push(&a_id, Int64GetDatum(au->creator_fees));
		col_push(&a_balance, Int64GetDatum(creator_fees));
		col_push(&a_locked, Int64GetDatum(0));
	}

	{
		Column	   *o_rest[] = {&o_qty, &o_escrow, &o_trim};
		Column	   *h_rest[] = {&h_qty, &h_cost};
		Column	   *a_rest[] = {&a_balance, &a_locked};

		sort_columns(&o_id, NULL, o_rest, 3);
		sort_columns(&h_account, &h_outcome, h_rest, 2);
		sort_columns(&a_id, NULL, a_rest, 2);
	}

	values[0] = Int64GetDatum(au->market);
	values[1] = col_array(&x_id, INT8OID);
	values[2] = col_array(&x_kind, TEXTOID);
	values[3] = col_array(&x_outcome, INT4OID);
	values[4] = col_array(&x_qty, INT8OID);
	values[5] = col_array(&x_sets, INT4OID);
	values[6] = col_array(&x_bids, INT8OID);
	{
		char		nulls[7] = {' ', ' ', ' ', ' ', ' ', ' ', ' '};

		n = market_exec(&insert_executions, values, nulls, SPI_OK_INSERT_RETURNING);
	}
	if (out && outdesc->natts != SPI_tuptable->tupdesc->natts)
		elog(ERROR, "market.executions does not have the columns execute() returns");
	for (i = 0; out && i < (int) n; i++)
	{
		Datum		row[9];
		bool		rownulls[9];

		if (SPI_tuptable->tupdesc->natts != 9)
			elog(ERROR, "unexpected columns returned by the executions insert");
		heap_deform_tuple(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, row, rownulls);
		tuplestore_putvalues(out, outdesc, row, rownulls);
	}

	values[1] = col_array(&f_exec, INT8OID);
	values[2] = col_array(&f_order, INT8OID);
	values[3] = col_array(&f_account, INT8OID);
	values[4] = col_array(&f_outcome, INT8OID);
	values[5] = col_array(&f_buy, BOOLOID);
	values[6] = col_array(&f_qty, INT8OID);
	values[7] = col_array(&f_price, INT8OID);
	values[8] = col_array(&f_paid, INT8OID);
	values[9] = col_array(&f_fee, INT8OID);
	values[10] = col_array(&f_cfee, INT8OID);
	market_exec(with_fees ? &insert_fills : &insert_fills_01, values, NULL, SPI_OK_INSERT);

	values[0] = col_array(&o_id, INT8OID);
	values[1] = col_array(&o_qty, INT8OID);
	values[2] = col_array(&o_escrow, INT8OID);
	values[3] = col_array(&o_trim, INT8OID);
	market_exec(&update_orders, values, NULL, SPI_OK_UPDATE);

	if (h_account.n > 0)
	{
		values[0] = Int64GetDatum(au->market);
		values[1] = col_array(&h_account, INT8OID);
		values[2] = col_array(&h_outcome, INT8OID);
		values[3] = col_array(&h_qty, INT8OID);
		values[4] = col_array(&h_cost, INT8OID);
		market_exec(&upsert_holdings, values, NULL, SPI_OK_INSERT);
	}

	if (p_account.n > 0)
	{
		values[0] = Int64GetDatum(au->market);
		values[1] = col_array(&p_account, INT8OID);
		values[2] = col_array(&p_realized, INT8OID);
		market_exec(&upsert_positions, values, NULL, SPI_OK_INSERT);
	}

	for (i = 0; i < N; i++)
		if (last_price[i] >= 0)
		{
			col_push(&l_id, Int64GetDatum(au->outcome_ids[i]));
			col_push(&l_price, Int64GetDatum(last_price[i]));
		}
	values[0] = col_array(&l_id, INT8OID);
	values[1] = col_array(&l_price, INT8OID);
	market_exec(&set_last_prices, values, NULL, SPI_OK_UPDATE);

	values[0] = col_array(&a_id, INT8OID);
	values[1] = col_array(&a_balance, INT8OID);
	values[2] = col_array(&a_locked, INT8OID);
	market_exec(&update_accounts, values, NULL, SPI_OK_UPDATE);

	if (j_transfer.n > 0)
	{
		values[0] = Int64GetDatum(au->market);
		values[1] = col_array(&j_transfer, INT8OID);
		values[2] = col_array(&j_account, INT8OID);
		values[3] = col_array(&j_amount, INT8OID);
		values[4] = col_array(&j_after, INT8OID);
		values[5] = col_array(&j_kind, TEXTOID);
		values[6] = col_array(&j_exec, INT8OID);
		market_exec(&insert_journal, values, NULL, SPI_OK_INSERT);
	}
}

static MarketStatement collateral_balance = {
	"SELECT balance FROM market.accounts WHERE id = $1 FOR UPDATE",
	1, {INT8OID}
};

static MarketStatement collateral_balance_nowait = {
	"SELECT balance FROM market.accounts WHERE id = $1 FOR UPDATE NOWAIT",
	1, {INT8OID}
};

/*
 * Run one auction in a market whose freeze lock the caller holds and
 * which is open for trading, or closing.  gtd orders expire against asof
 * (now, or close_at for the closing auction that close_at made).  Rows of
 * market.executions go to out (if not NULL).  Returns the number of
 * executions.
 */
static int64
auction(const MarketRow *m, TimestampTz asof, bool closing,
		Tuplestorestate *out, TupleDesc outdesc, bool nowait)
{
	MemoryContext cxt;
	MemoryContext old;
	Auction		au;
	int64		made;
	int64		trimmed = 0;
	int64		filled = 0;
	int			cancelled_expired;
	int			cancelled_ioc;
	int			i;
	StringInfoData payload;

	cxt = AllocSetContextCreate(CurrentMemoryContext, "market auction",
								ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);

	memset(&au, 0, sizeof(au));
	au.nowait = nowait;
	au.asof = asof;
	au.market = m->id;
	au.number = m->number;
	au.collateral = m->collateral;
	au.creator_fees = m->creator_fees;
	au.fee_bps = m->fee_bps;
	au.creator_fee_bps = m->creator_fee_bps;
	au.price_time = m->price_time;
	load(&au);

	for (;;)
	{
		run_core(&au);
		if (au.book.overflow)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("the auction in market %d would take a balance or a holding out of range",
							m->number),
					 errdetail("Cash and contracts are kept in micro-units as 64-bit integers; no balance or holding may exceed %s.",
							   market_micros_to_cstring(PG_INT64_MAX)),
					 errhint("Nothing was changed.  An account near the largest balance must withdraw before it can receive more.")));
		if (lock_participants(&au))
			break;
	}
	made = au.book.n_executions;
	if (made > 0)
	{
		Datum		values[1] = {Int64GetDatum(au.collateral)};
		bool		isnull;
		int64		collateral;
		int64		creator_fees = 0;

		market_exec_locking(nowait ? &collateral_balance_nowait : &collateral_balance,
							values, NULL, SPI_OK_SELECT, m->number);
		collateral = market_get_int64(0, 1, &isnull);
		if (au.creator_fees != 0)
		{
			/* a row of this market alone, locked after its collateral */
			values[0] = Int64GetDatum(au.creator_fees);
			market_exec_locking(nowait ? &collateral_balance_nowait : &collateral_balance,
								values, NULL, SPI_OK_SELECT, m->number);
			creator_fees = market_get_int64(0, 1, &isnull);
		}
		write_results(&au, out, outdesc, &collateral, creator_fees);
		for (i = 0; i < au.book.n_orders; i++)
		{
			trimmed += au.book.orders[i].trimmed > 0 ? 1 : 0;
			filled += au.book.orders[i].filled;
		}
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);

	/* their owners were locked with the participants */
	cancelled_expired = market_cancel_book(m, "expired", MARKET_CANCEL_EXPIRED,
										   nowait, au.asof);
	cancelled_ioc = market_cancel_book(m, "ioc", MARKET_CANCEL_IOC, nowait, au.asof);

	if (made > 0 || cancelled_expired > 0 || cancelled_ioc > 0)
	{
		initStringInfo(&payload);
		appendStringInfo(&payload,
						 "{\"number\": %d, \"executions\": " INT64_FORMAT ", \"filled\": %s,"
						 " \"trimmed\": " INT64_FORMAT ", \"expired\": %d, \"ioc_cancelled\": %d%s}",
						 m->number, made, market_micros_to_cstring(filled), trimmed,
						 cancelled_expired, cancelled_ioc, closing ? ", \"closing\": true" : "");
		market_event("auction", m->id, 0, payload.data);
	}
	return made;
}

/*
 * Match at placement in an auto_execute market; the caller holds the
 * freeze lock.
 */
void
market_auction(const MarketRow *m)
{
	auction(m, GetCurrentTimestamp(), false, NULL, NULL, false);
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
	return auction(m, asof, true, out, outdesc, nowait);
}

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
		auction(&m, GetCurrentTimestamp(), false, rsinfo->setResult, rsinfo->setDesc, false);
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
				*made = auction(&m, GetCurrentTimestamp(), false, NULL, NULL, true);
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
