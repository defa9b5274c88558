/*
 * escrow.h
 *	  Pure arithmetic of orders: escrow, cash-amount buys, price ticks.
 *
 * All values are int64 micro-units: a price of 0.42 is 420000, a quantity
 * of 3 contracts is 3000000, and cash of 1.26 is 1260000.  Products go
 * through 128-bit integers.  Rounding never creates money: what is
 * reserved rounds up, what is bought for a given amount rounds down.
 * No PostgreSQL calls; unit tested in test/unit/test_escrow.c.
 *
 * Fees (SPEC section 6a).  "bps" is a rate in basis points; escrow takes
 * both rates of a market together (fee_bps + creator_fee_bps, at most
 * 10000).  An order reserves the largest fee it can pay at its limit:
 * ceil(bps * min(bid, 0.5) * quantity / 10000), bid = price for a buy and
 * 1 - price for a sell, on the whole quantity (a covered sell reserves the
 * fee alone).  A fill pays, per rate, floor(bps * min(paid, q - paid) /
 * 10000) of the exact cash it paid into the match, which never exceeds the
 * reserve of its quantity: with paid <= ceil(q * bid), min(paid, q - paid)
 * is below min(q * bid, q / 2) + 1 micro-unit, and bps <= 10000.
 */
#ifndef MARKET_ESCROW_H
#define MARKET_ESCROW_H

#include <stdbool.h>
#include <stdint.h>

#define ESCROW_ONE	INT64_C(1000000)	/* 1.000000: a complete set */

/* ceil(a * b / ESCROW_ONE) and floor(a * b / ESCROW_ONE), a, b >= 0 */
extern int64_t micro_mul_ceil(int64_t a, int64_t b);
extern int64_t micro_mul_floor(int64_t a, int64_t b);

/* buy: ceil(quantity * price) */
extern int64_t escrow_buy(int64_t quantity, int64_t price);

/* sell: ceil(max(0, quantity - held) * (1 - price)) */
extern int64_t escrow_sell(int64_t quantity, int64_t price, int64_t held);

/* the fee reserve: ceil(bps * min(bid, 0.5) * quantity / 10000) */
extern int64_t escrow_fee(bool is_buy, int64_t quantity, int64_t price,
						  int32_t bps);

/* escrow of either side, fee reserve of both rates (bps) included */
extern int64_t escrow_of(bool is_buy, int64_t quantity, int64_t price,
						 int64_t held, int32_t bps);

/* the fee of one rate on a fill: floor(bps * min(paid, q - paid) / 10000) */
extern int64_t fill_fee(int64_t quantity, int64_t paid, int32_t bps);

/*
 * The largest quantity in [0, most] whose escrow_of fits target (0 if
 * none does).  Escrow grows with the quantity, so a binary search.
 */
extern int64_t quantity_for_escrow(bool is_buy, int64_t price, int64_t held,
								   int32_t bps, int64_t target, int64_t most);

/*
 * The quantity a cash amount buys at price: the largest whose escrow, fee
 * reserve of both rates (bps) included, fits the amount; with no fee that
 * is floor(amount / price).  INT64_MAX if that does not fit (the caller
 * refuses anything above its largest quantity, so a huge amount at a
 * small price never wraps).
 */
extern int64_t quantity_for_amount(int64_t amount, int64_t price, int32_t bps);

#endif							/* MARKET_ESCROW_H */
