/*
 * positions.h
 *	  Cost basis and realized P&L of positions (SPEC section 9), as pure
 *	  arithmetic over one account's holdings in one market.
 *
 * The rule, at the economic level:
 *	  - every contract an account holds carries a cost: a holding of an
 *		outcome is (quantity, cost), and its average cost is cost/quantity;
 *	  - a buy of outcome i adds its quantity and what it paid to i;
 *	  - a sell of outcome i buys the bundle "every outcome but i": its
 *		quantity goes to each of those outcomes and what it paid is split
 *		among them equally (largest remainder, the lower outcome first);
 *	  - redeeming k complete sets takes k contracts of every outcome at its
 *		average cost (the cost released, rounded to the nearest micro-unit;
 *		all of it when the holding empties) and pays k: the realized P&L is
 *		k minus the cost released.
 * So a covered sell is a sale of held contracts: the complement it buys
 * completes sets with what it held, and those are redeemed at once, and a
 * buy that completes sets with held complements closes that short.  Cash
 * paid always equals cost released plus cost remaining.
 *
 * No PostgreSQL calls; unit tested in test/unit/test_positions.c.
 */
#ifndef MARKET_POSITIONS_H
#define MARKET_POSITIONS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct PositionLot
{
	int64_t		quantity;		/* micro-contracts */
	int64_t		cost;			/* micro-units of cash */
} PositionLot;

/*
 * Overflow: a quantity or cost that would pass INT64_MAX is not wrapped.
 * Both functions then return false and leave the lots as they were; the
 * caller refuses the whole operation (the SPI layer with 22003).
 */

/* A fill of one order: lots[0..n) are the account's holdings by outcome. */
extern bool position_fill(PositionLot *lots, int32_t n, int32_t outcome,
						  bool is_buy, int64_t quantity, int64_t paid);

/* Redeem sets complete sets; *released is the cost released. */
extern bool position_redeem(PositionLot *lots, int32_t n, int64_t sets,
							int64_t *released);

#endif							/* MARKET_POSITIONS_H */
