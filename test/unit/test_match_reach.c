/*
 * test_match_reach.c
 *	  Property test of incremental matching (SPEC 7a, src/match_reach.c):
 *	  the auction run on the part of the book a new order can reach gives
 *	  the full auction's result, to the micro-unit, fees included.
 *
 * Each case: a random book (match_gen.h; one in ten deep, with many dust
 * trims) run through the full auction so that it no longer crosses; some
 * of its orders expired (quantity 0, as the loader gives them); then one
 * new order X, from an account with no order or, one time in four,
 * replacing its account's order (out of the book, still in the best
 * prices, skipped by the windows, as auction_load.c does).  The full auction runs on the whole book plus X; the incremental
 * one on what match_reach() and the window take, with phantom orders
 * where a side goes on, loading deeper whenever a phantom fills, as
 * auction_load.c does.  The two must agree on every execution, fill,
 * redemption, order and account.  Default 20000 cases; argv[1] overrides,
 * argv[2] overrides the seed.  Output is TAP.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escrow.h"
#include "match.h"
#include "match_check.h"
#include "match_gen.h"
#include "match_reach.h"
#include "unit.h"

/*
 * The resting book: what the full auction left, outputs cleared and the
 * orders it closed (filled, trimmed away) removed; then some expired
 * (quantity 0, as the loaders give them).
 */
static void
rest(MatchBook *b)
{
	int32_t		i,
				k = 0;

	match_free_output(b);
	for (i = 0; i < b->n_accounts; i++)
	{
		b->accounts[i].cash_delta = 0;
		b->accounts[i].order = -1;
	}
	for (i = 0; i < b->n_orders; i++)
	{
		MatchOrder	o = b->orders[i];

		if (o.quantity == 0)
			continue;
		o.filled = 0;
		o.trimmed = 0;
		if (chance(8))
			o.quantity = 0;
		b->orders[k] = o;
		b->accounts[o.account].order = k++;
	}
	b->n_orders = k;
	b->collateral_delta = b->fees = b->creator_fees = 0;
	b->overflow = false;
}

/*
 * Add X to b (whose arrays have room for one more order): owned by an
 * account with no order, or by a new account if every one has one.
 * Returns false if X's escrow cannot be covered.
 */
static int	has_old;
static MatchOrder old_order;

static bool
add_order(MatchBook *b, int64_t tick)
{
	int32_t		n = b->n_outcomes;
	int32_t		owner = -1;
	int32_t		i;
	MatchOrder *x = &b->orders[b->n_orders];
	int64_t		held;

	has_old = 0;
	if (b->n_orders > 0 && chance(25))
	{
		int32_t		oi = (int32_t) below(b->n_orders);

		owner = b->orders[oi].account;
		old_order = b->orders[oi];
		has_old = 1;
		/* remove it from the book (the full auction sees it cancelled) */
		b->orders[oi] = b->orders[b->n_orders - 1];
		b->accounts[b->orders[oi].account].order = oi;
		b->n_orders--;
		b->accounts[owner].order = -1;
		x = &b->orders[b->n_orders];
	}
	else
	for (i = 0; i < b->n_accounts; i++)
		if (b->accounts[i].order < 0 && (owner < 0 || chance(30)))
			owner = i;
	if (owner < 0)
	{
		owner = b->n_accounts++;
		b->accounts[owner].id = 1000 + owner;
		b->accounts[owner].free_cash = 0;
		b->accounts[owner].cash_delta = 0;
		memset(&b->holdings[(size_t) owner * n], 0, sizeof(int64_t) * (size_t) n);
	}
	memset(x, 0, sizeof(*x));
	x->id = 1000000;			/* newer than every resting order */
	x->account = owner;
	x->is_buy = chance(50);
	x->outcome = (int32_t) below(n);
	x->price = gen_price(n, tick);
	x->quantity = gen_quantity();
	held = b->holdings[(size_t) owner * n + x->outcome];
	if (!x->is_buy && held > 0 && chance(50))
		x->quantity = 1 + below(held);
	x->escrow = escrow_of(x->is_buy, x->quantity, x->price, held,
						  b->fee_bps + b->creator_fee_bps);
	/* free cash after its escrow: none, a little, or plenty */
	b->accounts[owner].free_cash = chance(40) ? 0 : gen_cash();
	b->accounts[owner].order = b->n_orders++;
	return true;
}

