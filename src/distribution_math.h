/*
 * distribution_math.h
 *	  The arithmetic of distribution markets (SPEC section 10a), as pure C:
 *	  Normal densities scaled to a constant L2 norm k, a trader's position
 *	  g - f, its collateral (the largest loss), its payout at the final
 *	  value, the market's parameter checks.
 *
 * The model (D. White, "Distribution Markets", Paradigm 2024): the market
 * holds f(x) = lambda * phi(x; mu, sigma), phi the Normal density, scaled
 * so that ||f||_2 = k:
 *
 *	  lambda = k * sqrt(2 * sigma * sqrt(pi))
 *	  f(x)	 = k / sqrt(sigma * sqrt(pi)) * exp(-(x - mu)^2 / (2 sigma^2))
 *	  peak	 = f(mu) = k / sqrt(sigma * sqrt(pi))
 *
 * The peak must never exceed the backing b, so sigma >= sigma_min =
 * k^2 / (b^2 sqrt(pi)); a market sets k = b * sqrt(min_stddev * sqrt(pi)),
 * rounded down to a micro-unit (and lowered until the peak at min_stddev
 * is <= b in double arithmetic too).
 *
 * A trade moves the market from f to g (same k).  The trader holds g - f:
 * at the final value x* it is owed collateral + g(x*) - f(x*), and the
 * collateral is the largest loss, -min over x of (g - f).  The minimum is
 * found deterministically: the critical points of a difference of two
 * Gaussians are solved for, all of them (at most three), with no grid
 * (see distribution_math.c).
 *
 * Units: every amount, mean, stddev and x in and out of this module is an
 * int64 count of micro-units (1 = 0.000001); inside, double.  This is the
 * only file of the extension that uses floating point (SPEC section 2).
 * Every amount is rounded against the trader: collateral up, payouts and
 * fees down, after a safety margin that covers double's rounding error,
 * so that the market never owes more than it holds.
 *
 * Limits, so that double resolves a micro-unit: |mean|, |x| and stddev at
 * most DIST_MAX_X, backing at most DIST_MAX_BACKING (dist_check_*).
 *
 * No PostgreSQL calls: linked alone by test/unit/test_distribution.c and
 * test/fuzz/fuzz_distribution.c, and by src/distribution.c in the server.
 */
#ifndef MARKET_DISTRIBUTION_MATH_H
#define MARKET_DISTRIBUTION_MATH_H

#include <stdint.h>

#define DIST_ONE			INT64_C(1000000)
/* 1e9 in x's units: x - mu stays exact in double at micro-unit resolution */
#define DIST_MAX_X			(INT64_C(1000000000) * DIST_ONE)
/* 10 million in cash: payouts resolve a micro-unit with room to spare */
#define DIST_MAX_BACKING	(INT64_C(10000000) * DIST_ONE)
/* the most critical points a difference of two Normals has (3), and room */
#define DIST_MAX_CRITICAL	8

/* A Normal: mean and standard deviation, in micro-units. */
typedef struct DistParams
{
	int64_t		mean;
	int64_t		stddev;
} DistParams;

/* What a trade from f to g costs and can pay. */
typedef struct DistQuote
{
	int64_t		collateral;		/* -min (g - f), rounded up; 0 if g >= f */
	int64_t		max_payout;		/* collateral + max (g - f), rounded down */
	int64_t		x_min;			/* where g - f is lowest (micro-units) */
	int64_t		x_max;			/* where g - f is highest */
	int			ncritical;		/* critical points of g - f found */
	double		critical[DIST_MAX_CRITICAL];	/* and where (x's units) */
	int64_t		anchor[DIST_MAX_CRITICAL];	/* exactly: anchor (micro-units) */
	double		offset[DIST_MAX_CRITICAL];	/* plus offset (x's units) */
} DistQuote;

/* Why parameters are refused (dist_check_*). */
typedef enum DistCheck
{
	DIST_OK = 0,
	DIST_NOT_POSITIVE,			/* a stddev or backing <= 0 */
	DIST_OUT_OF_RANGE,			/* beyond DIST_MAX_X or DIST_MAX_BACKING */
	DIST_BELOW_MIN_STDDEV,		/* stddev < min_stddev */
	DIST_PEAK_ABOVE_BACKING		/* k / sqrt(sigma sqrt(pi)) > b */
} DistCheck;

/* k = b * sqrt(min_stddev * sqrt(pi)), rounded down, peak <= b. 0 if none. */
extern int64_t dist_k(int64_t backing, int64_t min_stddev);

/* A market's parameters: backing, min_stddev, start mean and stddev. */
extern DistCheck dist_check_market(int64_t backing, int64_t min_stddev,
								   DistParams start);

/* A trade's target: stddev >= min_stddev, peak <= backing, in range. */
extern DistCheck dist_check_params(int64_t k, int64_t backing,
								   int64_t min_stddev, DistParams p);

/* lambda = k sqrt(2 sigma sqrt(pi)), and the peak, in cash units. */
extern double dist_lambda(int64_t k, int64_t stddev);
extern double dist_peak(int64_t k, int64_t stddev);

/* f(x) in micro-units of cash (a double), and rounded down. */
extern double dist_value(int64_t k, DistParams p, int64_t x);
extern int64_t dist_value_floor(int64_t k, DistParams p, int64_t x);

/* The position g - f at x, in micro-units (a double). */
extern double dist_position(int64_t k, DistParams f, DistParams g, int64_t x);

/* The rounding margin of dist_position at x (see distribution_math.c). */
extern double dist_position_margin(int64_t k, DistParams f, DistParams g, int64_t x);

/* The trade from f to g: its critical points, collateral, largest payout. */
extern void dist_quote(int64_t k, DistParams f, DistParams g, DistQuote *out);

/*
 * What a position (f -> g, collateral posted) is owed at x:
 * collateral + g(x) - f(x), rounded down, never negative.
 */
extern int64_t dist_payout(int64_t k, DistParams f, DistParams g,
						   int64_t collateral, int64_t x);

/* floor(amount * bps / 10000) */
extern int64_t dist_fee(int64_t amount, int bps);

#endif							/* MARKET_DISTRIBUTION_MATH_H */
