/*
 * match_reach.c
 *	  The part of an uncrossed book one new order can reach (match_reach.h).
 */
#include "match_reach.h"

#include <string.h>

#include "escrow.h"

#define ONE		ESCROW_ONE

/*
 * The other outcomes' best prices on the side that completes X's bundle:
 * their sum, or -1 if one of them has none.
 */
static int64_t
others_sum(int32_t n_outcomes, int32_t outcome, const int64_t *best)
{
	int64_t		sum = 0;
	int32_t		j;

	for (j = 0; j < n_outcomes; j++)
	{
		if (j == outcome)
			continue;
		if (best[j] == MATCH_NO_PRICE)
			return -1;
		sum += best[j];
	}
	return sum;
}

int32_t
match_reach(int32_t n_outcomes, int32_t outcome, bool is_buy, int64_t price,
			const int64_t *best_bid, const int64_t *best_ask, MatchReachSide *sides)
{
	int32_t		n = 0;
	int32_t		j;
	int64_t		sum;

	if (is_buy)
	{
		/* direct: the asks of i at or below p */
		if (best_ask[outcome] != MATCH_NO_PRICE && best_ask[outcome] <= price)
		{
			sides[n].outcome = outcome;
			sides[n].is_buy = false;
			sides[n++].bound = price;
		}
		/* synthetic: p + the bids of every other outcome >= 1.00 */
		sum = others_sum(n_outcomes, outcome, best_bid);
		if (sum >= 0 && price + sum >= ONE)
			for (j = 0; j < n_outcomes; j++)
				if (j != outcome)
				{
					sides[n].outcome = j;
					sides[n].is_buy = true;
					sides[n++].bound = ONE - price - (sum - best_bid[j]);
				}
	}
	else
	{
		/* direct: the bids of i at or above p */
		if (best_bid[outcome] != MATCH_NO_PRICE && best_bid[outcome] >= price)
		{
			sides[n].outcome = outcome;
			sides[n].is_buy = true;
			sides[n++].bound = price;
		}
		/* merge: p + the asks of every other outcome <= 1.00 */
		sum = others_sum(n_outcomes, outcome, best_ask);
		if (sum >= 0 && price + sum <= ONE)
			for (j = 0; j < n_outcomes; j++)
				if (j != outcome)
				{
					sides[n].outcome = j;
					sides[n].is_buy = false;
					sides[n++].bound = ONE - price - (sum - best_ask[j]);
				}
	}
	return n;
}

void
match_phantom_order(MatchOrder *o, const MatchReachSide *s, int64_t price,
					int32_t account, int32_t n, int32_t bps)
{
	memset(o, 0, sizeof(*o));
	o->id = MATCH_PHANTOM_ID - n;
	o->account = account;
	o->outcome = s->outcome;
	o->is_buy = s->is_buy;
	o->price = price;
	o->quantity = MATCH_PHANTOM_QUANTITY;
	o->escrow = escrow_of(s->is_buy, MATCH_PHANTOM_QUANTITY, price, 0, bps);
}

void
match_phantom_account(MatchAccount *a, int32_t order, int32_t n)
{
	memset(a, 0, sizeof(*a));
	a->id = -1 - (int64_t) n;	/* no real account has a negative id */
	a->free_cash = MATCH_PHANTOM_CASH;
	a->order = order;
}

bool
match_phantom_filled(const MatchBook *book)
{
	int32_t		i;

	for (i = 0; i < book->n_orders; i++)
		if (book->orders[i].id > MATCH_PHANTOM_ID - 2 * book->n_outcomes - 1 &&
			book->orders[i].filled > 0)
			return true;
	return false;
}
