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

#define HALF		(ESCROW_ONE / 2)
#define BPS_ONE		10000

int64_t
escrow_fee(bool is_buy, int64_t quantity, int64_t price, int32_t bps)
{
	int64_t		bid = is_buy ? price : ESCROW_ONE - price;
	int128_t	den = (int128_t) ESCROW_ONE * BPS_ONE;

	if (bps <= 0 || quantity <= 0)
		return 0;
	if (bid > HALF)
		bid = HALF;
	return (int64_t) (((int128_t) bps * bid * quantity + den - 1) / den);
}

int64_t
escrow_of(bool is_buy, int64_t quantity, int64_t price, int64_t held,
		  int32_t bps)
{
	int64_t		base = is_buy ? escrow_buy(quantity, price)
		: escrow_sell(quantity, price, held);

	return bps > 0 ? base + escrow_fee(is_buy, quantity, price, bps) : base;
}

int64_t
fill_fee(int64_t quantity, int64_t paid, int32_t bps)
{
	int64_t		m = quantity - paid < paid ? quantity - paid : paid;

	if (bps <= 0 || m <= 0)
		return 0;
	return (int64_t) (((int128_t) bps * m) / BPS_ONE);
}

/* escrow_of in 128 bits, for quantities whose escrow may not fit 64 */
static int128_t
escrow_wide(bool is_buy, int64_t quantity, int64_t price, int64_t held,
			int32_t bps)
{
	int64_t		bid = is_buy ? price : ESCROW_ONE - price;
	int64_t		uncovered = is_buy ? quantity : quantity - held;
	int128_t	base = 0;
	int128_t	fee = 0;
	int128_t	den = (int128_t) ESCROW_ONE * BPS_ONE;

	if (uncovered > 0)
		base = ((int128_t) uncovered * bid + ESCROW_ONE - 1) / ESCROW_ONE;
	if (bps > 0)
		fee = ((int128_t) bps * (bid > HALF ? HALF : bid) * quantity + den - 1) / den;
	return base + fee;
}

int64_t
quantity_for_escrow(bool is_buy, int64_t price, int64_t held, int32_t bps,
					int64_t target, int64_t most)
{
	int64_t		lo = 0;			/* fits (escrow of nothing is 0) */
	int64_t		hi = most;

	if (target < 0 || most <= 0)
		return 0;
	if (escrow_wide(is_buy, hi, price, held, bps) <= target)
		return hi;
	/* escrow(lo) <= target < escrow(hi) */
	while (hi - lo > 1)
	{
		int64_t		mid = lo + (hi - lo) / 2;

		if (escrow_wide(is_buy, mid, price, held, bps) <= target)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int64_t
quantity_for_amount(int64_t amount, int64_t price, int32_t bps)
{
	int128_t	q = ((int128_t) amount * ESCROW_ONE) / price;

	if (q > INT64_MAX)
		return INT64_MAX;
	if (bps <= 0)
		return (int64_t) q;
	/* the fee only lowers it: search below the fee-less quantity */
	return quantity_for_escrow(true, price, 0, bps, amount, (int64_t) q);
}
