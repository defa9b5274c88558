/*
 * match.c
 *	  The call auction of SPEC section 7, in plain C.
 *
 * Every order is a bid for a bundle of outcomes: buy i at p bids p for
 * {i}; sell i at p bids 1 - p for every outcome but i.  A match is a set of
 * orders whose bundles cover every outcome exactly K times and whose bids
 * sum to S >= K; it mints K complete sets per unit.  The kinds:
 *
 *	  direct	buy i + sell i				K = 1	 crosses when bid >= ask
 *	  synthetic a buy on every outcome		K = 1	 crosses when sum of bids >= 1
 *	  merge		a sell on every outcome		K = N-1  crosses when sum of asks <= 1
 *
 * The auction repeats until nothing crosses.  Each round looks only at the
 * best price level of each outcome's bids and asks, takes the candidate
 * with the greatest surplus per complete set (ties: direct before
 * synthetic before merge, then the lower outcome), and fills the smallest
 * of its legs' level quantities, so every round empties at least one level
 * and the auction ends.
 *
 * Splits, all by largest remainder in micro-units, ties to the lower id:
 *	  - a level holding more than is filled gives each order
 *		quantity * filled / level total (allocation pro-rata, the default);
 *		under price-time it fills its orders oldest first (lowest id), each
 *		up to its quantity, and the rest of the level waits;
 *	  - the match's cost, K per unit, is shared by the orders in proportion
 *		to quantity * bid, so each pays bid * K / S per unit (the surplus
 *		S - K goes back pro-rata) and the parts add up to exactly K * q.
 *		No order pays more than its limit rounded up to a micro-unit.
 *
 * After each match every account that took part and holds a complete set
 * has it redeemed: one contract of every outcome burned, 1.00 paid from
 * collateral.  This is how a seller who held the outcome ends up with cash.
 *
 * Escrow of each order that filled is recomputed with the new holdings
 * (escrow.c).  One corner needs care: escrow rounds up on the whole
 * remaining quantity, so a partial fill can release one micro-unit less
 * than the rounded-up payment of that fill.  An account with no free cash
 * would then be a micro-unit short; instead its remaining quantity is
 * trimmed (the "dust" no longer covered) until its escrow fits.  The
 * header of the proof: payment <= ceil(fill * bid) <= escrow before the
 * fill + contracts it redeemed, and each fill's fees (both rates, each
 * rounded down) <= the fee reserve of the filled quantity <= the fee
 * reserve before the fill (escrow.h), so trimming the whole remainder
 * always suffices, and available cash never goes negative.  The trim
 * keeps the largest remainder whose escrow, fee reserve included, fits.
 *
 * Every round empties at least one level, except that a round fills at
 * most MAX_ROUND (then the same candidate continues in the next round).
 *
 * Cost: sorting the book once, then per round O(N) to pick a candidate
 * plus O(orders in the legs' levels) to split.  Rounds are bounded by the
 * number of price levels.
 */
#include "match.h"

#include <stdlib.h>
#include <string.h>

#include "escrow.h"

/*
 * 128-bit integers aligned to 8 bytes, as PostgreSQL's c.h declares them:
 * the arrays below come from palloc, which aligns to 8, and a 16-byte
 * aligned type would be stored with instructions that fault there.
 */
typedef __int128 int128 __attribute__((aligned(8)));

#define ONE		ESCROW_ONE

/*
 * One round fills at most the largest quantity an order may have (1e9
 * contracts), so K * q and every product below fit their integers even
 * when a level holds more; the rest of the level fills in the next round.
 */
#define MAX_ROUND	(INT64_C(1000000000) * ONE)

typedef struct Side
{
	int32_t    *orders;			/* order indices, best price first, then id */
	int32_t		n;
	int32_t		head;			/* orders before head are empty */
	bool		dirty;			/* level below needs recomputing */
	int32_t		begin;			/* best level: orders[begin, end) */
	int32_t		end;
	int64_t		price;
	int128		total;			/* its open quantity; 0 if the side is empty */
} Side;

typedef struct Rank
{
	int128		key;			/* sort descending */
	int64_t		id;				/* then ascending */
	int32_t		slot;
} Rank;

typedef struct BookKey
{
	int64_t		key;			/* best first: -price for bids, price for asks */
	int64_t		id;
	int32_t		slot;
} BookKey;

