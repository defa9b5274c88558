/*
 * positions.c
 *	  Pure cost-basis arithmetic; see positions.h for the rule.
 */
#include "positions.h"

typedef __int128 int128;

/* Would adding to every lot but skip overflow?  (skip < 0: none skipped) */
static bool
lots_fit(const PositionLot *lots, int32_t n, int32_t skip, int64_t quantity,
		 int64_t cost)
{
	int32_t		j;
	int64_t		sum;

	for (j = 0; j < n; j++)
	{
		if (j == skip)
			continue;
		if (__builtin_add_overflow(lots[j].quantity, quantity, &sum) ||
			__builtin_add_overflow(lots[j].cost, cost, &sum))
			return false;
	}
	return true;
}

bool
position_fill(PositionLot *lots, int32_t n, int32_t outcome, bool is_buy,
			  int64_t quantity, int64_t paid)
{
	int32_t		j;
	int64_t		share;
	int64_t		extra;

	if (is_buy)
	{
		if (!lots_fit(&lots[outcome], 1, -1, quantity, paid))
			return false;
		lots[outcome].quantity += quantity;
		lots[outcome].cost += paid;
		return true;
	}
	/* the bundle "every outcome but i", its cost split equally */
	share = paid / (n - 1);
	extra = paid - share * (n - 1);
	if (!lots_fit(lots, n, outcome, quantity, share + (extra > 0 ? 1 : 0)))
		return false;
	for (j = 0; j < n; j++)
	{
		if (j == outcome)
			continue;
		lots[j].quantity += quantity;
		lots[j].cost += share + (extra > 0 ? 1 : 0);
		if (extra > 0)
			extra--;
	}
	return true;
}

/* The cost released from one lot by redeeming sets of it. */
static int64_t
redeemed_cost(const PositionLot *lot, int64_t sets)
{
	if (sets >= lot->quantity)
		return lot->cost;		/* the holding empties: all of its cost */
	return (int64_t) (((int128) lot->cost * sets * 2 + lot->quantity) /
					  ((int128) lot->quantity * 2));
}

bool
position_redeem(PositionLot *lots, int32_t n, int64_t sets, int64_t *released)
{
	int128		total = 0;
	int32_t		j;

	*released = 0;
	if (sets <= 0)
		return true;
	for (j = 0; j < n; j++)
		total += redeemed_cost(&lots[j], sets);
	if (total > INT64_MAX)
		return false;
	for (j = 0; j < n; j++)
	{
		int64_t		part = redeemed_cost(&lots[j], sets);

		lots[j].quantity -= sets;
		lots[j].cost -= part;
	}
	*released = (int64_t) total;
	return true;
}
