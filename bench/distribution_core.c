/*
 * distribution_core.c
 *	  Microseconds per trade of the distribution-market arithmetic alone
 *	  (src/distribution_math.c): the quote of a move from the market's
 *	  Normal to a random target (every critical point of g - f, the
 *	  collateral, the largest payout) and its payout at a random x*.
 *	  Usage: distribution_core [trades]   (default 100000)
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "distribution_math.h"

static uint64_t state = 0x9E3779B97F4A7C15u;

static double
unif(void)
{
	uint64_t	z = (state += 0x9E3779B97F4A7C15u);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return (double) ((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	long		n = argc > 1 ? atol(argv[1]) : 100000;
	int64_t		k = dist_k(100 * DIST_ONE, 5 * DIST_ONE);
	DistParams	f = {50 * DIST_ONE, 10 * DIST_ONE};
	int64_t		sink = 0;
	double		t0,
				t;
	long		i;

	t0 = now();
	for (i = 0; i < n; i++)
	{
		DistParams	g;
		DistQuote	q;

		g.mean = f.mean + (int64_t) ((unif() - 0.5) * 20.0 * DIST_ONE);
		g.stddev = 5 * DIST_ONE + (int64_t) (unif() * 15.0 * DIST_ONE);
		dist_quote(k, f, g, &q);
		sink += q.collateral + dist_payout(k, f, g, q.collateral,
										   g.mean + (int64_t) ((unif() - 0.5) * 40.0 * DIST_ONE));
		f = g;
	}
	t = now() - t0;
	printf("distribution arithmetic: %ld trades (quote, collateral, payout) in %.1f ms: %.2f us per trade (target < 1000 us) [%lld]\n",
		   n, t * 1000, t / n * 1e6, (long long) (sink % 10));
	return 0;
}
