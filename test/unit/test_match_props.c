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
#include "match_gen.h"
#include "unit.h"

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
