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
	CHECK(quantity_for_amount(U(100), U(0.9455)) == 105764145,
		  "$100 at 0.9455 buys 105.764145 contracts (seed 003's 105.76, to the micro-contract)");
	CHECK(escrow_buy(quantity_for_amount(U(100), U(0.9455)), U(0.9455)) <= U(100),
		  "and reserves no more than the $100");
	ok = 1;
	for (i = 0; i < 200000; i++)
	{
		int64_t		amount = ((int64_t) rand() << 8 ^ rand()) % INT64_C(1000000000000) + 1;
		int64_t		p = rand() % 1000000 + 1;
		int64_t		q = quantity_for_amount(amount, p);
		__int128	budget = (__int128) amount * 1000000;

		/* q is the largest quantity whose exact cost fits the amount */
		if ((__int128) q * p > budget || (__int128) (q + 1) * p <= budget)
			ok = 0;
	}
	CHECK(ok, "200000 random amounts: the quantity bought never costs more than the amount");

	CHECK(micro_mul_floor(U(2.5), U(0.3)) == U(0.75), "floor product is exact when exact");
	CHECK(micro_mul_floor(1, 999999) == 0 && micro_mul_ceil(1, 999999) == 1,
		  "floor and ceil differ by one micro-unit when inexact");

	CHECK(quantity_for_amount(INT64_C(1000000000000000000), 100) == INT64_MAX,
		  "1e12 cash at 0.0001 buys more than int64 holds: saturates, never wraps");
	CHECK(quantity_for_amount(INT64_MAX / ESCROW_ONE, ESCROW_ONE) == INT64_MAX / ESCROW_ONE,
		  "a quantity that fits is exact");

	return UNIT_DONE();
}
