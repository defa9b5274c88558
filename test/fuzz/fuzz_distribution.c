/*
 * fuzz_distribution.c
 *	  libFuzzer target of the distribution-market arithmetic
 *	  (src/distribution_math.c), beside fuzz_match.c.
 *
 * Decodes the input bytes into a trade sequence: backing, min_stddev,
 * start Normal, up to 16 targets and 16 final values, each drawn from the
 * bytes with a choice of scale (so the fuzzer reaches tiny and huge
 * stddevs, targets exactly at min_stddev, repeated parameters, means far
 * apart, final values at the means and in the tails), and checks every
 * property of test/unit/distribution_check.h; abort() on a violation.
 * Bytes past the end read as zero.  Built with -DFUZZ_MAIN it replays the
 * files named on its command line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "distribution_math.h"
#include "../unit/distribution_check.h"

typedef struct Reader
{
	const uint8_t *p;
	size_t		n;
	size_t		i;
} Reader;

static uint8_t
rd_u8(Reader *r)
{
	return r->i < r->n ? r->p[r->i++] : 0;
}

static uint32_t
rd_u32(Reader *r)
{
	uint32_t	v = 0;
	int			i;

	for (i = 0; i < 4; i++)
		v |= (uint32_t) rd_u8(r) << (8 * i);
	return v;
}

/* a positive amount from 1 micro-unit up to max, on a log-like scale */
static int64_t
rd_positive(Reader *r, int64_t max)
{
	int			shift = rd_u8(r) % 50;
	int64_t		v = (int64_t) (rd_u32(r) % 1000000) + 1;

	while (shift-- > 0 && v <= max / 2)
		v *= 2;
	return v > max ? max : v;
}

static int64_t
rd_signed(Reader *r, int64_t max)
{
	int64_t		v = rd_positive(r, max);

	return rd_u8(r) & 1 ? -v : v;
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Reader		r = {data, size, 0};
	DcSequence	seq;
	DistParams	cur;
	const char *why;
	int			i;

	memset(&seq, 0, sizeof(seq));
	seq.backing = rd_positive(&r, DIST_MAX_BACKING);
	seq.min_stddev = rd_positive(&r, DIST_MAX_X / 1000);
	seq.start.mean = rd_signed(&r, DIST_MAX_X / 2);
	seq.start.stddev = rd_u8(&r) & 1 ? seq.min_stddev : seq.min_stddev + rd_positive(&r, DIST_MAX_X / 1000);
	seq.ntargets = rd_u8(&r) % (DC_MAX_TRADES + 1);
	cur = seq.start;
	for (i = 0; i < seq.ntargets; i++)
	{
		uint8_t		how = rd_u8(&r);

		if (how % 8 == 0)
			seq.targets[i] = cur;
		else
		{
			seq.targets[i].mean = cur.mean + rd_signed(&r, DIST_MAX_X / 4);
			if (seq.targets[i].mean > DIST_MAX_X || seq.targets[i].mean < -DIST_MAX_X)
				seq.targets[i].mean = cur.mean;
			seq.targets[i].stddev = how & 8 ? seq.min_stddev
				: how & 16 ? cur.stddev : seq.min_stddev + rd_positive(&r, DIST_MAX_X / 1000);
		}
		cur = seq.targets[i];
	}
	seq.nx = 1 + rd_u8(&r) % DC_MAX_X;
	for (i = 0; i < seq.nx; i++)
	{
		uint8_t		how = rd_u8(&r);

		if (how % 4 == 0 && seq.ntargets > 0)
			seq.x[i] = seq.targets[how / 4 % seq.ntargets].mean;
		else if (how % 4 == 1)
			seq.x[i] = seq.start.mean;
		else
			seq.x[i] = rd_signed(&r, DIST_MAX_X);
	}
	why = dc_check(&seq, NULL);
	if (why)
	{
		fprintf(stderr, "fuzz_distribution: property violated: %s\n", why);
		abort();
	}
	return 0;
}

#ifdef FUZZ_MAIN
/* Replay inputs without libFuzzer: fuzz_distribution FILE... */
int
main(int argc, char **argv)
{
	int			i;

	for (i = 1; i < argc; i++)
	{
		FILE	   *f = fopen(argv[i], "rb");
		static uint8_t buf[1 << 16];
		size_t		len;

		if (f == NULL)
		{
			perror(argv[i]);
			return 2;
		}
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, len);
	}
	printf("%d inputs replayed, every property holds\n", argc - 1);
	return 0;
}
#endif
