/*
 * match_gen.h
 *	  The random book generator of the matching core's property tests
 *	  (test_match_props.c, test_match_reach.c): a deterministic PRNG and
 *	  books of 2..6 outcomes, up to 60 accounts, with holdings from
 *	  simulated mints, fees and either allocation rule.  Include after
 *	  match_check.h.
 */
#ifndef MARKET_MATCH_GEN_H
#define MARKET_MATCH_GEN_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escrow.h"
#include "match.h"

#define ONE ESCROW_ONE

/* ---------- a small deterministic PRNG: splitmix64 ---------- */

static uint64_t rng_state;

static uint64_t
rng_next(void)
{
	uint64_t	z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* uniform in [0, n), n > 0 (the modulo bias is irrelevant here) */
static int64_t
below(int64_t n)
{
	return (int64_t) (rng_next() % (uint64_t) n);
}

/* true with probability pct / 100 */
static int
chance(int pct)
{
	return below(100) < pct;
}

/* ---------- the generator ---------- */

static const int64_t ticks[] = {100000, 10000, 1000, 100};

static int64_t
gen_quantity(void)
{
	switch (below(20))
	{
		case 0:
		case 1:
		case 2:
		case 3:
		case 4:
			return 1 + below(10);	/* micro dust */
		case 5:
		case 6:
		case 7:
		case 8:
		case 9:
		case 10:
		case 11:
			return (1 + below(1000)) * ONE; /* whole contracts */
		case 12:
		case 13:
			return (1 + below(20)) * ONE;	/* few whole contracts: equal sizes */
		case 14:
		case 15:
		case 16:
			return 1 + below(1000 * ONE);	/* odd */
		case 17:
			return 1 + below(1000);
		case 18:
			return (1 + below(1000000)) * ONE + below(ONE);	/* large, odd */
		default:
			return chance(50) ? INT64_C(1000000000) * ONE	/* the limit */
				: 1 + below(INT64_C(1000000000) * ONE);
	}
}

/*
 * Prices concentrate around 1/N for both sides, so synthetic matches
 * (bids summing to >= 1), merges (asks summing to <= 1) and directs (a
 * bid and an ask of one outcome overlapping) all happen often.
 */
static int64_t
gen_price(int32_t n, int64_t tick)
{
	int64_t		levels = ONE / tick;
	int64_t		center = ONE / n;
	int64_t		spread;

	switch (below(10))
	{
		case 0:
		case 1:
			return (1 + below(levels)) * tick;
		case 2:
			switch (below(3))
			{
				case 0:
					return tick;
				case 1:
					return ONE;
				default:
					return ONE - tick > 0 ? ONE - tick : tick;
			}
		case 3:
			return mc_round_tick(center, tick);
		default:
			spread = center / 3;
			return mc_round_tick(center - spread + below(2 * spread + 1), tick);
	}
}

static int64_t
gen_cash(void)
{
	switch (below(10))
	{
		case 0:
		case 1:
		case 2:
		case 3:
		case 4:
			return 0;			/* no slack: exercises trimming */
		case 5:
			return 1 + below(10);
		case 6:
		case 7:
			return below(1000 * ONE);
		case 8:
			return below(1000000 * ONE);
		default:
			return below(INT64_C(1000000000) * ONE);
	}
}

/*
 * Build a random book.  Holdings come from simulated mints (x of every
 * outcome, each to a random account) with every account's complete sets
 * redeemed afterwards, so every outcome has the same supply, returned in
 * *initial.  Each account has at most one order; its escrow is exact and
 * its free cash is what is left after escrow.
 */
/*
 * gen_big: books of up to 600 accounts on coarse ticks (deep levels), half
 * of them with no free cash (dust trims); set by the caller.
 */
static int	gen_big;

static void
gen_book(MatchBook *b, int64_t *initial)
{
	int			big = gen_big;
	int32_t		n = (int32_t) (2 + below(big ? 3 : 5));
	int32_t		nacc = (int32_t) (1 + below(big ? 600 : 60));
	int64_t		tick = big ? ticks[below(2)] : ticks[below(4)];
	int32_t		pct_order = chance(20) ? 100 : (int32_t) (40 + below(61));
	int64_t		supply = 0;
	int32_t		mints = (int32_t) below(6);
	int32_t    *owner;
	int64_t    *ids;
	int32_t		nord = 0;
	int32_t		i;
	int32_t		j;

	memset(b, 0, sizeof(*b));
	b->n_outcomes = n;
	b->n_accounts = nacc;
	/* fees in most books: small rates mostly, any rate sometimes */
	if (chance(65))
	{
		b->fee_bps = (int32_t) (chance(15) ? below(10001) : below(301));
		if (chance(60))
			b->creator_fee_bps = (int32_t) (chance(15) ? below(10001 - b->fee_bps)
											: below(101));
	}
	/* either allocation rule, half the books each */
	b->allocation = chance(50) ? MATCH_PRICE_TIME : MATCH_PRO_RATA;
	b->accounts = mc_xmalloc(sizeof(MatchAccount) * (size_t) nacc);
	b->holdings = mc_xmalloc(sizeof(int64_t) * (size_t) nacc * (size_t) n);
	memset(b->holdings, 0, sizeof(int64_t) * (size_t) nacc * (size_t) n);

	/* prior mints, then every account's complete sets redeemed */
	for (i = 0; i < mints; i++)
	{
		int64_t		x = gen_quantity();

		if (x > 100000 * ONE)
			x = 1 + below(100000 * ONE);
		supply += x;
		for (j = 0; j < n; j++)
			b->holdings[below(nacc) * n + j] += x;
	}
	supply -= mc_redeem_all(b);
	*initial = supply;

	/* which accounts have an order, in a random order of the orders array */
	owner = mc_xmalloc(sizeof(int32_t) * (size_t) nacc);
	for (i = 0; i < nacc; i++)
	{
		b->accounts[i].id = 1000 + i;
		b->accounts[i].cash_delta = 0;
		b->accounts[i].order = -1;
		if (chance(pct_order))
			owner[nord++] = i;
	}
	for (i = nord - 1; i > 0; i--)
	{
		int32_t		k = (int32_t) below(i + 1);
		int32_t		t = owner[i];

		owner[i] = owner[k];
		owner[k] = t;
	}
	/* distinct ids, random relative to the array index */
	ids = mc_xmalloc(sizeof(int64_t) * (size_t) (nord + 1));
	for (i = 0; i < nord; i++)
		ids[i] = 1 + i * 3 + below(3);
	for (i = nord - 1; i > 0; i--)
	{
		int32_t		k = (int32_t) below(i + 1);
		int64_t		t = ids[i];

		ids[i] = ids[k];
		ids[k] = t;
	}

	b->n_orders = nord;
	b->orders = mc_xmalloc(sizeof(MatchOrder) * (size_t) (nord + 1));
	for (i = 0; i < nord; i++)
	{
		MatchOrder *o = &b->orders[i];
		int32_t		a = owner[i];
		int64_t    *h = &b->holdings[(size_t) a * (size_t) n];

		memset(o, 0, sizeof(*o));
		o->id = ids[i];
		o->account = a;
		o->is_buy = chance(50);
		o->outcome = (int32_t) below(n);
		if (!o->is_buy && chance(60))
		{
			/* a seller of something it holds, if it holds anything */
			int32_t		start = (int32_t) below(n);

			for (j = 0; j < n; j++)
				if (h[(start + j) % n] > 0)
				{
					o->outcome = (start + j) % n;
					break;
				}
		}
		o->price = gen_price(n, tick);
		o->quantity = gen_quantity();
		if (!o->is_buy && h[o->outcome] > 0)
		{
			switch (below(4))
			{
				case 0:
					o->quantity = h[o->outcome];	/* exactly covered */
					break;
				case 1:
					o->quantity = 1 + below(h[o->outcome]);	/* covered */
					break;
				default:
					break;
			}
		}
		o->escrow = escrow_of(o->is_buy, o->quantity, o->price, h[o->outcome],
							  b->fee_bps + b->creator_fee_bps);
		b->accounts[a].order = i;
	}
	for (i = 0; i < nacc; i++)
		b->accounts[i].free_cash = (big && chance(50)) ? 0 : gen_cash();
	free(owner);
	free(ids);
}

#endif							/* MARKET_MATCH_GEN_H */
