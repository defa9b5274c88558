/*
 * test_distribution_props.c
 *	  Property test of the distribution-market arithmetic: random trade
 *	  sequences and random final values, every property of
 *	  distribution_check.h.  Usage: test_distribution_props [sequences [seed]]
 *	  (default 100000 sequences, seed 1).
 *
 * Sequences cover: backing from 0.01 to 1,000,000 and min_stddev from
 * 0.001 to 1000 (log-uniform); targets at exactly min_stddev, at the
 * current stddev, repeated (a no-op trade), moved a little or far;
 * final values at each trade's mean (x* = mean), at the start mean, near
 * the means, at a trade's largest loss, 5 to 11 stddevs out (where the
 * rounding error of exp(-y) grows with y), and far in the tails (up to
 * the 1e9 limit).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "distribution_check.h"
#include "unit.h"

static uint64_t rng_state = 1;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static double
unif(void)
{
	return (double) (rnd() >> 11) / 9007199254740992.0;
}

static int64_t
micros(double v)
{
	if (v > 1e15 / 1e6)
		v = 1e15 / 1e6;
	if (v < -1e15 / 1e6)
		v = -1e15 / 1e6;
	return (int64_t) llround(v * 1e6);
}

static int64_t
clamp_x(int64_t x)
{
	return x > DIST_MAX_X ? DIST_MAX_X : x < -DIST_MAX_X ? -DIST_MAX_X : x;
}

int
main(int argc, char **argv)
{
	long		sequences = argc > 1 ? atol(argv[1]) : 100000;
	long		s;
	long		failures = 0;
	DcStats		stats = {0, 0};
	const char *first = NULL;

	rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) | 1 : 1;
	for (s = 0; s < sequences; s++)
	{
		DcSequence	seq;
		double		min_sd = pow(10.0, -3.0 + 6.0 * unif());
		double		mean = (unif() - 0.5) * 2000.0;
		double		sd;
		int			i;
		const char *why;

		seq.backing = micros(pow(10.0, -2.0 + 8.0 * unif()));
		seq.min_stddev = micros(min_sd);
		if (seq.min_stddev < 1)
			seq.min_stddev = 1;
		sd = unif() < 0.2 ? min_sd : min_sd * (1.0 + 20.0 * unif());
		seq.start.mean = micros(mean);
		seq.start.stddev = unif() < 0.2 ? seq.min_stddev : micros(sd);
		seq.ntargets = 1 + (int) (rnd() % 8);
		for (i = 0; i < seq.ntargets; i++)
		{
			DistParams	prev = i == 0 ? seq.start : seq.targets[i - 1];
			double		r = unif();

			if (r < 0.05)
				seq.targets[i] = prev;	/* a trade to the current parameters */
			else
			{
				double		spread = (double) prev.stddev / 1e6 * (unif() < 0.8 ? 3.0 : 50.0);

				seq.targets[i].mean = prev.mean + micros((unif() - 0.5) * 2.0 * spread);
				r = unif();
				seq.targets[i].stddev = r < 0.25 ? seq.min_stddev
					: r < 0.35 ? prev.stddev
					: micros(min_sd * (1.0 + 30.0 * unif()));
				if (seq.targets[i].stddev < seq.min_stddev)
					seq.targets[i].stddev = seq.min_stddev;
			}
		}
		seq.nx = 0;
		for (i = 0; i < seq.ntargets && seq.nx < DC_MAX_X - 5; i++)
			if (unif() < 0.5)
				seq.x[seq.nx++] = seq.targets[i].mean;	/* x* = mean */
		seq.x[seq.nx++] = seq.start.mean;
		/* 5 to 11 stddevs out, where exp's argument error dominates */
		seq.x[seq.nx++] = clamp_x(seq.targets[0].mean + (unif() < 0.5 ? 1 : -1) *
								  (int64_t) ((5.0 + 6.0 * unif()) * (double) seq.targets[0].stddev));
		seq.x[seq.nx++] = clamp_x(seq.start.mean + micros((unif() - 0.5) * 10.0 * sd));
		seq.x[seq.nx++] = clamp_x(seq.start.mean + (unif() < 0.5 ? 1 : -1) *
								  micros(sd * pow(10.0, 1.0 + 6.0 * unif())));	/* tails */
		{
			DistQuote	q;
			int64_t		k = dist_k(seq.backing, seq.min_stddev);

			if (k > 0 && dist_check_params(k, seq.backing, seq.min_stddev, seq.targets[0]) == DIST_OK &&
				dist_check_params(k, seq.backing, seq.min_stddev, seq.start) == DIST_OK)
			{
				dist_quote(k, seq.start, seq.targets[0], &q);
				seq.x[seq.nx++] = q.x_min;	/* the first trade's largest loss */
			}
		}
		why = dc_check(&seq, &stats);
		if (why)
		{
			if (!first)
				first = why;
			if (failures++ < 5)
				printf("# sequence %ld: %s (b %lld, min_sd %lld, start %lld/%lld)\n", s, why,
					   (long long) seq.backing, (long long) seq.min_stddev,
					   (long long) seq.start.mean, (long long) seq.start.stddev);
		}
	}
	CHECK(failures == 0, "%ld random sequences (%ld trades, %ld final values): every property holds%s%s",
		  sequences, stats.trades, stats.finals, first ? "; first failure: " : "", first ? first : "");
	CHECK(stats.trades > sequences, "the sequences trade (%ld trades)", stats.trades);
	return UNIT_DONE();
}
