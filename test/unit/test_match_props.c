/*
 * test_match_props.c
 *	  Randomized property test of the matching core (src/match.c).
 *
 * Generates many random books (default 20000, argv[1] overrides; argv[2]
 * overrides the seed) from a fixed seed, runs match_run on each and checks
 * every property of match_check.h.  Also runs a few hand-built edge books
 * with exact expected results.  Output is TAP.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escrow.h"
#include "match.h"
#include "match_check.h"
#include "unit.h"

#define ONE ESCROW_ONE

/* ---------- a small deterministic PRNG: splitmix64 ---------- */

static uint64_t rng_state;

static uint64_t
rng_next(void)
{
	uint64_t	z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* uniform in [0, n), n > 0 (the modulo bias is irrelevant here) */
static int64_t
below(int64_t n)
{
	return (int64_t) (rng_next() % (uint64_t) n);
}

/* true with probability pct / 100 */
static int
chance(int pct)
{
	return below(100) < pct;
}

/* ---------- the generator ---------- */

static const int64_t ticks[] = {100000, 10000, 1000, 100};

static int64_t
gen_quantity(void)
{
	switch (below(20))
	{
		case 0:
		case 1:
		case 2:
		case 3:
		case 4:
			return 1 + below(10);	/* micro dust */
		case 5:
		case 6:
		case 7:
		case 8:
		case 9:
		case 10:
		case 11:
			return (1 + below(1000)) * ONE; /* whole contracts */
		case 12:
		case 13:
			return (1 + below(20)) * ONE;	/* few whole contracts: equal sizes */
		case 14:
		case 15:
		case 16:
			return 1 + below(1000 * ONE);	/* odd */
		case 17:
			return 1 + below(1000);
		case 18:
			return (1 + below(1000000)) * ONE + below(ONE);	/* large, odd */
		default:
			return chance(50) ? INT64_C(1000000000) * ONE	/* the limit */
				: 1 + below(INT64_C(1000000000) * ONE);
	}
}

/*
 * Prices concentrate around 1/N for both sides, so synthetic matches
 * (bids summing to >= 1), merges (asks summing to <= 1) and directs (a
 * bid and an ask of one outcome overlapping) all happen often.
 */
static int64_t
gen_price(int32_t n, int64_t tick)
{
	int64_t		levels = ONE / tick;
	int64_t		center = ONE / n;
	int64_t		spread;

	switch (below(10))
	{
		case 0:
		case 1:
			return (1 + below(levels)) * tick;
		case 2:
			switch (below(3))
			{
				case 0:
					return tick;
				case 1:
					return ONE;
				default:
					return ONE - tick > 0 ? ONE - tick : tick;
			}
		case 3:
			return mc_round_tick(center, tick);
		default:
			spread = center / 3;
			return mc_round_tick(center - spread + below(2 * spread + 1), tick);
	}
}

static int64_t
gen_cash(void)
{
	switch (below(10))
	{
		case 0:
		case 1:
		case 2:
		case 3:
		case 4:
			return 0;			/* no slack: exercises trimming */
		case 5:
			return 1 + below(10);
		case 6:
		case 7:
			return below(1000 * ONE);
		case 8:
			return below(1000000 * ONE);
		default:
			return below(INT64_C(1000000000) * ONE);
	}
}

/*
 * Build a random book.  Holdings come from simulated mints (x of every
 * outcome, each to a random account) with every account's complete sets
 * redeemed afterwards, so every outcome has the same supply, returned in
 * *initial.  Each account has at most one order; its escrow is exact and
 * its free cash is what is left after escrow.
 */
static void
gen_book(MatchBook *b, int64_t *initial)
{
	int32_t		n = (int32_t) (2 + below(5));
	int32_t		nacc = (int32_t) (1 + below(60));
	int64_t		tick = ticks[below(4)];
	int32_t		pct_order = chance(20) ? 100 : (int32_t) (40 + below(61));
	int64_t		supply = 0;
	int32_t		mints = (int32_t) below(6);
	int32_t    *owner;
	int64_t    *ids;
	int32_t		nord = 0;
	int32_t		i;
	int32_t		j;

	memset(b, 0, sizeof(*b));
	b->n_outcomes = n;
	b->n_accounts = nacc;
	/* fees in most books: small rates mostly, any rate sometimes */
	if (chance(65))
	{
		b->fee_bps = (int32_t) (chance(15) ? below(10001) : below(301));
		if (chance(60))
			b->creator_fee_bps = (int32_t) (chance(15) ? below(10001 - b->fee_bps)
											: below(101));
	}
	/* either allocation rule, half the books each */
	b->allocation = chance(50) ? MATCH_PRICE_TIME : MATCH_PRO_RATA;
	b->accounts = mc_xmalloc(sizeof(MatchAccount) * (size_t) nacc);
	b->holdings = mc_xmalloc(sizeof(int64_t) * (size_t) nacc * (size_t) n);
	memset(b->holdings, 0, sizeof(int64_t) * (size_t) nacc * (size_t) n);

	/* prior mints, then every account's complete sets redeemed */
	for (i = 0; i < mints; i++)
	{
		int64_t		x = gen_quantity();

		if (x > 100000 * ONE)
			x = 1 + below(100000 * ONE);
		supply += x;
		for (j = 0; j < n; j++)
			b->holdings[below(nacc) * n + j] += x;
	}
	supply -= mc_redeem_all(b);
	*initial = supply;

	/* which accounts have an order, in a random order of the orders array */
	owner = mc_xmalloc(sizeof(int32_t) * (size_t) nacc);
	for (i = 0; i < nacc; i++)
	{
		b->accounts[i].id = 1000 + i;
		b->accounts[i].cash_delta = 0;
		b->accounts[i].order = -1;
		if (chance(pct_order))
			owner[nord++] = i;
	}
	for (i = nord - 1; i > 0; i--)
	{
		int32_t		k = (int32_t) below(i + 1);
		int32_t		t = owner[i];

		owner[i] = owner[k];
		owner[k] = t;
	}
	/* distinct ids, random relative to the array index */
	ids = mc_xmalloc(sizeof(int64_t) * (size_t) (nord + 1));
	for (i = 0; i < nord; i++)
		ids[i] = 1 + i * 3 + below(3);
	for (i = nord - 1; i > 0; i--)
	{
		int32_t		k = (int32_t) below(i + 1);
		int64_t		t = ids[i];

		ids[i] = ids[k];
		ids[k] = t;
	}

	b->n_orders = nord;
	b->orders = mc_xmalloc(sizeof(MatchOrder) * (size_t) (nord + 1));
	for (i = 0; i < nord; i++)
	{
		MatchOrder *o = &b->orders[i];
		int32_t		a = owner[i];
		int64_t    *h = &b->holdings[(size_t) a * (size_t) n];

		memset(o, 0, sizeof(*o));
		o->id = ids[i];
		o->account = a;
		o->is_buy = chance(50);
		o->outcome = (int32_t) below(n);
		if (!o->is_buy && chance(60))
		{
			/* a seller of something it holds, if it holds anything */
			int32_t		start = (int32_t) below(n);

			for (j = 0; j < n; j++)
				if (h[(start + j) % n] > 0)
				{
					o->outcome = (start + j) % n;
					break;
				}
		}
		o->price = gen_price(n, tick);
		o->quantity = gen_quantity();
		if (!o->is_buy && h[o->outcome] > 0)
		{
			switch (below(4))
			{
				case 0:
					o->quantity = h[o->outcome];	/* exactly covered */
					break;
				case 1:
					o->quantity = 1 + below(h[o->outcome]);	/* covered */
					break;
				default:
					break;
			}
		}
		o->escrow = escrow_of(o->is_buy, o->quantity, o->price, h[o->outcome],
							  b->fee_bps + b->creator_fee_bps);
		b->accounts[a].order = i;
	}
	for (i = 0; i < nacc; i++)
		b->accounts[i].free_cash = gen_cash();
	free(owner);
	free(ids);
}

/* ---------- hand-built books ---------- */

static void
load_book(MatchBook *b, int32_t n, const MatchOrder *orders, int32_t norders,
		  const MatchAccount *accounts, int32_t naccounts, const int64_t *holdings)
{
	memset(b, 0, sizeof(*b));
	b->n_outcomes = n;
	b->n_orders = norders;
	b->n_accounts = naccounts;
	b->orders = mc_xmalloc(sizeof(MatchOrder) * (size_t) norders);
	memcpy(b->orders, orders, sizeof(MatchOrder) * (size_t) norders);
	b->accounts = mc_xmalloc(sizeof(MatchAccount) * (size_t) naccounts);
	memcpy(b->accounts, accounts, sizeof(MatchAccount) * (size_t) naccounts);
	b->holdings = mc_xmalloc(sizeof(int64_t) * (size_t) naccounts * (size_t) n);
	if (holdings)
		memcpy(b->holdings, holdings, sizeof(int64_t) * (size_t) naccounts * (size_t) n);
	else
		memset(b->holdings, 0, sizeof(int64_t) * (size_t) naccounts * (size_t) n);
}

static void
edge_books(void)
{
	MatchBook	b;
	int			rc;

	/* N = 3, bids sum to 0.9, asks to 1.5, no bid reaches an ask */
	{
		static const MatchOrder o[] = {
			{1, 0, 0, true, 300000, 10 * ONE, 3 * ONE, 0, 0},
			{2, 1, 1, true, 300000, 10 * ONE, 3 * ONE, 0, 0},
			{3, 2, 2, true, 300000, 10 * ONE, 3 * ONE, 0, 0},
			{4, 3, 0, false, 500000, 10 * ONE, 5 * ONE, 0, 0},
			{5, 4, 1, false, 500000, 10 * ONE, 5 * ONE, 0, 0},
			{6, 5, 2, false, 500000, 10 * ONE, 5 * ONE, 0, 0},
		};
		static const MatchAccount a[] = {
			{10, 0, 0, 0}, {11, 0, 0, 1}, {12, 0, 0, 2},
			{13, 0, 0, 3}, {14, 0, 0, 4}, {15, 0, 0, 5},
		};

		load_book(&b, 3, o, 6, a, 6, NULL);
		rc = mc_run_and_check(&b, 0);
		CHECK(rc == 0 && b.n_executions == 0 && b.n_fills == 0 &&
			  b.collateral_delta == 0 && b.orders[0].quantity == 10 * ONE,
			  "edge: a book where nothing crosses makes no execution and changes nothing");
		mc_free_book(&b);
	}

	/*
	 * N = 2 merge of two holders: account 0 sells its 1.0 of outcome 0 at
	 * 0.40, account 1 its 1.0 of outcome 1 at 0.50.  Asks sum to 0.90: S =
	 * 0.60 + 0.50 = 1.10, each pays bid / 1.10, then both redeem a set.
	 */
	{
		static const MatchOrder o[] = {
			{1, 0, 0, false, 400000, ONE, 0, 0, 0},
			{2, 1, 1, false, 500000, ONE, 0, 0, 0},
		};
		static const MatchAccount a[] = {{10, 0, 0, 0}, {11, 0, 0, 1}};
		static const int64_t h[] = {ONE, 0, 0, ONE};

		load_book(&b, 2, o, 2, a, 2, h);
		rc = mc_run_and_check(&b, ONE);
		CHECK(rc == 0 && b.n_executions == 1 && b.executions[0].kind == MATCH_MERGE &&
			  b.executions[0].sets == 1 && b.executions[0].quantity == ONE &&
			  b.executions[0].bids == 1100000,
			  "edge: N=2 merge of two held contracts, K=1, S=1.10");
		CHECK(rc == 0 && b.n_fills == 2 && b.fills[0].paid == 545455 && b.fills[1].paid == 454545 &&
			  b.n_redemptions == 2 && b.accounts[0].free_cash == 454545 &&
			  b.accounts[1].free_cash == 545455 && b.collateral_delta == -ONE &&
			  b.holdings[0] == 0 && b.holdings[1] == 0 && b.holdings[2] == 0 && b.holdings[3] == 0,
			  "edge: the merge pays 0.545455 + 0.454545 (largest remainder), both redeem, supply goes to 0");
		mc_free_book(&b);
	}

	/*
	 * Zero-surplus direct with odd micro quantities: buy 7 micro of
	 * outcome 0 at 0.3333, naked sell of 5 micro at 0.3333.  S = 1: the
	 * buyer pays 1.6665 -> 2 (larger remainder), the seller 3.3335 -> 3.
	 */
	{
		static const MatchOrder o[] = {
			{1, 0, 0, true, 333300, 7, 3, 0, 0},
			{2, 1, 0, false, 333300, 5, 4, 0, 0},
		};
		static const MatchAccount a[] = {{10, 0, 0, 0}, {11, 0, 0, 1}};

		load_book(&b, 2, o, 2, a, 2, NULL);
		rc = mc_run_and_check(&b, 0);
		CHECK(rc == 0 && b.n_executions == 1 && b.executions[0].kind == MATCH_DIRECT &&
			  b.executions[0].quantity == 5 && b.executions[0].bids == ONE &&
			  b.n_fills == 2 && b.fills[0].paid + b.fills[1].paid == 5,
			  "edge: zero-surplus direct of 5 micro-contracts at 0.3333 pays exactly 5 micro");
		CHECK(rc == 0 && b.orders[0].quantity == 2 && b.orders[0].escrow == 1 &&
			  b.orders[0].trimmed == 0 && b.accounts[0].free_cash == 0 &&
			  b.orders[1].quantity == 0 && b.accounts[1].free_cash == 1,
			  "edge: buyer keeps 2 micro with escrow 1, seller gets a micro-unit back");
		mc_free_book(&b);
	}

	/*
	 * Trim: buy 2 micro at 0.5 (escrow 1), sell 1 micro at 0.5, no free
	 * cash.  The buyer (lower id) wins the tie and pays 1, but its last
	 * micro-contract still needs escrow 1: it is trimmed.
	 */
	{
		static const MatchOrder o[] = {
			{1, 0, 0, true, 500000, 2, 1, 0, 0},
			{2, 1, 0, false, 500000, 1, 1, 0, 0},
		};
		static const MatchAccount a[] = {{10, 0, 0, 0}, {11, 0, 0, 1}};

		load_book(&b, 2, o, 2, a, 2, NULL);
		rc = mc_run_and_check(&b, 0);
		CHECK(rc == 0 && b.n_executions == 1 && b.fills[0].order == 0 && b.fills[0].paid == 1 &&
			  b.orders[0].trimmed == 1 && b.orders[0].quantity == 0 && b.orders[0].escrow == 0 &&
			  b.accounts[0].free_cash == 0 && b.accounts[1].free_cash == 1,
			  "edge: a buyer with no free cash has its last micro-contract trimmed");
		mc_free_book(&b);
	}

	/* N = 3 triangle: buys 0.40 + 0.35 + 0.30 = 1.05 */
	{
		static const MatchOrder o[] = {
			{3, 0, 0, true, 400000, 10 * ONE, 4 * ONE, 0, 0},
			{1, 1, 1, true, 350000, 5 * ONE, 1750000, 0, 0},
			{2, 2, 2, true, 300000, 8 * ONE, 2400000, 0, 0},
		};
		static const MatchAccount a[] = {{10, 0, 0, 0}, {11, 0, 0, 1}, {12, 0, 0, 2}};

		load_book(&b, 3, o, 3, a, 3, NULL);
		rc = mc_run_and_check(&b, 0);
		CHECK(rc == 0 && b.n_executions == 1 && b.executions[0].kind == MATCH_SYNTHETIC &&
			  b.executions[0].quantity == 5 * ONE && b.executions[0].bids == 1050000 &&
			  b.collateral_delta == 5 * ONE && b.orders[1].quantity == 0 &&
			  b.orders[0].quantity == 5 * ONE && b.orders[2].quantity == 3 * ONE,
			  "edge: N=3 synthetic triangle mints 5 sets");
		mc_free_book(&b);
	}
}

int
main(int argc, char **argv)
{
	long		nbooks = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
	uint64_t	seed = argc > 2 ? strtoull(argv[2], NULL, 10) : UINT64_C(20240601);
	long		failures = 0;
	long		books_crossing = 0;
	long		consistent_supply = 0;
	long		executions = 0;
	long		fills = 0;
	long		redemptions = 0;
	long		kinds[3] = {0, 0, 0};
	long		merges_n3 = 0;
	long		trimmed_orders = 0;
	long		trimmed_books = 0;
	long		partial_levels = 0;
	long		multi_round = 0;
	long		max_exec = 0;
	long		i;
	clock_t		t0;
	double		secs;

	if (nbooks <= 0)
		nbooks = 20000;
	rng_state = seed;
	printf("# seed %llu, %ld random books\n", (unsigned long long) seed, nbooks);

	edge_books();

	t0 = clock();
	for (i = 0; i < nbooks; i++)
	{
		MatchBook	b;
		int64_t		initial;
		int			rc;
		int32_t		j;
		long		trims = 0;

		gen_book(&b, &initial);
		if (initial >= 0)
			consistent_supply++;
		rc = mc_run_and_check(&b, initial);
		if (rc != 0)
		{
			failures++;
			fprintf(stderr, "# book %ld (seed %llu) violates property code %d\n",
					i, (unsigned long long) seed, rc);
			if (failures >= 5)
			{
				mc_free_book(&b);
				break;
			}
		}
		if (b.n_executions > 0)
			books_crossing++;
		if (b.n_executions > 1)
			multi_round++;
		if (b.n_executions > max_exec)
			max_exec = b.n_executions;
		executions += b.n_executions;
		fills += b.n_fills;
		redemptions += b.n_redemptions;
		for (j = 0; j < b.n_executions; j++)
		{
			kinds[b.executions[j].kind]++;
			if (b.executions[j].kind == MATCH_MERGE && b.n_outcomes >= 3)
				merges_n3++;
		}
		for (j = 0; j < b.n_orders; j++)
		{
			if (b.orders[j].trimmed > 0)
				trims++;
			if (b.orders[j].filled > 0 && b.orders[j].quantity > 0)
				partial_levels++;
		}
		trimmed_orders += trims;
		if (trims > 0)
			trimmed_books++;
		mc_free_book(&b);
	}
	secs = (double) (clock() - t0) / CLOCKS_PER_SEC;

	printf("# %.2f s for %ld books (each run twice and checked)\n", secs, i);
	printf("# books with executions %ld, with several %ld, most in one book %ld\n",
		   books_crossing, multi_round, max_exec);
	printf("# executions %ld: direct %ld, synthetic %ld, merge %ld (%ld with N >= 3)\n",
		   executions, kinds[MATCH_DIRECT], kinds[MATCH_SYNTHETIC], kinds[MATCH_MERGE], merges_n3);
	printf("# fills %ld, redemptions %ld, partially filled orders %ld\n",
		   fills, redemptions, partial_levels);
	printf("# trimmed orders %ld in %ld books\n", trimmed_orders, trimmed_books);

	CHECK(failures == 0 && i == nbooks, "%ld random books: every property holds", nbooks);
	CHECK(consistent_supply == i, "every random book starts with a consistent supply");
	CHECK(books_crossing > i / 4, "the generator makes crossing books (%ld of %ld)", books_crossing, i);
	CHECK(kinds[MATCH_DIRECT] > 0, "direct matches occurred (%ld)", kinds[MATCH_DIRECT]);
	CHECK(kinds[MATCH_SYNTHETIC] > 0, "synthetic matches occurred (%ld)", kinds[MATCH_SYNTHETIC]);
	CHECK(kinds[MATCH_MERGE] > 0, "merges occurred (%ld)", kinds[MATCH_MERGE]);
	CHECK(merges_n3 > 0, "merges with N >= 3 (K >= 2) occurred (%ld)", merges_n3);
	CHECK(trimmed_orders > 0, "trimming occurred (%ld orders)", trimmed_orders);
	CHECK(redemptions > 0, "redemptions occurred (%ld)", redemptions);
	CHECK(partial_levels > 0, "partial fills occurred (%ld)", partial_levels);

	return UNIT_DONE();
}
