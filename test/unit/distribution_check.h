/*
 * distribution_check.h
 *	  The properties of a distribution market's arithmetic, checked over
 *	  one trade sequence; shared by test_distribution_props.c (random
 *	  sequences) and test/fuzz/fuzz_distribution.c (libFuzzer's).
 *
 * A sequence: backing b, min_stddev, the start Normal, then targets; each
 * valid target is a trade from the current f to g, posting the quoted
 * collateral.  For every final value x* given:
 *	  - no payout is negative;
 *	  - payouts add up to at most b + the collateral posted (the
 *		liquidity account's remainder is not negative);
 *	  - g(x*) - f(x*) computed in double is within the rounding margin
 *		(dist_position_margin) of its exact value, tails included (plus
 *		1e-290 micro-units where a density underflows double);
 *	  - each payout is at most its exact value collateral + g(x*) - f(x*)
 *		and within 1 micro-unit of it (long double), plus the margin
 *		taken against the trader for double's rounding
 *		(dist_position_margin: under 0.1 micro-unit at the largest backing);
 *	  - the remainder is at least its exact value b - f_n(x*) + f_0(x*);
 * and for every trade: its collateral covers the loss at each critical
 * point it found and exceeds the largest by at most 1 micro-unit (that it
 * found them all shows in the payouts' checks).
 * Returns NULL if all hold, else a static description of the first
 * violation.
 */
#ifndef MARKET_DISTRIBUTION_CHECK_H
#define MARKET_DISTRIBUTION_CHECK_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "distribution_math.h"

#define DC_MAX_TRADES 16
#define DC_MAX_X 16
/*
 * the rounding margin's share: 4e-15 of g (1 + y_g) + f (1 + y_f), with
 * room (see distribution_math.c); at most 4e-15 of the two peaks
 */
#define DC_SLACK 1e-14L

typedef struct DcSequence
{
	int64_t		backing;
	int64_t		min_stddev;
	DistParams	start;
	int			ntargets;
	DistParams	targets[DC_MAX_TRADES];
	int			nx;
	int64_t		x[DC_MAX_X];
} DcSequence;

typedef struct DcStats
{
	long		trades;
	long		finals;
} DcStats;

static long double
dc_exact(int64_t k, DistParams p, int64_t x)
{
	long double s = (long double) p.stddev / 1000000.0L;
	long double d = (long double) (x - p.mean) / 1000000.0L;

	return (long double) k / sqrtl(s * 1.7724538509055160272981674833411452L) *
		expl(-(d * d) / (2.0L * s * s));
}

/* the same at a critical point: anchor (micro-units) + offset (x's units) */
static long double
dc_exact_at(int64_t k, DistParams p, int64_t anchor, double offset)
{
	long double s = (long double) p.stddev / 1000000.0L;
	long double d = (long double) (anchor - p.mean) / 1000000.0L + (long double) offset;

	return (long double) k / sqrtl(s * 1.7724538509055160272981674833411452L) *
		expl(-(d * d) / (2.0L * s * s));
}

