/*
 * test_positions.c
 *	  Unit tests of cost basis and realized P&L (src/positions.c).
 */
#include <stdint.h>
#include <string.h>

#include "positions.h"
#include "unit.h"

#define C(x)	((int64_t) ((x) * 1000000.0 + 0.5))

int
main(void)
{
	PositionLot lots[4];
	int64_t		released;
	int64_t		realized;
	int64_t		paid_in;
	int			i;
	int			ok;

	/*
	 * Seed 004: buy 1000 at 0.60, sell 400 at 0.75.  The sell buys 400 NO
	 * for 400 x 0.25 = 100, completing 400 sets with YES; redeeming them
	 * pays 400 and releases 240 (YES at 0.60) + 100 (the NO just bought).
	 */
	memset(lots, 0, sizeof(lots));
	position_fill(lots, 2, 0, true, C(1000), C(600));
	position_fill(lots, 2, 0, false, C(400), C(100));
	position_redeem(lots, 2, C(400), &released);
	realized = C(400) - released;
	CHECK(realized == C(60), "seed 004: selling 400 of 1000 bought at 0.60 for 0.75 realizes +60");
	CHECK(lots[0].quantity == C(600) && lots[0].cost == C(360),
		  "seed 004: 600 contracts remain at a cost of 360 (average 0.60)");
	CHECK(lots[1].quantity == 0 && lots[1].cost == 0, "seed 004: no NO is left over");
	CHECK(C(600) + C(100) == released + lots[0].cost + lots[1].cost,
		  "seed 004: paid (700) = released (340) + remaining (360)");

	/* A short closed: hold NO bought at 0.45, buy YES at 0.55: breakeven. */
	memset(lots, 0, sizeof(lots));
	position_fill(lots, 2, 0, false, C(10), C(4.5));	/* sell YES at 0.55: buys NO for 0.45 */
	CHECK(lots[1].quantity == C(10) && lots[1].cost == C(4.5), "a naked sell holds the complement at its cost");
	position_fill(lots, 2, 0, true, C(10), C(5.5));
	position_redeem(lots, 2, C(10), &released);
	CHECK(C(10) - released == 0, "buying back YES at 0.55 after selling it at 0.55 realizes 0");

	/* Three outcomes: a naked sell's bundle cost is split equally. */
	memset(lots, 0, sizeof(lots));
	position_fill(lots, 3, 1, false, C(3), 1000001);	/* paid 1.000001 for {0, 2} */
	CHECK(lots[0].cost == 500001 && lots[2].cost == 500000 && lots[1].cost == 0,
		  "the bundle's cost splits 0.500001 / 0.500000, the lower outcome first");

	/* Partial redemption at average cost, rounded; emptying releases all. */
	memset(lots, 0, sizeof(lots));
	lots[0].quantity = 3;
	lots[0].cost = 2;
	lots[1].quantity = 3;
	lots[1].cost = 1;
	position_redeem(lots, 2, 1, &released);
	CHECK(released == 1 + 0 && lots[0].cost == 1 && lots[1].cost == 1,
		  "one of three sets releases round(2/3) + round(1/3) = 1 + 0");
	position_redeem(lots, 2, 2, &released);
	CHECK(released == 2 && lots[0].cost == 0 && lots[1].cost == 0 && lots[0].quantity == 0,
		  "redeeming the rest releases all the remaining cost");

	/* Random sequences: paid = released + remaining, always. */
	ok = 1;
	for (i = 0; i < 100000 && ok; i++)
	{
		int			n = 2 + i % 3;
		int			k;
		uint64_t	x = (uint64_t) i * 0x9E3779B97F4A7C15u + 1;

		memset(lots, 0, sizeof(lots));
		paid_in = 0;
		released = 0;
		for (k = 0; k < 12; k++)
		{
			int64_t		q,
						p,
						sets;
			int			j;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			q = 1 + (int64_t) (x % 5000000);
			p = (int64_t) ((x >> 20) % (uint64_t) q);
			position_fill(lots, n, (int) (x >> 40) % n, (x >> 50) & 1, q, p);
			paid_in += p;
			sets = lots[0].quantity;
			for (j = 1; j < n; j++)
				if (lots[j].quantity < sets)
					sets = lots[j].quantity;
			{
				int64_t		part;

				if (!position_redeem(lots, n, sets, &part))
					ok = 0;
				released += part;
			}
		}
		{
			int64_t		remaining = 0;
			int			j;

			for (j = 0; j < n; j++)
			{
				remaining += lots[j].cost;
				if (lots[j].cost < 0 || lots[j].quantity < 0 ||
					(lots[j].quantity == 0 && lots[j].cost != 0))
					ok = 0;
			}
			if (paid_in != released + remaining)
				ok = 0;
		}
	}
	CHECK(ok, "100000 random fill sequences: paid = released + remaining, no negative cost, no cost without contracts");

	/* Overflow: refused, and the lots stay as they were. */
	memset(lots, 0, sizeof(lots));
	lots[0].quantity = INT64_MAX - 5;
	lots[0].cost = 7;
	CHECK(!position_fill(lots, 2, 0, true, 6, 1) &&
		  lots[0].quantity == INT64_MAX - 5 && lots[0].cost == 7,
		  "a buy that would take a holding past INT64_MAX is refused and changes nothing");
	CHECK(position_fill(lots, 2, 0, true, 5, 1) && lots[0].quantity == INT64_MAX,
		  "a buy up to exactly INT64_MAX is accepted");
	memset(lots, 0, sizeof(lots));
	lots[2].cost = INT64_MAX;
	lots[2].quantity = 1;
	CHECK(!position_fill(lots, 3, 0, false, 1, 2) &&
		  lots[1].quantity == 0 && lots[1].cost == 0 && lots[2].cost == INT64_MAX,
		  "a sell whose bundle would take one lot's cost past INT64_MAX changes no lot");
	memset(lots, 0, sizeof(lots));
	lots[0].quantity = lots[1].quantity = 10;
	lots[0].cost = lots[1].cost = INT64_MAX / 2 + 1;
	CHECK(!position_redeem(lots, 2, 10, &released) &&
		  lots[0].quantity == 10 && lots[0].cost == INT64_MAX / 2 + 1,
		  "a redemption releasing more than INT64_MAX in all is refused and changes nothing");

	return UNIT_DONE();
}
