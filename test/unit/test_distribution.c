/*
 * test_distribution.c
 *	  Unit tests of the distribution-market arithmetic
 *	  (src/distribution_math.c) against figures computed by hand and, to
 *	  more digits, by test/unit/distribution_reference.py (mpmath, 50
 *	  digits, a grid search and findroot: not this code's method).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "distribution_math.h"
#include "unit.h"

#define C(x)	((int64_t) llround((x) * 1000000.0))

static DistParams
N(double mean, double sd)
{
	DistParams	p = {C(mean), C(sd)};

	return p;
}

int
main(void)
{
	int64_t		k;
	DistQuote	q;

	/*
	 * The worked example: backing b = 100, min_stddev 5.
	 * k = b sqrt(5 sqrt(pi)) = 100 x sqrt(5 x 1.7724538509) = 100 x
	 * sqrt(8.8622692545) = 100 x 2.9769563737 = 297.69563737..., rounded
	 * down: 297.695637.
	 */
	k = dist_k(C(100), C(5));
	CHECK(k == C(297.695637), "k = 100 sqrt(5 sqrt(pi)) = 297.695637 rounded down (got %lld)",
		  (long long) k);
	/* peak at 5: 297.695637 / 2.9769563737 = 99.99999986 <= 100 */
	CHECK(dist_peak(k, C(5)) <= 100.0 && dist_peak(k, C(5)) > 99.9999998,
		  "the peak at min_stddev is just under the backing (99.9999998553)");
	/* peak at 10: 297.695637 / sqrt(10 sqrt(pi)) = 297.695637 / 4.2100 = 70.710678 */
	CHECK(fabs(dist_peak(k, C(10)) - 70.710678016) < 1e-8, "peak at stddev 10 is 70.710678016");
	/* lambda = k sqrt(2 x 10 x sqrt(pi)) = 297.695637 x 5.9539 = 1772.453848 */
	CHECK(fabs(dist_lambda(k, C(10)) - 1772.453848341) < 1e-8, "lambda at stddev 10 is 1772.453848341");
	/* f(40) at N(50, 10) = 70.710678 x e^-0.5 = 42.888194186 */
	CHECK(dist_value_floor(k, N(50, 10), C(40)) == C(42.888194),
		  "f(40) for N(50,10) is 42.888194 rounded down");

	/* A trade to the current parameters costs nothing and pays back exactly. */
	dist_quote(k, N(50, 10), N(50, 10), &q);
	CHECK(q.collateral == 0 && q.max_payout == 0 && q.ncritical == 0,
		  "a trade to the current parameters costs 0");

	/*
	 * N(50,10) -> N(50,5), same mean (closed form).  Peaks 100 and
	 * 70.710678; the bracket vanishes at d^2 = ln(Pg sf^2 / Pf sg^2) /
	 * (1/2sg^2 - 1/2sf^2) = ln(sqrt(2) x 4) / (1/50 - 1/200) =
	 * 1.7328680 / 0.015 = 115.524536, d = 10.748234: x = 39.251766 and
	 * 60.748234, where h = 100 e^-2.310491 - 70.710678 e^-0.577623 =
	 * 9.921 - 39.685 = -29.763770 (mpmath: -29.7637696813).  Collateral
	 * rounds up: 29.763770.  The largest gain is at the mean: 100 -
	 * 70.710678 = 29.289322 (mpmath 29.2893218390), so max payout =
	 * 29.763770 + 29.289321 = 59.053091.
	 */
	dist_quote(k, N(50, 10), N(50, 5), &q);
	CHECK(q.ncritical == 3, "same mean: three critical points (got %d)", q.ncritical);
	CHECK(q.collateral == C(29.763770), "same mean, stddev 10 -> 5: collateral 29.763770 (got %lld)",
		  (long long) q.collateral);
	CHECK(llabs(q.x_min - C(39.251766)) <= 1 || llabs(q.x_min - C(60.748234)) <= 1,
		  "the largest loss is at 50 -+ 10.748234");
	CHECK(q.max_payout == C(59.053091), "max payout 59.053091 (got %lld)", (long long) q.max_payout);

	/*
	 * N(50,10) -> N(60,10), equal stddevs: by symmetry the loss is largest
	 * at 44.563731 and the gain at 65.436269, both 39.5156469580 (mpmath).
	 * Collateral 39.515647; max payout 39.515647 + 39.515646 = 79.031293.
	 */
	dist_quote(k, N(50, 10), N(60, 10), &q);
	CHECK(q.collateral == C(39.515647), "shift the mean 50 -> 60: collateral 39.515647 (got %lld)",
		  (long long) q.collateral);
	CHECK(q.max_payout == C(79.031293), "max payout 79.031293 (got %lld)", (long long) q.max_payout);
	CHECK(llabs(q.x_min - C(44.563731)) <= 1, "loss largest at 44.563731 (got %lld)",
		  (long long) q.x_min);
	CHECK(llabs(q.x_max - C(65.436269)) <= 1, "gain largest at 65.436269 (got %lld)",
		  (long long) q.x_max);

	/*
	 * Payouts of that position (collateral 39.515647), mpmath:
	 * x* = 60: 39.515647 + 70.710678 - 42.888194 = 67.338130830 -> 67.338130;
	 * x* = 50: 39.515647 + 42.888194 - 70.710678 = 11.693163170 -> 11.693163;
	 * x* = 55 (midway, g = f): the collateral, but double cannot tell this 0
	 *	 from a few ulps either way, so it is rounded against the trader:
	 *	 39.515646;
	 * x* = 1000 (far tail, both 0): exactly the collateral;
	 * x* = 44.563731 (the largest loss): 0.000000042 -> 0.
	 */
	CHECK(dist_payout(k, N(50, 10), N(60, 10), C(39.515647), C(60)) == C(67.338130),
		  "payout at 60 is 67.338130");
	CHECK(dist_payout(k, N(50, 10), N(60, 10), C(39.515647), C(50)) == C(11.693163),
		  "payout at 50 is 11.693163");
	CHECK(dist_payout(k, N(50, 10), N(60, 10), C(39.515647), C(55)) == C(39.515646),
		  "payout midway between the means is the collateral less the rounding margin's micro-unit");
	CHECK(dist_payout(k, N(50, 10), N(60, 10), C(39.515647), C(1000)) == C(39.515647),
		  "payout far in the tail is the collateral");
	CHECK(dist_payout(k, N(50, 10), N(60, 10), C(39.515647), C(44.563731)) == 0,
		  "payout at the largest loss is 0 (0.000000042 rounded down)");
	CHECK(dist_payout(k, N(50, 10), N(50, 10), 0, C(50)) == 0,
		  "a no-op trade pays nothing back");

	/*
	 * Catastrophic cancellation near the stddev limit: backing 500,
	 * min_stddev 729244530.377285, the market at N(-621193.253063,
	 * 729244530.377722) moved by a micro-unit of mean.  The exact largest
	 * loss is 4.16e-7 micro-units (mpmath), below what double resolves in
	 * g - f (peaks near 5e8 micro-units); a trade that moves the market
	 * still posts a micro-unit.
	 */
	{
		int64_t		kc = dist_k(C(500), 729244530377285);
		DistParams	fc = {-621193253063, 729244530377722};
		DistParams	gc = {-621193253062, 729244530377722};

		CHECK(dist_check_params(kc, C(500), 729244530377285, gc) == DIST_OK,
			  "the near-limit trade is valid");
		dist_quote(kc, fc, gc, &q);
		CHECK(q.collateral == 1, "a loss of 4.16e-7 micro-units near the stddev limit posts 1 micro-unit (got %lld)",
			  (long long) q.collateral);
	}

	/* Fees round down: 1% of 39.515647 = 0.39515647 -> 0.395156. */
	CHECK(dist_fee(C(39.515647), 100) == C(0.395156), "1%% fee on 39.515647 is 0.395156");
	CHECK(dist_fee(C(0.000099), 100) == 0, "a fee under a micro-unit is 0");
	CHECK(dist_fee(C(12), 10000) == C(12), "a 100%% fee is the whole amount");

	/* The checks of SPEC section 10a. */
	CHECK(dist_check_market(C(100), C(5), N(50, 10)) == DIST_OK, "the worked example is accepted");
	CHECK(dist_check_market(C(100), C(5), N(50, 5)) == DIST_OK, "start stddev = min_stddev is accepted");
	CHECK(dist_check_market(C(100), C(5), N(50, 4.999999)) == DIST_BELOW_MIN_STDDEV,
		  "start stddev below min_stddev is refused");
	CHECK(dist_check_market(0, C(5), N(50, 10)) == DIST_NOT_POSITIVE, "backing 0 is refused");
	CHECK(dist_check_market(C(-1), C(5), N(50, 10)) == DIST_NOT_POSITIVE, "negative backing is refused");
	CHECK(dist_check_market(C(100), 0, N(50, 10)) == DIST_NOT_POSITIVE, "min_stddev 0 is refused");
	CHECK(dist_check_market(C(100), C(5), N(50, 0)) == DIST_NOT_POSITIVE, "stddev 0 is refused");
	CHECK(dist_check_market(DIST_MAX_BACKING + 1, C(5), N(50, 10)) == DIST_OUT_OF_RANGE,
		  "backing above the limit is refused");
	CHECK(dist_check_params(k, C(100), C(5), N(50, 4.999999)) == DIST_BELOW_MIN_STDDEV,
		  "a trade below min_stddev is refused");
	CHECK(dist_check_params(k, C(100), C(5), N(2e9, 10)) == DIST_OUT_OF_RANGE,
		  "a mean beyond 1e9 is refused");
	CHECK(dist_check_params(k + 1000, C(100), C(5), N(50, 5)) == DIST_PEAK_ABOVE_BACKING,
		  "a k whose peak at min_stddev exceeds the backing is caught");

	/* A tiny market: backing 0.000001 at min_stddev 0.000001 has k = 0. */
	CHECK(dist_k(1, 1) == 0 && dist_check_market(1, 1, N(0, 1)) == DIST_NOT_POSITIVE,
		  "a market too small for a micro-unit of k is refused");

	return UNIT_DONE();
}
