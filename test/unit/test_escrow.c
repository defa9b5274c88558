/*
 * test_escrow.c
 *	  Unit tests of order arithmetic (src/escrow.c).
 */
#include <stdint.h>
#include <stdlib.h>

#include "escrow.h"
#include "unit.h"

#define U(x) ((int64_t) ((x) * 1000000.0 + 0.5))	/* exact for the literals used */

int
main(void)
{
	int			i;
	int			ok;

	/* buy: quantity x price, rounded up */
	CHECK(escrow_buy(U(10), U(0.42)) == U(4.2), "buy 10 at 0.42 reserves 4.20");
	CHECK(escrow_buy(1, U(0.5)) == 1, "buy one micro-contract at 0.5 reserves one micro-unit (rounded up)");
	CHECK(escrow_buy(3, 333333) == 1, "3 micro-contracts at 0.333333 reserve 1 micro-unit (0.999999 up)");
	CHECK(escrow_buy(U(1000000000), U(1)) == INT64_C(1000000000) * 1000000,
		  "the largest buy (1e9 contracts at 1.00) is exact in 128-bit");

	/* sell: uncovered quantity x (1 - price), rounded up */
	CHECK(escrow_sell(U(10), U(0.42), 0) == U(5.8), "naked sell of 10 at 0.42 reserves 5.80");
	CHECK(escrow_sell(U(10), U(0.42), U(10)) == 0, "fully covered sell reserves nothing");
	CHECK(escrow_sell(U(10), U(0.42), U(25)) == 0, "holding more than the sell reserves nothing");
	CHECK(escrow_sell(U(10), U(0.42), U(4)) == U(3.48), "sell 10 holding 4 reserves 6 x 0.58 = 3.48");
	CHECK(escrow_sell(U(10), U(1), 0) == 0, "a sell at 1.00 risks nothing");
	CHECK(escrow_sell(1, U(0.3), 0) == 1, "one naked micro-contract at 0.3 reserves one micro-unit");

	/* escrow never under-reserves: escrow * 1e6 >= q * p, and by less than 1e6 */
	ok = 1;
	srand(7);
	for (i = 0; i < 200000; i++)
	{
		int64_t		q = ((int64_t) rand() << 16 ^ rand()) % INT64_C(1000000000000000) + 1;
		int64_t		p = rand() % 1000000 + 1;
		__int128	exact = (__int128) q * p;
		__int128	reserved = (__int128) escrow_buy(q, p) * 1000000;

		if (reserved < exact || reserved - exact >= 1000000)
			ok = 0;
	}
	CHECK(ok, "200000 random buys: escrow is q x p rounded up to the micro-unit, never down");

	/* cash amounts: quantity rounded down, and its escrow fits the amount */
	CHECK(quantity_for_amount(U(100), U(0.9455), 0) == 105764145,
		  "$100 at 0.9455 buys 105.764145 contracts (seed 003's 105.76, to the micro-contract)");
	CHECK(escrow_buy(quantity_for_amount(U(100), U(0.9455), 0), U(0.9455)) <= U(100),
		  "and reserves no more than the $100");
	ok = 1;
	for (i = 0; i < 200000; i++)
	{
		int64_t		amount = ((int64_t) rand() << 8 ^ rand()) % INT64_C(1000000000000) + 1;
		int64_t		p = rand() % 1000000 + 1;
		int64_t		q = quantity_for_amount(amount, p, 0);
		__int128	budget = (__int128) amount * 1000000;

		/* q is the largest quantity whose exact cost fits the amount */
		if ((__int128) q * p > budget || (__int128) (q + 1) * p <= budget)
			ok = 0;
	}
	CHECK(ok, "200000 random amounts: the quantity bought never costs more than the amount");

	CHECK(micro_mul_floor(U(2.5), U(0.3)) == U(0.75), "floor product is exact when exact");
	CHECK(micro_mul_floor(1, 999999) == 0 && micro_mul_ceil(1, 999999) == 1,
		  "floor and ceil differ by one micro-unit when inexact");

	CHECK(quantity_for_amount(INT64_C(1000000000000000000), 100, 0) == INT64_MAX,
		  "1e12 cash at 0.0001 buys more than int64 holds: saturates, never wraps");
	CHECK(quantity_for_amount(INT64_MAX / ESCROW_ONE, ESCROW_ONE, 0) == INT64_MAX / ESCROW_ONE,
		  "a quantity that fits is exact");

	/* fees (SPEC 6a): both rates together in escrow, each on its own per fill */
	CHECK(escrow_of(1, U(100), U(0.60), 0, 150) == U(60.75),
		  "worked example: a buy of 100 at 0.60 with 1.50%% in fees reserves 60 + 0.75");
	CHECK(escrow_of(0, U(100), U(0.60), 0, 150) == U(40.60),
		  "worked example: a naked sell of 100 at 0.60 reserves 40 + 0.60");
	CHECK(escrow_of(0, U(10), U(0.42), U(10), 150) == U(0.075),
		  "a covered sell of 10 at 0.42 reserves the fee alone: 1.50%% x 0.5 x 10");
	CHECK(escrow_of(0, U(10), U(0.42), U(4), 150) == U(3.48) + U(0.075),
		  "a partly covered sell reserves its uncovered part and the fee on all of it");
	CHECK(escrow_fee(1, U(10), U(0.20), 100) == U(0.02) && escrow_fee(0, U(10), U(0.90), 100) == U(0.01),
		  "the fee reserve is on min(bid, 0.5): buy at 0.20 and sell at 0.90 (bid 0.10)");
	CHECK(escrow_fee(1, 1, U(0.5), 1) == 1, "the fee reserve rounds up: one micro-unit at least");
	CHECK(escrow_of(1, U(10), U(0.42), 0, 0) == U(4.2), "no fee, no reserve");
	CHECK(fill_fee(U(100), U(60), 100) == U(0.40) && fill_fee(U(100), U(40), 50) == U(0.20),
		  "a fill pays bps x min(paid, q - paid): 1%% of 40 and 0.5%% of 40");
	CHECK(fill_fee(U(1), U(0.015), 1) == 1 && fill_fee(U(1), U(0.015), 2) == 3,
		  "each rate rounds down on its own: 1 bp of 0.015 is 1 micro-unit, so two rates of 1 bp pay 2, not 3");
	CHECK(fill_fee(U(1), U(1), 10000) == 0 && fill_fee(U(1), 0, 10000) == 0,
		  "a fill at 1.00 or at 0 pays no fee");
	CHECK(quantity_for_amount(U(100), U(0.60), 150) == 164609053,
		  "$100 at 0.60 with 1.50%% fees buys 164.609053 (60.00 + 0.75 per 100)");
	CHECK(escrow_of(1, 164609053, U(0.60), 0, 150) == U(100) &&
		  escrow_of(1, 164609054, U(0.60), 0, 150) > U(100),
		  "and that is the largest quantity whose escrow, fee included, fits the $100");
	ok = 1;
	for (i = 0; i < 100000; i++)
	{
		int64_t		amount = ((int64_t) rand() << 8 ^ rand()) % INT64_C(1000000000000) + 1;
		int64_t		p = rand() % 1000000 + 1;
		int32_t		bps = rand() % 10001;
		int64_t		q = quantity_for_amount(amount, p, bps);

		if (escrow_of(1, q, p, 0, bps) > amount || escrow_of(1, q + 1, p, 0, bps) <= amount)
			ok = 0;
	}
	CHECK(ok, "100000 random amounts and rates: the largest quantity whose escrow fits the amount");
	ok = 1;
	for (i = 0; i < 100000; i++)
	{
		int64_t		q = ((int64_t) rand() << 16 ^ rand()) % INT64_C(1000000000000) + 1;
		int64_t		p = rand() % 1000000 + 1;
		int32_t		bps = rand() % 10001;
		int64_t		paid = (int64_t) (((__int128) q * p + 999999) / 1000000);

		if (fill_fee(q, paid, bps) > escrow_fee(1, q, p, bps) ||
			(p < U(1) && fill_fee(q, paid, bps) > escrow_fee(0, q, U(1) - p, bps)))
			ok = 0;
	}
	CHECK(ok, "100000 random fills paying their limit rounded up: the fee never exceeds the reserve");

	return UNIT_DONE();
}
