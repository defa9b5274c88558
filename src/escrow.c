/*
 * escrow.c
 *	  Pure arithmetic of orders; see escrow.h.
 */
#include "escrow.h"

typedef __int128 int128_t;

/* Products that fit 64 bits (the usual case) avoid 128-bit division. */
int64_t
micro_mul_ceil(int64_t a, int64_t b)
{
	int64_t		p64;

	if (!__builtin_mul_overflow(a, b, &p64) && p64 <= INT64_MAX - ESCROW_ONE)
		return (p64 + ESCROW_ONE - 1) / ESCROW_ONE;
	return (int64_t) (((int128_t) a * b + ESCROW_ONE - 1) / ESCROW_ONE);
}

int64_t
micro_mul_floor(int64_t a, int64_t b)
{
	int64_t		p64;

	if (!__builtin_mul_overflow(a, b, &p64))
		return p64 / ESCROW_ONE;
	return (int64_t) (((int128_t) a * b) / ESCROW_ONE);
}

int64_t
escrow_buy(int64_t quantity, int64_t price)
{
	return micro_mul_ceil(quantity, price);
}

int64_t
escrow_sell(int64_t quantity, int64_t price, int64_t held)
{
	int64_t		uncovered = quantity - held;

	if (uncovered <= 0)
		return 0;
	return micro_mul_ceil(uncovered, ESCROW_ONE - price);
}

int64_t
escrow_of(bool is_buy, int64_t quantity, int64_t price, int64_t held)
{
	return is_buy ? escrow_buy(quantity, price)
		: escrow_sell(quantity, price, held);
}

int64_t
quantity_for_amount(int64_t amount, int64_t price)
{
	int128_t	q = ((int128_t) amount * ESCROW_ONE) / price;

	return q > INT64_MAX ? INT64_MAX : (int64_t) q;
}