typedef struct Engine
{
	MatchBook  *book;
	int32_t		n;				/* outcomes */
	Side	   *sides;			/* [outcome * 2 + (sell ? 1 : 0)] */
	int32_t    *sorted;			/* storage behind every side's orders */
	/* scratch for one round, sized for the whole book */
	int32_t    *fill_order;
	int64_t    *fill_qty;
	int64_t    *fill_paid;
	Rank	   *ranks;
} Engine;

typedef struct Candidate
{
	MatchKind	kind;
	int32_t		outcome;
	int128		num;			/* surplus per complete set = num / den */
	int128		den;
} Candidate;

static void *
book_alloc(MatchBook *b, size_t size)
{
	void	   *p = b->alloc ? b->alloc(size) : malloc(size);

	if (p == NULL && size > 0)
		abort();				/* malloc failure; palloc raises instead */
	return p;
}

static void *
book_grow(MatchBook *b, void *ptr, size_t size)
{
	void	   *p;

	if (ptr == NULL)
		return book_alloc(b, size);
	p = b->grow ? b->grow(ptr, size) : realloc(ptr, size);
	if (p == NULL)
		abort();
	return p;
}

static void
book_release(MatchBook *b, void *ptr)
{
	if (ptr == NULL)
		return;
	if (b->release)
		b->release(ptr);
	else
		free(ptr);
}

#define APPEND(b, arr, count, cap) \
	do { \
		if ((b)->count == (b)->cap) \
		{ \
			(b)->cap = (b)->cap ? (b)->cap * 2 : 64; \
			(b)->arr = book_grow((b), (b)->arr, sizeof(*(b)->arr) * (size_t) (b)->cap); \
		} \
	} while (0)

