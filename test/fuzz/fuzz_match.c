/*
 * fuzz_match.c
 *	  libFuzzer target of the matching core (src/match.c).
 *
 * Decodes the input bytes into a valid book (2..8 outcomes, up to 200
 * accounts with at most one order each, prices on the market's tick,
 * exact escrow, consistent holdings from simulated mints), runs
 * match_run and checks every property of test/unit/match_check.h;
 * abort() on any violation, after printing the book as C initializers.
 * Bytes past the end of the input read as zero, so short inputs are small
 * books.  See README.md for building and running it.
 *
 * Built with -DFUZZ_MAIN (and without -fsanitize=fuzzer) it is a plain
 * program that replays the files named on its command line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escrow.h"
#include "match.h"
#include "../unit/match_check.h"

#define ONE			ESCROW_ONE
#define MAX_ACCOUNTS 200
#define MAX_QTY		(INT64_C(1000000000) * ONE)	/* 1e9 contracts */

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

static uint16_t
rd_u16(Reader *r)
{
	uint16_t	v = rd_u8(r);

	return (uint16_t) (v | (uint16_t) rd_u8(r) << 8);
}

static uint32_t
rd_u32(Reader *r)
{
	uint32_t	v = rd_u16(r);

	return v | (uint32_t) rd_u16(r) << 16;
}

static uint64_t
rd_u64(Reader *r)
{
	uint64_t	v = rd_u32(r);

	return v | (uint64_t) rd_u32(r) << 32;
}

static int64_t
rd_quantity(Reader *r)
{
	switch (rd_u8(r) % 5)
	{
		case 0:
			return 1 + rd_u8(r) % 10;	/* micro dust */
		case 1:
			return (1 + rd_u16(r) % 1000) * ONE;	/* whole contracts */
		case 2:
			return 1 + (int64_t) rd_u32(r); /* odd, up to ~4295 */
		case 3:
			return 1 + (int64_t) (rd_u64(r) % (uint64_t) MAX_QTY);
		default:
			return (1 + rd_u8(r) % 20) * (ONE / 4);	/* quarter contracts */
	}
}

static int64_t
rd_price(Reader *r, int32_t n, int64_t tick)
{
	int64_t		levels = ONE / tick;

	switch (rd_u8(r) % 4)
	{
		case 0:
			return (1 + rd_u16(r) % levels) * tick;
		case 1:
			/* around 1/N, so synthetics and merges cross */
			return mc_round_tick(ONE / n + (int64_t) (int8_t) rd_u8(r) * tick, tick);
		case 2:
			switch (rd_u8(r) % 3)
			{
				case 0:
					return tick;
				case 1:
					return ONE;
				default:
					return ONE - tick > 0 ? ONE - tick : tick;
			}
		default:
			/* around 1/N at a coarser scale */
			return mc_round_tick(ONE / n + (int64_t) (int8_t) rd_u8(r) * (ONE / 1000), tick);
	}
}

static int64_t
rd_cash(Reader *r)
{
	switch (rd_u8(r) % 5)
	{
		case 0:
		case 1:
			return 0;
		case 2:
			return rd_u8(r);
		case 3:
			return (int64_t) rd_u32(r);
		default:
			return (int64_t) (rd_u64(r) % (UINT64_C(1000000000) * (uint64_t) ONE * 10));
	}
}