/* book order within a side: best price first, then the older order */
static const MatchBook *sort_book;

static int
cmp_book_order(const void *a, const void *b)
{
	const MatchOrder *x = &sort_book->orders[*(const int32_t *) a];
	const MatchOrder *y = &sort_book->orders[*(const int32_t *) b];
	int64_t		kx = x->is_buy ? -x->price : x->price;
	int64_t		ky = y->is_buy ? -y->price : y->price;

	if (kx != ky)
		return kx < ky ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

typedef struct Stats
{
	long		crossing;
	long		phantoms;
	long		deeper;
	long		loaded;
	long		resting;
} Stats;

/*
 * The incremental auction: build the reach of X (order index xi of full,
 * which is the whole book plus X, unrun) into sub and run it, loading
 * deeper while a phantom fills.  sub_index[k] is full's index of sub's
 * order k (-1 for a phantom).
 */
static void
run_incremental(const MatchBook *full, int32_t xi, MatchBook *sub, int32_t *sub_index,
				Stats *st)
{
	int32_t		n = full->n_outcomes;
	const MatchOrder *x = &full->orders[xi];
	int64_t    *best_bid = mc_xmalloc(sizeof(int64_t) * (size_t) n);
	int64_t    *best_ask = mc_xmalloc(sizeof(int64_t) * (size_t) n);
	MatchReachSide *sides = mc_xmalloc(sizeof(MatchReachSide) * (size_t) n);
	int32_t    *side_orders = mc_xmalloc(sizeof(int32_t) * (size_t) (full->n_orders + 1));
	int32_t		nsides;
	/* X's quantity, as auction_load.c starts; a quarter start shallower, so
	 * that phantoms fill and the deeper loads are exercised */
	int64_t		target = chance(25) && x->quantity > 1 ? 1 + below(x->quantity - 1) : x->quantity;
	int32_t		i,
				j,
				s;

	/* best prices of the resting book; expired orders count, as in SQL */
	for (j = 0; j < n; j++)
		best_bid[j] = best_ask[j] = MATCH_NO_PRICE;
	for (i = 0; i < full->n_orders; i++)
	{
		const MatchOrder *o = &full->orders[i];

		if (i == xi)
			continue;
		if (o->is_buy && (best_bid[o->outcome] == MATCH_NO_PRICE || o->price > best_bid[o->outcome]))
			best_bid[o->outcome] = o->price;
		if (!o->is_buy && (best_ask[o->outcome] == MATCH_NO_PRICE || o->price < best_ask[o->outcome]))
			best_ask[o->outcome] = o->price;
	}
	if (has_old)
	{
		const MatchOrder *o = &old_order;

		if (o->is_buy && (best_bid[o->outcome] == MATCH_NO_PRICE || o->price > best_bid[o->outcome]))
			best_bid[o->outcome] = o->price;
		if (!o->is_buy && (best_ask[o->outcome] == MATCH_NO_PRICE || o->price < best_ask[o->outcome]))
			best_ask[o->outcome] = o->price;
	}
	nsides = match_reach(n, x->outcome, x->is_buy, x->price, best_bid, best_ask, sides);

	for (;;)
	{
		int32_t		nord = 0;
		int32_t		nacc = 0;
		int32_t		nphantom = 0;

		memset(sub, 0, sizeof(*sub));
		sub->n_outcomes = n;
		sub->fee_bps = full->fee_bps;
		sub->creator_fee_bps = full->creator_fee_bps;
		sub->allocation = full->allocation;
		sub->orders = mc_xmalloc(sizeof(MatchOrder) * (size_t) (full->n_orders + 2 * n + 1));
		sub->accounts = mc_xmalloc(sizeof(MatchAccount) * (size_t) (full->n_orders + 2 * n + 1));
		sub->holdings = mc_xmalloc(sizeof(int64_t) * (size_t) (full->n_orders + 2 * n + 1) * n);

		/* X first, then each reached side's window */
		for (s = -1; s < nsides; s++)
		{
			int32_t		count = 0;
			int32_t		k;
			MatchWindow w;

			if (s < 0)
			{
				side_orders[count++] = xi;
				k = 0;
			}
			else
			{
				for (i = 0; i < full->n_orders; i++)
				{
					const MatchOrder *o = &full->orders[i];

					if (i != xi && o->outcome == sides[s].outcome && o->is_buy == sides[s].is_buy &&
						match_reach_within(&sides[s], o->price))
						side_orders[count++] = i;
				}
				sort_book = full;
				qsort(side_orders, (size_t) count, sizeof(int32_t), cmp_book_order);
			}
			match_window_init(&w, target, full->allocation);
			for (k = 0; k < count; k++)
			{
				const MatchOrder *o = &full->orders[side_orders[k]];
				int32_t		a = o->account;

				if (s >= 0 && !match_window_wants(&w, o->price))
					break;
				match_window_take(&w, o->price, o->quantity);
				sub->orders[nord] = *o;
				sub->orders[nord].account = nacc;
				sub->accounts[nacc] = full->accounts[a];
				sub->accounts[nacc].order = nord;
				memcpy(&sub->holdings[(size_t) nacc * n], &full->holdings[(size_t) a * n],
					   sizeof(int64_t) * (size_t) n);
				sub_index[nord] = side_orders[k];
				nord++;
				nacc++;
			}
			if (s >= 0 && k < count)
			{
				/* the side goes on within its bound: a phantom there */
				match_phantom_order(&sub->orders[nord], &sides[s], full->orders[side_orders[k]].price,
									nacc, nphantom, full->fee_bps + full->creator_fee_bps);
				match_phantom_account(&sub->accounts[nacc], nord, nphantom);
				memset(&sub->holdings[(size_t) nacc * n], 0, sizeof(int64_t) * (size_t) n);
				sub_index[nord] = -1;
				nord++;
				nacc++;
				nphantom++;
			}
		}
		sub->n_orders = nord;
		sub->n_accounts = nacc;
		match_run(sub);
		st->loaded += nord;
		if (nphantom > 0)
			st->phantoms++;
		if (!match_phantom_filled(sub))
			break;
		st->deeper++;
		mc_free_book(sub);
		target = target > INT64_MAX / 4 ? INT64_MAX : target * 4;
	}
	free(best_bid);
	free(best_ask);
	free(sides);
	free(side_orders);
}

static int
cmp_fill(const void *a, const void *b)
{
	const int64_t *x = a;
	const int64_t *y = b;

	for (int i = 0; i < 5; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

/*
 * Compare the full run f with the incremental run s.  Returns NULL if
 * they agree, else what differs.
 */
static const char *
compare(const MatchBook *f, const MatchBook *s, const int32_t *sub_index, const MatchBook *in)
{
	int32_t		e,
				k,
				i;
	bool	   *reached = mc_xmalloc(sizeof(bool) * (size_t) (f->n_orders + 1));
	const char *why = NULL;

	if (f->overflow || s->overflow)
		return f->overflow == s->overflow ? NULL : "overflow";
	if (f->n_executions != s->n_executions)
		why = "number of executions";
	for (e = 0; !why && e < f->n_executions; e++)
	{
		const MatchExecution *a = &f->executions[e];
		const MatchExecution *b = &s->executions[e];
		int64_t    *fa,
				   *fb;

		if (a->kind != b->kind || a->outcome != b->outcome || a->sets != b->sets ||
			a->quantity != b->quantity || a->bids != b->bids ||
			a->n_fills != b->n_fills || a->n_redemptions != b->n_redemptions)
		{
			why = "an execution";
			break;
		}
		fa = mc_xmalloc(sizeof(int64_t) * 5 * (size_t) (a->n_fills + 1));
		fb = mc_xmalloc(sizeof(int64_t) * 5 * (size_t) (a->n_fills + 1));
		for (k = 0; k < a->n_fills; k++)
		{
			const MatchFill *x = &f->fills[a->first_fill + k];
			const MatchFill *y = &s->fills[b->first_fill + k];

			fa[5 * k] = f->orders[x->order].id;
			fa[5 * k + 1] = x->quantity;
			fa[5 * k + 2] = x->paid;
			fa[5 * k + 3] = x->fee;
			fa[5 * k + 4] = x->creator_fee;
			fb[5 * k] = s->orders[y->order].id;
			fb[5 * k + 1] = y->quantity;
			fb[5 * k + 2] = y->paid;
			fb[5 * k + 3] = y->fee;
			fb[5 * k + 4] = y->creator_fee;
		}
		qsort(fa, (size_t) a->n_fills, sizeof(int64_t) * 5, cmp_fill);
		qsort(fb, (size_t) a->n_fills, sizeof(int64_t) * 5, cmp_fill);
		if (memcmp(fa, fb, sizeof(int64_t) * 5 * (size_t) a->n_fills) != 0)
			why = "the fills of an execution";
		free(fa);
		free(fb);
		for (k = 0; !why && k < a->n_redemptions; k++)
		{
			const MatchRedemption *x = &f->redemptions[a->first_redemption + k];
			int32_t		m;
			bool		found = false;

			for (m = 0; m < b->n_redemptions; m++)
			{
				const MatchRedemption *y = &s->redemptions[b->first_redemption + m];

				if (f->accounts[x->account].id == s->accounts[y->account].id && x->sets == y->sets)
					found = true;
			}
			if (!found)
				why = "a redemption";
		}
	}
	if (!why && (f->collateral_delta != s->collateral_delta || f->fees != s->fees ||
				 f->creator_fees != s->creator_fees))
		why = "collateral or fees";

	/* every loaded order and account ends the same; the others untouched */
	memset(reached, 0, sizeof(bool) * (size_t) (f->n_orders + 1));
	for (k = 0; !why && k < s->n_orders; k++)
	{
		const MatchOrder *y = &s->orders[k];
		const MatchOrder *x;
		const MatchAccount *ya = &s->accounts[y->account];
		const MatchAccount *xa;

		if (sub_index[k] < 0)
			continue;
		reached[sub_index[k]] = true;
		x = &f->orders[sub_index[k]];
		xa = &f->accounts[x->account];
		if (x->quantity != y->quantity || x->escrow != y->escrow || x->filled != y->filled ||
			x->trimmed != y->trimmed)
			why = "an order's end state";
		else if (xa->free_cash != ya->free_cash || xa->cash_delta != ya->cash_delta ||
				 memcmp(&f->holdings[(size_t) x->account * f->n_outcomes],
						&s->holdings[(size_t) y->account * s->n_outcomes],
						sizeof(int64_t) * (size_t) f->n_outcomes) != 0)
			why = "an account's end state";
	}
	for (i = 0; !why && i < f->n_orders; i++)
		if (!reached[i] && (f->orders[i].filled != 0 || f->orders[i].trimmed != 0 ||
							f->orders[i].quantity != in->orders[i].quantity ||
							f->accounts[f->orders[i].account].cash_delta != 0))
			why = "an order the incremental auction did not load changed";
	free(reached);
	return why;
}

int
main(int argc, char **argv)
{
	long		ncases = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
	uint64_t	seed = argc > 2 ? strtoull(argv[2], NULL, 10) : UINT64_C(20261202);
	long		failures = 0;
	long		i;
	long		by_rule[2] = {0, 0};
	long		kinds[3] = {0, 0, 0};
	Stats		st = {0};

	if (ncases <= 0)
		ncases = 20000;
	rng_state = seed;
	printf("# seed %llu, %ld cases\n", (unsigned long long) seed, ncases);

	for (i = 0; i < ncases; i++)
	{
		MatchBook	b,
					full,
					in,
					sub;
		int64_t		initial;
		int64_t		tick;
		int32_t    *sub_index;
		const char *why;
		int32_t		e;

		gen_big = i % 10 == 9;	/* one case in ten deep, with many trims */
		gen_book(&b, &initial);
		match_run(&b);
		if (b.overflow)
		{
			mc_free_book(&b);
			continue;
		}
		rest(&b);
		/* room for X and its account */
		b.orders = realloc(b.orders, sizeof(MatchOrder) * (size_t) (b.n_orders + 1));
		b.accounts = realloc(b.accounts, sizeof(MatchAccount) * (size_t) (b.n_accounts + 1));
		b.holdings = realloc(b.holdings, sizeof(int64_t) * (size_t) (b.n_accounts + 1) * b.n_outcomes);
		tick = ticks[below(4)];
		add_order(&b, tick);

		mc_copy_input(&in, &b);
		mc_copy_input(&full, &b);
		match_run(&full);
		sub_index = mc_xmalloc(sizeof(int32_t) * (size_t) (b.n_orders + 2 * b.n_outcomes + 1));
		run_incremental(&in, in.n_orders - 1, &sub, sub_index, &st);
		st.resting += b.n_orders - 1;
		why = compare(&full, &sub, sub_index, &in);
		if (full.n_executions > 0)
		{
			st.crossing++;
			by_rule[full.allocation]++;
			for (e = 0; e < full.n_executions; e++)
				kinds[full.executions[e].kind]++;
		}
		if (why)
		{
			failures++;
			fprintf(stderr, "# case %ld (seed %llu): %s differs\n", i,
					(unsigned long long) seed, why);
			mc_dump_book(stderr, &in, 0);
			mc_dump_output(stderr, &full);
			mc_dump_output(stderr, &sub);
		}
		free(sub_index);
		mc_free_book(&sub);
		mc_free_book(&full);
		mc_free_book(&in);
		mc_free_book(&b);
		if (failures >= 3)
			break;
	}

	printf("# crossing cases %ld (pro-rata %ld, price-time %ld); executions: direct %ld, synthetic %ld, merge %ld\n",
		   st.crossing, by_rule[MATCH_PRO_RATA], by_rule[MATCH_PRICE_TIME],
		   kinds[MATCH_DIRECT], kinds[MATCH_SYNTHETIC], kinds[MATCH_MERGE]);
	printf("# orders loaded %ld of %ld resting; windows with a phantom %ld, loaded deeper %ld\n",
		   st.loaded, st.resting, st.phantoms, st.deeper);

	CHECK(failures == 0 && i == ncases,
		  "%ld cases: the auction on the reach of the new order equals the full auction", ncases);
	CHECK(st.crossing > ncases / 5, "the new order crosses often (%ld of %ld)", st.crossing, ncases);
	CHECK(by_rule[MATCH_PRO_RATA] > 0 && by_rule[MATCH_PRICE_TIME] > 0,
		  "both allocation rules are exercised");
	CHECK(kinds[MATCH_DIRECT] > 0 && kinds[MATCH_SYNTHETIC] > 0 && kinds[MATCH_MERGE] > 0,
		  "direct, synthetic and merge matches occur");
	CHECK(st.phantoms > 0 && st.deeper > 0, "windows are cut short (%ld) and loaded deeper (%ld)",
		  st.phantoms, st.deeper);
	CHECK(st.loaded < st.resting, "the incremental auction loads less than the book (%ld of %ld)",
		  st.loaded, st.resting);
	return UNIT_DONE();
}