static int
book_key_cmp(const void *a, const void *b)
{
	const BookKey *x = a;
	const BookKey *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

/* Does a come before b: the larger key, then the lower id? */
static inline bool
rank_before(const Rank *a, const Rank *b)
{
	return a->key > b->key || (a->key == b->key && a->id < b->id);
}

static inline void
rank_swap(Rank *a, Rank *b)
{
	Rank		t = *a;

	*a = *b;
	*b = t;
}

/*
 * Reorder r[0..n) so that its first k elements are the k that come first
 * in rank order (quickselect; average O(n)).  Ids are unique, so the order
 * is total and the set chosen is exactly the one a full sort would put
 * first: largest remainder, ties to the lower id.
 */
static void
select_first(Rank *r, int32_t n, int32_t k)
{
	int32_t		lo = 0;
	int32_t		hi = n - 1;

	if (k <= 0 || k >= n)
		return;
	while (lo < hi)
	{
		int32_t		mid = lo + (hi - lo) / 2;
		Rank		pivot;
		int32_t		i,
					j;

		/* median of three as pivot */
		if (rank_before(&r[mid], &r[lo]))
			rank_swap(&r[mid], &r[lo]);
		if (rank_before(&r[hi], &r[lo]))
			rank_swap(&r[hi], &r[lo]);
		if (rank_before(&r[hi], &r[mid]))
			rank_swap(&r[hi], &r[mid]);
		pivot = r[mid];

		i = lo;
		j = hi;
		while (i <= j)
		{
			while (rank_before(&r[i], &pivot))
				i++;
			while (rank_before(&pivot, &r[j]))
				j--;
			if (i <= j)
			{
				rank_swap(&r[i], &r[j]);
				i++;
				j--;
			}
		}
		/* now r[lo..j] come first, r[i..hi] after, r[j+1..i-1] == pivot */
		if (k - 1 <= j)
			hi = j;
		else if (k - 1 >= i)
			lo = i;
		else
			return;
	}
}

/* The bid an order makes for its bundle, per unit. */
static int64_t
order_bid(const MatchOrder *o)
{
	return o->is_buy ? o->price : ONE - o->price;
}

/* Recompute a side's best level if something changed it. */
static void
side_level(const Engine *e, Side *s)
{
	const MatchOrder *orders = e->book->orders;
	int32_t		i;

	if (!s->dirty)
		return;
	s->dirty = false;
	while (s->head < s->n && orders[s->orders[s->head]].quantity == 0)
		s->head++;
	s->begin = s->end = s->head;
	s->total = 0;
	if (s->head == s->n)
		return;
	s->price = orders[s->orders[s->head]].price;
	for (i = s->head; i < s->n && orders[s->orders[i]].price == s->price; i++)
		s->total += orders[s->orders[i]].quantity;
	s->end = i;
}

static bool
engine_init(Engine *e, MatchBook *b)
{
	int32_t		i;
	int32_t    *counts;
	BookKey    *keys;
	int32_t		nsides = b->n_outcomes * 2;

	memset(e, 0, sizeof(*e));
	e->book = b;
	e->n = b->n_outcomes;
	e->sides = book_alloc(b, sizeof(Side) * (size_t) nsides);
	memset(e->sides, 0, sizeof(Side) * (size_t) nsides);
	e->sorted = book_alloc(b, sizeof(int32_t) * (size_t) (b->n_orders + 1));
	e->fill_order = book_alloc(b, sizeof(int32_t) * (size_t) (b->n_orders + 1));
	e->fill_qty = book_alloc(b, sizeof(int64_t) * (size_t) (b->n_orders + 1));
	e->fill_paid = book_alloc(b, sizeof(int64_t) * (size_t) (b->n_orders + 1));
	e->ranks = book_alloc(b, sizeof(Rank) * (size_t) (b->n_orders + 1));

	/* Count orders per side, then place them and sort each side. */
	counts = book_alloc(b, sizeof(int32_t) * (size_t) (nsides + 1));
	memset(counts, 0, sizeof(int32_t) * (size_t) (nsides + 1));
	for (i = 0; i < b->n_orders; i++)
	{
		const MatchOrder *o = &b->orders[i];

		if (o->outcome < 0 || o->outcome >= e->n)
		{
			book_release(b, counts);
			return false;
		}
		counts[o->outcome * 2 + (o->is_buy ? 0 : 1) + 1]++;
	}
	for (i = 0; i < nsides; i++)
		counts[i + 1] += counts[i];
	for (i = 0; i < nsides; i++)
	{
		e->sides[i].orders = e->sorted + counts[i];
		e->sides[i].n = 0;
		e->sides[i].dirty = true;
	}
	for (i = 0; i < b->n_orders; i++)
	{
		Side	   *s = &e->sides[b->orders[i].outcome * 2 + (b->orders[i].is_buy ? 0 : 1)];

		s->orders[s->n++] = i;
	}
	book_release(b, counts);

	/*
	 * Each side in book order: best price first, then the older order.  A
	 * caller that loads the book sorted (execute does) pays only for the
	 * check.
	 */
	keys = book_alloc(b, sizeof(BookKey) * (size_t) (b->n_orders + 1));
	for (i = 0; i < nsides; i++)
	{
		Side	   *s = &e->sides[i];
		bool		buy = (i % 2) == 0;
		bool		sorted = true;
		int32_t		j;

		for (j = 0; j < s->n; j++)
		{
			const MatchOrder *o = &b->orders[s->orders[j]];

			keys[j].key = buy ? -o->price : o->price;
			keys[j].id = o->id;
			keys[j].slot = s->orders[j];
			if (j > 0 && book_key_cmp(&keys[j - 1], &keys[j]) > 0)
				sorted = false;
		}
		if (sorted)
			continue;
		qsort(keys, (size_t) s->n, sizeof(BookKey), book_key_cmp);
		for (j = 0; j < s->n; j++)
			s->orders[j] = keys[j].slot;
	}
	book_release(b, keys);
	return true;
}

static void
engine_free(Engine *e)
{
	MatchBook  *b = e->book;

	book_release(b, e->sides);
	book_release(b, e->sorted);
	book_release(b, e->fill_order);
	book_release(b, e->fill_qty);
	book_release(b, e->fill_paid);
	book_release(b, e->ranks);
}

static Side *
bid_side(Engine *e, int32_t outcome)
{
	Side	   *s = &e->sides[outcome * 2];

	side_level(e, s);
	return s;
}

static Side *
ask_side(Engine *e, int32_t outcome)
{
	Side	   *s = &e->sides[outcome * 2 + 1];

	side_level(e, s);
	return s;
}

/* Is a's surplus per set strictly greater than b's? */
static bool
better(const Candidate *a, const Candidate *b)
{
	return a->num * b->den > b->num * a->den;
}

/* The best crossing candidate, in the order of preference for ties. */
static bool
best_candidate(Engine *e, Candidate *best)
{
	bool		found = false;
	bool		all_bids = true;
	bool		all_asks = true;
	int64_t		sum_bids = 0;
	int64_t		sum_asks = 0;
	Candidate	c;
	int32_t		i;

	for (i = 0; i < e->n; i++)
	{
		Side	   *bid = bid_side(e, i);
		Side	   *ask = ask_side(e, i);

		if (bid->total > 0)
			sum_bids += bid->price;
		else
			all_bids = false;
		if (ask->total > 0)
			sum_asks += ask->price;
		else
			all_asks = false;

		if (bid->total > 0 && ask->total > 0 && bid->price >= ask->price)
		{
			c.kind = MATCH_DIRECT;
			c.outcome = i;
			c.num = bid->price - ask->price;
			c.den = 1;
			if (!found || better(&c, best))
				*best = c;
			found = true;
		}
	}
	if (all_bids && sum_bids >= ONE)
	{
		c.kind = MATCH_SYNTHETIC;
		c.outcome = -1;
		c.num = sum_bids - ONE;
		c.den = 1;
		if (!found || better(&c, best))
			*best = c;
		found = true;
	}
	if (all_asks && e->n > 1 && sum_asks <= ONE)
	{
		c.kind = MATCH_MERGE;
		c.outcome = -1;
		c.num = ONE - sum_asks;
		c.den = e->n - 1;
		if (!found || better(&c, best))
			*best = c;
		found = true;
	}
	return found;
}

/*
 * Split "amount" among the orders of one level in proportion to their
 * open quantities, or under price-time oldest first; appends (order,
 * share) to the round's fill arrays.
 */
static int32_t
split_level(Engine *e, Side *s, int64_t amount, int32_t nfills)
{
	MatchOrder *orders = e->book->orders;
	int32_t		nranks = 0;
	int64_t		given = 0;
	int32_t		i;

	if (s->total == amount)
	{
		/* the whole level fills: every order its whole quantity */
		for (i = s->begin; i < s->end; i++)
		{
			int32_t		oi = s->orders[i];

			if (orders[oi].quantity == 0)
				continue;
			e->fill_order[nfills] = oi;
			e->fill_qty[nfills] = orders[oi].quantity;
			nfills++;
		}
		return nfills;
	}

	if (e->book->allocation == MATCH_PRICE_TIME)
	{
		/* the level is in id order (engine_init): oldest first */
		for (i = s->begin; i < s->end && given < amount; i++)
		{
			int32_t		oi = s->orders[i];
			int64_t		share = orders[oi].quantity;

			if (share == 0)
				continue;
			if (share > amount - given)
				share = amount - given;
			e->fill_order[nfills] = oi;
			e->fill_qty[nfills] = share;
			nfills++;
			given += share;
		}
		return nfills;
	}

	for (i = s->begin; i < s->end; i++)
	{
		int32_t		oi = s->orders[i];
		int128		num;
		int64_t		share;

		if (orders[oi].quantity == 0)
			continue;
		num = (int128) orders[oi].quantity * amount;
		share = (int64_t) (num / s->total);
		e->fill_order[nfills] = oi;
		e->fill_qty[nfills] = share;
		e->ranks[nranks].key = num % s->total;
		e->ranks[nranks].id = orders[oi].id;
		e->ranks[nranks].slot = nfills;
		nranks++;
		nfills++;
		given += share;
	}
	if (given < amount)
	{
		int32_t		residue = (int32_t) (amount - given);

		select_first(e->ranks, nranks, residue);
		for (i = 0; i < residue; i++)
			e->fill_qty[e->ranks[i].slot]++;
	}
	return nfills;
}

/*
 * *x += d, or on overflow saturate and flag the book (see match.h); the
 * auction stops after the match that overflowed.
 */
static void
add_checked(MatchBook *b, int64_t *x, int64_t d)
{
	if (__builtin_add_overflow(*x, d, x))
	{
		*x = d > 0 ? INT64_MAX : INT64_MIN;
		b->overflow = true;
	}
}

/* Record complete sets of an account as redeemed. */
static void
redeem(MatchBook *b, int32_t account, int32_t execution)
{
	int64_t    *h = &b->holdings[(size_t) account * (size_t) b->n_outcomes];
	int64_t		sets = h[0];
	int32_t		j;

	for (j = 1; j < b->n_outcomes && sets > 0; j++)
		if (h[j] < sets)
			sets = h[j];
	if (sets <= 0)
		return;
	for (j = 0; j < b->n_outcomes; j++)
		h[j] -= sets;
	add_checked(b, &b->accounts[account].free_cash, sets);
	add_checked(b, &b->accounts[account].cash_delta, sets);
	add_checked(b, &b->collateral_delta, -sets);

	APPEND(b, redemptions, n_redemptions, cap_redemptions);
	b->redemptions[b->n_redemptions].execution = execution;
	b->redemptions[b->n_redemptions].account = account;
	b->redemptions[b->n_redemptions].sets = sets;
	b->n_redemptions++;
}

/*
 * Recompute an order's escrow after a fill; if its account's free cash
 * went below zero (rounding, see the header), trim the remainder until the
 * escrow fits.
 */
static void
settle_escrow(Engine *e, int32_t oi)
{
	MatchBook  *b = e->book;
	MatchOrder *o = &b->orders[oi];
	MatchAccount *a = &b->accounts[o->account];
	int32_t		bps = b->fee_bps + b->creator_fee_bps;
	int64_t		held;
	int64_t		escrow;

	if (b->overflow)
		return;					/* the auction is refused anyway */
	if (o->quantity == 0)
	{
		/* filled: no escrow left, and nothing to trim */
		add_checked(b, &a->free_cash, o->escrow);
		o->escrow = 0;
		return;
	}
	held = b->holdings[(size_t) o->account * (size_t) b->n_outcomes + o->outcome];
	escrow = escrow_of(o->is_buy, o->quantity, o->price, held, bps);
	add_checked(b, &a->free_cash, o->escrow - escrow);
	o->escrow = escrow;
	if (b->overflow)
		return;
	if (a->free_cash < 0)
	{
		int64_t		target = o->escrow + a->free_cash;	/* >= 0: see header */
		int64_t		keep;

		keep = quantity_for_escrow(o->is_buy, o->price, held, bps, target,
								   o->quantity);
		o->trimmed += o->quantity - keep;
		o->quantity = keep;
		escrow = escrow_of(o->is_buy, o->quantity, o->price, held, bps);
		a->free_cash += o->escrow - escrow;
		o->escrow = escrow;
	}
}

/* Carry out one match of the given candidate. */
static void
run_match(Engine *e, const Candidate *c)
{
	MatchBook  *b = e->book;
	Side	   *legs[2];
	Side	  **leg = legs;
	int32_t		nlegs;
	int32_t		i;
	int64_t		q;
	int64_t		k;
	int64_t		s = 0;
	int64_t		whole;
	int64_t		given = 0;
	int32_t		nfills = 0;
	int32_t		nranks = 0;
	int32_t		execution = b->n_executions;
	MatchExecution *x;

	if (c->kind == MATCH_DIRECT)
	{
		legs[0] = bid_side(e, c->outcome);
		legs[1] = ask_side(e, c->outcome);
		nlegs = 2;
	}
	else
	{
		leg = book_alloc(b, sizeof(Side *) * (size_t) e->n);
		for (i = 0; i < e->n; i++)
			leg[i] = c->kind == MATCH_SYNTHETIC ? bid_side(e, i) : ask_side(e, i);
		nlegs = e->n;
	}
	k = c->kind == MATCH_MERGE ? e->n - 1 : 1;

	q = MAX_ROUND;
	for (i = 0; i < nlegs; i++)
	{
		if (leg[i]->total < q)
			q = (int64_t) leg[i]->total;
		s += order_bid(&b->orders[leg[i]->orders[leg[i]->begin]]);
	}

	/* Who fills how much: pro-rata within each leg's level. */
	for (i = 0; i < nlegs; i++)
		nfills = split_level(e, leg[i], q, nfills);

	/* Who pays what: K * q shared in proportion to quantity * bid. */
	whole = k * q;
	for (i = 0; i < nfills; i++)
	{
		const MatchOrder *o = &b->orders[e->fill_order[i]];
		int128		num = (int128) k * e->fill_qty[i] * order_bid(o);

		e->fill_paid[i] = (int64_t) (num / s);
		given += e->fill_paid[i];
		if (e->fill_qty[i] == 0)
			continue;
		e->ranks[nranks].key = num % s;
		e->ranks[nranks].id = o->id;
		e->ranks[nranks].slot = i;
		nranks++;
	}
	if (given < whole)
	{
		int32_t		residue = (int32_t) (whole - given);

		select_first(e->ranks, nranks, residue);
		for (i = 0; i < residue; i++)
			e->fill_paid[e->ranks[i].slot]++;
	}

	APPEND(b, executions, n_executions, cap_executions);
	x = &b->executions[execution];
	x->kind = c->kind;
	x->outcome = c->kind == MATCH_DIRECT ? c->outcome : -1;
	x->sets = (int32_t) k;
	x->quantity = q;
	x->bids = s;
	x->first_fill = b->n_fills;
	x->n_fills = 0;
	x->first_redemption = b->n_redemptions;
	x->n_redemptions = 0;
	b->n_executions++;

	/* Apply the fills: orders, cash, holdings. */
	for (i = 0; i < nfills; i++)
	{
		int32_t		oi = e->fill_order[i];
		MatchOrder *o = &b->orders[oi];
		MatchAccount *a = &b->accounts[o->account];
		int64_t    *h = &b->holdings[(size_t) o->account * (size_t) e->n];
		int32_t		j;
		int64_t		fee;
		int64_t		creator_fee;

		if (e->fill_qty[i] == 0)
			continue;
		fee = fill_fee(e->fill_qty[i], e->fill_paid[i], b->fee_bps);
		creator_fee = fill_fee(e->fill_qty[i], e->fill_paid[i], b->creator_fee_bps);
		o->quantity -= e->fill_qty[i];
		o->filled += e->fill_qty[i];
		add_checked(b, &a->free_cash, -e->fill_paid[i]);
		add_checked(b, &a->cash_delta, -e->fill_paid[i]);
		add_checked(b, &a->free_cash, -(fee + creator_fee));
		add_checked(b, &a->cash_delta, -(fee + creator_fee));
		add_checked(b, &b->fees, fee);
		add_checked(b, &b->creator_fees, creator_fee);
		if (o->is_buy)
			add_checked(b, &h[o->outcome], e->fill_qty[i]);
		else
			for (j = 0; j < e->n; j++)
				if (j != o->outcome)
					add_checked(b, &h[j], e->fill_qty[i]);

		APPEND(b, fills, n_fills, cap_fills);
		b->fills[b->n_fills].execution = execution;
		b->fills[b->n_fills].order = oi;
		b->fills[b->n_fills].quantity = e->fill_qty[i];
		b->fills[b->n_fills].paid = e->fill_paid[i];
		b->fills[b->n_fills].fee = fee;
		b->fills[b->n_fills].creator_fee = creator_fee;
		b->n_fills++;
		b->executions[execution].n_fills++;
	}
	add_checked(b, &b->collateral_delta, whole);

	/* Redeem complete sets, then settle each filled order's escrow. */
	for (i = 0; i < nfills; i++)
		if (e->fill_qty[i] > 0)
			redeem(b, b->orders[e->fill_order[i]].account, execution);
	b->executions[execution].n_redemptions =
		b->n_redemptions - b->executions[execution].first_redemption;
	for (i = 0; i < nfills; i++)
		if (e->fill_qty[i] > 0)
			settle_escrow(e, e->fill_order[i]);

	for (i = 0; i < nlegs; i++)
		leg[i]->dirty = true;
	if (leg != legs)
		book_release(b, leg);
}

int32_t
match_run(MatchBook *b)
{
	Engine		e;
	Candidate	c;
	int32_t		before = b->n_executions;

	b->overflow = false;
	if (b->n_outcomes < 2 || b->n_orders == 0)
		return 0;
	if (!engine_init(&e, b))
		return -1;
	while (!b->overflow && best_candidate(&e, &c))
		run_match(&e, &c);
	engine_free(&e);
	return b->n_executions - before;
}

bool
match_book_crosses(const MatchBook *book, MatchKind *kind, int32_t *outcome)
{
	MatchBook	copy = *book;
	Engine		e;
	Candidate	c;
	bool		crosses;

	if (book->n_outcomes < 2 || book->n_orders == 0)
		return false;
	if (!engine_init(&e, &copy))
		return false;
	crosses = best_candidate(&e, &c);
	if (crosses)
	{
		*kind = c.kind;
		*outcome = c.outcome;
	}
	engine_free(&e);
	return crosses;
}

void
match_free_output(MatchBook *b)
{
	book_release(b, b->executions);
	book_release(b, b->fills);
	book_release(b, b->redemptions);
	b->executions = NULL;
	b->fills = NULL;
	b->redemptions = NULL;
	b->n_executions = b->n_fills = b->n_redemptions = 0;
	b->cap_executions = b->cap_fills = b->cap_redemptions = 0;
}