static void
decode_book(Reader *r, MatchBook *b, int64_t *initial)
{
	static const int64_t ticks[] = {100000, 10000, 1000, 100};
	int32_t		n = 2 + rd_u8(r) % 7;
	int32_t		nacc = 1 + rd_u8(r) % MAX_ACCOUNTS;
	int64_t		tick = ticks[rd_u8(r) % 4];
	int32_t		mints = rd_u8(r) % 8;
	int64_t		supply = 0;
	int32_t		owner[MAX_ACCOUNTS];
	int32_t		nord = 0;
	int32_t		i;
	int32_t		j;

	memset(b, 0, sizeof(*b));
	b->n_outcomes = n;
	b->n_accounts = nacc;
	b->accounts = mc_xmalloc(sizeof(MatchAccount) * (size_t) nacc);
	b->holdings = mc_xmalloc(sizeof(int64_t) * (size_t) nacc * (size_t) n);
	memset(b->holdings, 0, sizeof(int64_t) * (size_t) nacc * (size_t) n);
	b->orders = mc_xmalloc(sizeof(MatchOrder) * (size_t) nacc);

	/* prior mints, each outcome to some account, then complete sets redeemed */
	for (i = 0; i < mints; i++)
	{
		int64_t		x = rd_quantity(r);

		supply += x;
		for (j = 0; j < n; j++)
			b->holdings[(size_t) (rd_u8(r) % nacc) * (size_t) n + (size_t) j] += x;
	}
	supply -= mc_redeem_all(b);
	*initial = supply;

	for (i = 0; i < nacc; i++)
	{
		b->accounts[i].id = 1 + i;
		b->accounts[i].cash_delta = 0;
		b->accounts[i].order = -1;
	}

	/* orders, one per account at most, in an order the input chooses */
	for (i = 0; i < nacc; i++)
	{
		uint8_t		flags = rd_u8(r);
		MatchOrder *o;
		int64_t    *h = &b->holdings[(size_t) i * (size_t) n];

		b->accounts[i].free_cash = rd_cash(r);
		if ((flags & 3) == 0)
			continue;
		o = &b->orders[nord];
		memset(o, 0, sizeof(*o));
		o->id = (int64_t) rd_u8(r) * 1024 + i;	/* distinct: i < 1024 */
		o->account = i;
		o->is_buy = (flags & 4) != 0;
		o->outcome = rd_u8(r) % n;
		if (!o->is_buy && (flags & 8))
		{
			/* sell something held, if anything is */
			for (j = 0; j < n; j++)
				if (h[(o->outcome + j) % n] > 0)
				{
					o->outcome = (o->outcome + j) % n;
					break;
				}
		}
		o->price = rd_price(r, n, tick);
		o->quantity = rd_quantity(r);
		if (!o->is_buy && (flags & 16) && h[o->outcome] > 0)
			o->quantity = (flags & 32) ? h[o->outcome]
				: 1 + (int64_t) (rd_u64(r) % (uint64_t) h[o->outcome]);
		if (o->quantity > MAX_QTY)
			o->quantity = MAX_QTY;
		owner[nord++] = i;
	}

	/* shuffle the orders array with the input's bytes */
	for (i = nord - 1; i > 0; i--)
	{
		int32_t		k = rd_u8(r) % (i + 1);
		MatchOrder	t = b->orders[i];
		int32_t		a = owner[i];

		b->orders[i] = b->orders[k];
		b->orders[k] = t;
		owner[i] = owner[k];
		owner[k] = a;
	}
	for (i = 0; i < nord; i++)
		b->accounts[owner[i]].order = i;
	b->n_orders = nord;

	/*
	 * Fee rates last (an input too short for them has none, as the corpus
	 * made before fees), then each order's exact escrow, fee included.
	 */
	{
		uint8_t		fees = rd_u8(r);

		if (fees & 1)
			b->fee_bps = (fees & 2) ? rd_u16(r) % 10001 : rd_u8(r) * 2;
		if (fees & 4)
			b->creator_fee_bps = (int32_t) ((fees & 8) ? rd_u16(r) : rd_u8(r))
				% (10001 - b->fee_bps);
		/* the allocation rule: bit 4 picks price-time */
		b->allocation = (fees & 16) ? MATCH_PRICE_TIME : MATCH_PRO_RATA;
	}
	for (i = 0; i < nord; i++)
	{
		MatchOrder *o = &b->orders[i];

		o->escrow = escrow_of(o->is_buy, o->quantity, o->price,
							  b->holdings[(size_t) o->account * (size_t) n + (size_t) o->outcome],
							  b->fee_bps + b->creator_fee_bps);
	}
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Reader		r = {data, size, 0};
	MatchBook	b;
	int64_t		initial;
	int			rc;

	decode_book(&r, &b, &initial);
	rc = mc_run_and_check(&b, initial);
	if (rc != MC_OK)
	{
		fprintf(stderr, "fuzz_match: property violated (code %d)\n", rc);
		abort();
	}
	mc_free_book(&b);
	return 0;
}

#ifdef FUZZ_MAIN
/* Replay inputs without libFuzzer: fuzz_match FILE... */
int
main(int argc, char **argv)
{
	int			i;

	for (i = 1; i < argc; i++)
	{
		FILE	   *f = fopen(argv[i], "rb");
		uint8_t    *buf;
		long		len;

		if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0)
		{
			perror(argv[i]);
			return 2;
		}
		rewind(f);
		buf = mc_xmalloc((size_t) len + 1);
		if (fread(buf, 1, (size_t) len, f) != (size_t) len)
		{
			perror(argv[i]);
			return 2;
		}
		fclose(f);
		LLVMFuzzerTestOneInput(buf, (size_t) len);
		free(buf);
	}
	printf("%d inputs replayed, every property holds\n", argc - 1);
	return 0;
}
#endif
