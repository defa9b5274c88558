/*
 * core_bench.c
 *	  Nanoseconds per order of the pure matching core (src/match.c) on a
 *	  large crossing book: a binary market whose bids and asks overlap over
 *	  twenty price levels, so almost every order fills, in many rounds.
 *	  It runs twice: on the book in random order (the core sorts it), and
 *	  on the book sorted as execute() loads it (the core only checks).
 *	  Usage: core_bench [orders]   (default 1000000)
 */
#define _POSIX_C_SOURCE 199309L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escrow.h"
#include "match.h"

static uint64_t state = 0x9E3779B97F4A7C15u;

static uint64_t
next(void)
{
	uint64_t	z = (state += 0x9E3779B97F4A7C15u);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
book_order(const void *a, const void *b)
{
	const MatchOrder *x = a;
	const MatchOrder *y = b;
	int64_t		kx = x->is_buy ? -x->price : x->price;
	int64_t		ky = y->is_buy ? -y->price : y->price;

	if (x->is_buy != y->is_buy)
		return x->is_buy ? -1 : 1;
	if (kx != ky)
		return kx < ky ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void
run(int n, bool sorted)
{
	MatchBook	b;
	int			i;
	double		t0,
				t1;

	state = 0x9E3779B97F4A7C15u;

	memset(&b, 0, sizeof(b));
	b.n_outcomes = 2;
	b.n_orders = n;
	b.n_accounts = n;
	b.orders = calloc(n, sizeof(MatchOrder));
	b.accounts = calloc(n, sizeof(MatchAccount));
	b.holdings = calloc((size_t) n * 2, sizeof(int64_t));
	for (i = 0; i < n; i++)
	{
		MatchOrder *o = &b.orders[i];
		int			buy = i % 2 == 0;

		o->id = i + 1;
		o->account = i;
		o->outcome = 0;
		o->is_buy = buy;
		/* bids 0.50-0.69, asks 0.31-0.50 */
		o->price = buy ? 500000 + (int64_t) (next() % 20) * 10000
			: 310000 + (int64_t) (next() % 20) * 10000;
		o->quantity = (int64_t) (1 + next() % 100) * 1000000;
		o->escrow = escrow_of(buy, o->quantity, o->price, 0, 0);
		b.accounts[i].id = i + 1;
		b.accounts[i].order = i;
		b.accounts[i].free_cash = (int64_t) (next() % 3) * 1000000;
	}
	if (sorted)
	{
		/* as execute() loads it: book order, account i owning order i */
		MatchAccount *accounts = calloc(n, sizeof(MatchAccount));

		qsort(b.orders, (size_t) n, sizeof(MatchOrder), book_order);
		for (i = 0; i < n; i++)
		{
			accounts[i] = b.accounts[b.orders[i].account];
			accounts[i].order = i;
			b.orders[i].account = i;
		}
		free(b.accounts);
		b.accounts = accounts;
	}

	t0 = now();
	match_run(&b);
	t1 = now();

	printf("core, %s: %d orders, %d executions, %d fills in %.3f s: %.0f ns per order\n",
		   sorted ? "book loaded sorted" : "book in random order", n,
		   b.n_executions, b.n_fills, t1 - t0, (t1 - t0) * 1e9 / n);
	match_free_output(&b);
	free(b.orders);
	free(b.accounts);
	free(b.holdings);
}

int
main(int argc, char **argv)
{
	int			n = argc > 1 ? atoi(argv[1]) : 1000000;

	run(n, false);
	run(n, true);
	return 0;
}
