/*
 * escrow.h
 *	  Pure arithmetic of orders: escrow, cash-amount buys, price ticks.
 *
 * All values are int64 micro-units: a price of 0.42 is 420000, a quantity
 * of 3 contracts is 3000000, and cash of 1.26 is 1260000.  Products go
 * through 128-bit integers.  Rounding never creates money: what is
 * reserved rounds up, what is bought for a given amount rounds down.
 * No PostgreSQL calls; unit tested in test/unit/test_escrow.c.
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

/* escrow of either side */
extern int64_t escrow_of(bool is_buy, int64_t quantity, int64_t price,
						 int64_t held);

/*
 * The quantity a cash amount buys at price: floor(amount / price), or
 * INT64_MAX if that does not fit (the caller refuses anything above its
 * largest quantity, so a huge amount at a small price never wraps).
 */
extern int64_t quantity_for_amount(int64_t amount, int64_t price);

#endif							/* MARKET_ESCROW_H */
