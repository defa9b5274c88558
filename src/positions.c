/*
 * positions.c
 *	  Pure cost-basis arithmetic; see positions.h for the rule.
 */
#include "positions.h"

typedef __int128 int128;

void
position_fill(PositionLot *lots, int32_t n, int32_t outcome, bool is_buy,
			  int64_t quantity, int64_t paid)
{
	int32_t		j;
	int64_t		share;
	int64_t		extra;

	if (is_buy)
	{
		lots[outcome].quantity += quantity;
		lots[outcome].cost += paid;
		return;
	}
	/* the bundle "every outcome but i", its cost split equally */
	share = paid / (n - 1);
	extra = paid - share * (n - 1);
	for (j = 0; j < n; j++)
	{
		if (j == outcome)
			continue;
		lots[j].quantity += quantity;
		lots[j].cost += share + (extra > 0 ? 1 : 0);
		if (extra > 0)
			extra--;
	}
}

int64_t
position_redeem(PositionLot *lots, int32_t n, int64_t sets)
{
	int64_t		released = 0;
	int32_t		j;

	if (sets <= 0)
		return 0;
	for (j = 0; j < n; j++)
	{
		int64_t		part;

		if (sets >= lots[j].quantity)
			part = lots[j].cost;	/* the holding empties: all of its cost */
		else
			part = (int64_t) (((int128) lots[j].cost * sets * 2 + lots[j].quantity) /
							  ((int128) lots[j].quantity * 2));
		lots[j].quantity -= sets;
		lots[j].cost -= part;
		released += part;
	}
	return released;
}