static const char *
dc_check(const DcSequence *seq, DcStats *stats)
{
	static char why[400];
	int64_t		k;
	DistParams	f[DC_MAX_TRADES],
				g[DC_MAX_TRADES];
	int64_t		c[DC_MAX_TRADES];
	int			n = 0;
	int			i,
				j;
	DistParams	cur;

	if (dist_check_market(seq->backing, seq->min_stddev, seq->start) != DIST_OK)
		return NULL;
	k = dist_k(seq->backing, seq->min_stddev);
	if (k <= 0 || dc_exact(k, (DistParams) {0, seq->min_stddev}, 0) >
		(long double) seq->backing * (1.0L + 1e-15L))
		return "k's peak at min_stddev exceeds the backing";
	cur = seq->start;
	for (i = 0; i < seq->ntargets && i < DC_MAX_TRADES; i++)
	{
		DistQuote	q;
		long double loss;

		if (dist_check_params(k, seq->backing, seq->min_stddev, seq->targets[i]) != DIST_OK)
			continue;
		dist_quote(k, cur, seq->targets[i], &q);
		if (q.collateral < 0 || q.max_payout < q.collateral)
			return "negative collateral or max payout below collateral";
		loss = 0;
		for (j = 0; j < q.ncritical; j++)
		{
			long double l = dc_exact_at(k, cur, q.anchor[j], q.offset[j]) -
				dc_exact_at(k, seq->targets[i], q.anchor[j], q.offset[j]);

			if (l > loss)
				loss = l;
		}
		if ((long double) q.collateral < loss - 1e-6L)
		{
			snprintf(why, sizeof(why), "collateral %lld below the loss %.6Lf at its x_min (%lld/%lld -> %lld/%lld, k %lld)",
					 (long long) q.collateral, loss, (long long) cur.mean, (long long) cur.stddev, (long long) seq->targets[i].mean, (long long) seq->targets[i].stddev, (long long) k);
			return why;
		}
		if ((long double) q.collateral > (loss > 0 ? loss : 0) + 1.000001L +
			DC_SLACK * 2.0L * (long double) seq->backing)
		{
			snprintf(why, sizeof(why), "collateral %lld more than a micro-unit above the loss %.6Lf (%lld/%lld -> %lld/%lld, k %lld)",
					 (long long) q.collateral, loss, (long long) cur.mean, (long long) cur.stddev,
					 (long long) seq->targets[i].mean, (long long) seq->targets[i].stddev, (long long) k);
			return why;
		}
		f[n] = cur;
		g[n] = seq->targets[i];
		c[n] = q.collateral;
		n++;
		cur = seq->targets[i];
		if (stats)
			stats->trades++;
	}
	for (j = 0; j < seq->nx; j++)
	{
		int64_t		x = seq->x[j];
		int64_t		total = seq->backing;
		int64_t		paid = 0;
		long double remainder_exact;

		for (i = 0; i < n; i++)
		{
			int64_t		p = dist_payout(k, f[i], g[i], c[i], x);
			long double exact = (long double) c[i] + dc_exact(k, g[i], x) - dc_exact(k, f[i], x);

			long double h_exact = dc_exact(k, g[i], x) - dc_exact(k, f[i], x);
			double		h = dist_position(k, f[i], g[i], x);

			/* and 1e-290 micro-units for densities that underflow double */
			if (fabsl((long double) h - h_exact) > (long double) dist_position_margin(k, f[i], g[i], x) + 1e-290L)
			{
				snprintf(why, sizeof(why), "trade %d (%lld/%lld -> %lld/%lld, k %lld): g - f at x %lld is %.9g, off its exact value by %.3Lg, more than the rounding margin %.3g", i,
						 (long long) f[i].mean, (long long) f[i].stddev, (long long) g[i].mean, (long long) g[i].stddev,
						 (long long) k, (long long) x, h, fabsl((long double) h - h_exact),
						 dist_position_margin(k, f[i], g[i], x));
				return why;
			}
			total += c[i];
			paid += p;
			if (p < 0)
				return "a negative payout";
			if ((long double) p > exact + 1e-6L ||
				(long double) p < exact - 1.000001L -
				DC_SLACK / 4e-15L * (long double) dist_position_margin(k, f[i], g[i], x))
			{
				snprintf(why, sizeof(why), "trade %d (%lld/%lld -> %lld/%lld, k %lld, collateral %lld) pays %lld at x %lld; exact %.6Lf", i,
						 (long long) f[i].mean, (long long) f[i].stddev, (long long) g[i].mean, (long long) g[i].stddev,
						 (long long) k, (long long) c[i],
						 (long long) p, (long long) x, exact);
				return why;
			}
		}
		if (paid > total)
			return "payouts exceed backing plus collateral";
		remainder_exact = (long double) seq->backing - dc_exact(k, cur, x) + dc_exact(k, seq->start, x);
		if ((long double) (total - paid) < remainder_exact - 1e-6L)
		{
			snprintf(why, sizeof(why), "remainder %lld below its exact value %.6Lf at x %lld",
					 (long long) (total - paid), remainder_exact, (long long) x);
			return why;
		}
		if (n == 0 && total - paid != seq->backing)
			return "an untraded market does not return exactly b";
		if (stats)
			stats->finals++;
	}
	return NULL;
}

#endif							/* MARKET_DISTRIBUTION_CHECK_H */
