/*
 * match_check.h
 *	  Property checker of the matching core (src/match.c), header only.
 *
 * Shared by the randomized property test (test/unit/test_match_props.c)
 * and the libFuzzer target (test/fuzz/fuzz_match.c).  Given a deep copy of
 * a book taken before match_run() and the same book after it, mc_check()
 * returns 0 if every property holds, else the code of the first violated
 * property (MC_A .. MC_J, or MC_SHAPE for malformed output) after printing
 * an explanation to stderr.  All arithmetic is exact: int64 micro-units,
 * 128-bit products and sums.
 *
 * Properties (SPEC sections 2, 6, 7 and 13):
 *	a  each execution: sum of its fills' paid == sets * quantity
 *	b  each fill: paid <= ceil(quantity * bid), bid = price (buy) or
 *	   1 - price (sell): no leg pays more than its limit rounded up; its
 *	   house and creator fees are each floor(bps * min(paid, q - paid) /
 *	   10000) of its rate, and together no more than the fee reserve of
 *	   its quantity (SPEC 6a): no leg pays more than its limit plus its fee
 *	c  each execution and leg: the leg's fills sum to the quantity (direct:
 *	   buy + sell of its outcome; synthetic: buy of every outcome; merge:
 *	   sell of every outcome); fills of one execution are from distinct
 *	   accounts
 *	d  afterwards no free cash and no holding is negative
 *	e  afterwards nothing crosses (match_book_crosses and an independent
 *	   re-derivation from the orders)
 *	f  conservation: sum of cash_delta + collateral_delta + fees +
 *	   creator_fees == 0, and the fees are the sums of the fills' fees; each
 *	   account's cash_delta and holdings follow from its fills (fees
 *	   included) and redemptions; an account that traded holds no complete set; if the
 *	   input supply was consistent (every outcome's total == the given
 *	   initial collateral), every outcome's total afterwards ==
 *	   initial collateral + collateral_delta
 *	g  escrow: every order's escrow == escrow_of(its remainder, holding,
 *	   both fee rates), so escrow is never short,
 *	   and free cash moved by exactly cash_delta + escrow released
 *	h  quantities: before == after + filled + trimmed, all >= 0, and the
 *	   fills of an order add up to its filled
 *	i  determinism: a second run on another copy gives identical output
 *	j  each execution crossed: bids >= sets * 1.000000
 *	k  allocation price-time: an order filled in an execution comes after
 *	   every older order (lower id) of its level (outcome, side, price)
 *	   in that execution: such an older order fills no later, keeps no
 *	   remainder, and, unless trimmed, filled in that execution or before
 */
#ifndef MARKET_MATCH_CHECK_H
#define MARKET_MATCH_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escrow.h"
#include "match.h"

#define MC_FN static __attribute__((unused))

typedef __int128 mc_i128;

enum
{
	MC_OK = 0,
	MC_A = 1, MC_B, MC_C, MC_D, MC_E, MC_F, MC_G, MC_H, MC_I, MC_J, MC_K,
	MC_SHAPE = 20
};

#define MC_FAIL(code, ...) \
	do { \
		fprintf(stderr, "match_check: property %c violated: ", \
				(code) == MC_SHAPE ? 's' : 'a' + (code) - 1); \
		fprintf(stderr, __VA_ARGS__); \
		fprintf(stderr, "\n"); \
		rc = (code); \
		goto done; \
	} while (0)

static const char *const mc_kind_names[] = {"direct", "synthetic", "merge"};

/* int128 to a decimal string (values here fit int64, but be safe) */
MC_FN const char *
mc_i128_str(mc_i128 v, char *buf)
{
	char		tmp[48];
	int			n = 0;
	int			k = 0;
	bool		neg = v < 0;
	unsigned __int128 u = neg ? -(unsigned __int128) v : (unsigned __int128) v;

	do
	{
		tmp[n++] = (char) ('0' + (int) (u % 10));
		u /= 10;
	} while (u != 0);
	if (neg)
		buf[k++] = '-';
	while (n > 0)
		buf[k++] = tmp[--n];
	buf[k] = '\0';
	return buf;
}

MC_FN void *
mc_xmalloc(size_t size)
{
	void	   *p = malloc(size ? size : 1);

	if (p == NULL)
		abort();
	return p;
}

/* Deep copy of a book's input; output arrays start empty. */
MC_FN void
mc_copy_input(MatchBook *dst, const MatchBook *src)
{
	size_t		nh = (size_t) src->n_accounts * (size_t) src->n_outcomes;

	memset(dst, 0, sizeof(*dst));
	dst->n_outcomes = src->n_outcomes;
	dst->n_orders = src->n_orders;
	dst->n_accounts = src->n_accounts;
	dst->orders = mc_xmalloc(sizeof(MatchOrder) * (size_t) src->n_orders);
	dst->accounts = mc_xmalloc(sizeof(MatchAccount) * (size_t) src->n_accounts);
	dst->holdings = mc_xmalloc(sizeof(int64_t) * nh);
	if (src->n_orders > 0)
		memcpy(dst->orders, src->orders, sizeof(MatchOrder) * (size_t) src->n_orders);
	if (src->n_accounts > 0)
		memcpy(dst->accounts, src->accounts, sizeof(MatchAccount) * (size_t) src->n_accounts);
	if (nh > 0)
		memcpy(dst->holdings, src->holdings, sizeof(int64_t) * nh);
	dst->collateral_delta = src->collateral_delta;
	dst->fee_bps = src->fee_bps;
	dst->creator_fee_bps = src->creator_fee_bps;
	dst->allocation = src->allocation;
	dst->fees = src->fees;
	dst->creator_fees = src->creator_fees;
	dst->alloc = src->alloc;
	dst->grow = src->grow;
	dst->release = src->release;
}

/* Free a book built with mc_copy_input (or malloc'd the same way). */
MC_FN void
mc_free_book(MatchBook *b)
{
	match_free_output(b);
	free(b->orders);
	free(b->accounts);
	free(b->holdings);
	b->orders = NULL;
	b->accounts = NULL;
	b->holdings = NULL;
}

/* Print a book's input as C initializer data, for a reproducer. */
MC_FN void
mc_dump_book(FILE *f, const MatchBook *b, int64_t initial_collateral)
{
	int32_t		i;
	int32_t		j;

	fprintf(f, "/* n_outcomes = %d, n_orders = %d, n_accounts = %d, initial_collateral = %lld,"
			" fee_bps = %d, creator_fee_bps = %d, allocation = %s */\n",
			b->n_outcomes, b->n_orders, b->n_accounts, (long long) initial_collateral,
			b->fee_bps, b->creator_fee_bps,
			b->allocation == MATCH_PRICE_TIME ? "MATCH_PRICE_TIME" : "MATCH_PRO_RATA");
	fprintf(f, "static MatchOrder orders[] = {\n"
			"\t/* id, account, outcome, is_buy, price, quantity, escrow, filled, trimmed */\n");
	for (i = 0; i < b->n_orders; i++)
	{
		const MatchOrder *o = &b->orders[i];

		fprintf(f, "\t{%lld, %d, %d, %s, %lld, %lld, %lld, %lld, %lld},\n",
				(long long) o->id, o->account, o->outcome, o->is_buy ? "true" : "false",
				(long long) o->price, (long long) o->quantity, (long long) o->escrow,
				(long long) o->filled, (long long) o->trimmed);
	}
	fprintf(f, "};\nstatic MatchAccount accounts[] = {\n"
			"\t/* id, free_cash, cash_delta, order */\n");
	for (i = 0; i < b->n_accounts; i++)
	{
		const MatchAccount *a = &b->accounts[i];

		fprintf(f, "\t{%lld, %lld, %lld, %d},\n", (long long) a->id,
				(long long) a->free_cash, (long long) a->cash_delta, a->order);
	}
	fprintf(f, "};\nstatic int64_t holdings[] = {\n");
	for (i = 0; i < b->n_accounts; i++)
	{
		fprintf(f, "\t");
		for (j = 0; j < b->n_outcomes; j++)
			fprintf(f, "%lld, ", (long long) b->holdings[(size_t) i * (size_t) b->n_outcomes + (size_t) j]);
		fprintf(f, "\n");
	}
	fprintf(f, "};\n");
}

/* Print what a run did. */
MC_FN void
mc_dump_output(FILE *f, const MatchBook *b)
{
	int32_t		i;

	for (i = 0; i < b->n_executions; i++)
	{
		const MatchExecution *x = &b->executions[i];
		int32_t		j;

		fprintf(f, "execution %d: %s outcome %d K=%d q=%lld S=%lld fills [%d,+%d) redemptions [%d,+%d)\n",
				i, (unsigned) x->kind <= 2 ? mc_kind_names[x->kind] : "?", x->outcome, x->sets,
				(long long) x->quantity, (long long) x->bids, x->first_fill, x->n_fills,
				x->first_redemption, x->n_redemptions);
		for (j = x->first_fill; j >= 0 && j < x->first_fill + x->n_fills && j < b->n_fills; j++)
			fprintf(f, "    fill order %d qty %lld paid %lld fee %lld creator_fee %lld\n", b->fills[j].order,
					(long long) b->fills[j].quantity, (long long) b->fills[j].paid,
					(long long) b->fills[j].fee, (long long) b->fills[j].creator_fee);
		for (j = x->first_redemption; j >= 0 && j < x->first_redemption + x->n_redemptions && j < b->n_redemptions; j++)
			fprintf(f, "    redeem account %d sets %lld\n", b->redemptions[j].account,
					(long long) b->redemptions[j].sets);
	}
	for (i = 0; i < b->n_orders; i++)
		fprintf(f, "order %d: qty %lld escrow %lld filled %lld trimmed %lld\n", i,
				(long long) b->orders[i].quantity, (long long) b->orders[i].escrow,
				(long long) b->orders[i].filled, (long long) b->orders[i].trimmed);
	for (i = 0; i < b->n_accounts; i++)
		fprintf(f, "account %d: free %lld delta %lld\n", i,
				(long long) b->accounts[i].free_cash, (long long) b->accounts[i].cash_delta);
	fprintf(f, "collateral_delta %lld fees %lld creator_fees %lld\n", (long long) b->collateral_delta,
			(long long) b->fees, (long long) b->creator_fees);
}

/*
 * Does the book cross?  Re-derived from the orders, independently of the
 * core: best bid and ask of every outcome among orders still open.
 */
MC_FN bool
mc_crosses(const MatchBook *b, char *why, size_t whylen)
{
	int32_t		n = b->n_outcomes;
	int64_t		best_bid[16];
	int64_t		best_ask[16];
	int64_t		sum_bids = 0;
	int64_t		sum_asks = 0;
	bool		all_bids = true;
	bool		all_asks = true;
	int32_t		i;

	if (n < 2 || n > 16)
		return false;
	for (i = 0; i < n; i++)
		best_bid[i] = best_ask[i] = -1;
	for (i = 0; i < b->n_orders; i++)
	{
		const MatchOrder *o = &b->orders[i];

		if (o->quantity <= 0 || o->outcome < 0 || o->outcome >= n)
			continue;
		if (o->is_buy)
		{
			if (best_bid[o->outcome] < 0 || o->price > best_bid[o->outcome])
				best_bid[o->outcome] = o->price;
		}
		else
		{
			if (best_ask[o->outcome] < 0 || o->price < best_ask[o->outcome])
				best_ask[o->outcome] = o->price;
		}
	}
	for (i = 0; i < n; i++)
	{
		if (best_bid[i] >= 0 && best_ask[i] >= 0 && best_bid[i] >= best_ask[i])
		{
			snprintf(why, whylen, "direct on outcome %d: bid %lld >= ask %lld",
					 i, (long long) best_bid[i], (long long) best_ask[i]);
			return true;
		}
		if (best_bid[i] < 0)
			all_bids = false;
		else
			sum_bids += best_bid[i];
		if (best_ask[i] < 0)
			all_asks = false;
		else
			sum_asks += best_ask[i];
	}
	if (all_bids && sum_bids >= ESCROW_ONE)
	{
		snprintf(why, whylen, "synthetic: best bids sum to %lld", (long long) sum_bids);
		return true;
	}
	if (all_asks && sum_asks <= ESCROW_ONE)
	{
		snprintf(why, whylen, "merge: best asks sum to %lld", (long long) sum_asks);
		return true;
	}
	return false;
}

MC_FN int64_t
mc_bid(const MatchOrder *o)
{
	return o->is_buy ? o->price : ESCROW_ONE - o->price;
}

/*
 * Check a run.  "in" is the deep copy taken before match_run, "out" the
 * book after it.  initial_collateral: the common supply of every outcome
 * in the input if the caller built it consistent, or -1 if unknown.
 */
MC_FN int
mc_check(const MatchBook *in, const MatchBook *out, int64_t initial_collateral)
{
	int			rc = MC_OK;
	int32_t		n = in->n_outcomes;
	int32_t		i;
	int32_t		j;
	int32_t		x;
	int32_t		expect_fill = 0;
	int32_t		expect_red = 0;
	char		s1[48];
	char		s2[48];
	char		why[160];
	MatchKind	ck;
	int32_t		co;
	/* scratch */
	int32_t    *stamp = mc_xmalloc(sizeof(int32_t) * ((size_t) in->n_accounts + 1));
	mc_i128    *order_filled = mc_xmalloc(sizeof(mc_i128) * ((size_t) in->n_orders + 1));
	mc_i128    *acct_delta = mc_xmalloc(sizeof(mc_i128) * ((size_t) in->n_accounts + 1));
	mc_i128    *esc_before = mc_xmalloc(sizeof(mc_i128) * ((size_t) in->n_accounts + 1));
	mc_i128    *esc_after = mc_xmalloc(sizeof(mc_i128) * ((size_t) in->n_accounts + 1));
	bool	   *traded = mc_xmalloc(sizeof(bool) * ((size_t) in->n_accounts + 1));
	size_t		nh = (size_t) in->n_accounts * (size_t) (n > 0 ? n : 0);
	mc_i128    *hold = mc_xmalloc(sizeof(mc_i128) * (nh + 1));
	mc_i128		leg_buy[16];
	mc_i128		leg_sell[16];
	mc_i128		total;
	mc_i128		collateral = 0;
	mc_i128		fees = 0;
	mc_i128		creator_fees = 0;
	int32_t		bps = in->fee_bps + in->creator_fee_bps;
	MatchBook	again;

	memset(&again, 0, sizeof(again));
	for (i = 0; i < in->n_accounts; i++)
	{
		stamp[i] = -1;
		acct_delta[i] = 0;
		esc_before[i] = esc_after[i] = 0;
		traded[i] = false;
	}
	for (i = 0; i < in->n_orders; i++)
		order_filled[i] = 0;
	for (i = 0; (size_t) i < nh; i++)
		hold[i] = in->holdings[i];

	/* --- shape of the output: what the other properties rely on --- */
	if (out->n_orders != in->n_orders || out->n_accounts != in->n_accounts ||
		out->n_outcomes != n)
		MC_FAIL(MC_SHAPE, "book dimensions changed");
	if (n < 2 || n > 16)
		MC_FAIL(MC_SHAPE, "checker supports 2..16 outcomes, got %d", n);
	if (out->n_executions < 0 || out->n_fills < 0 || out->n_redemptions < 0)
		MC_FAIL(MC_SHAPE, "negative output counts");
	for (i = 0; i < in->n_orders; i++)
	{
		const MatchOrder *a = &in->orders[i];
		const MatchOrder *b = &out->orders[i];

		if (a->id != b->id || a->account != b->account || a->outcome != b->outcome ||
			a->is_buy != b->is_buy || a->price != b->price)
			MC_FAIL(MC_SHAPE, "order %d: identity fields changed", i);
	}
	for (i = 0; i < in->n_accounts; i++)
		if (in->accounts[i].id != out->accounts[i].id ||
			in->accounts[i].order != out->accounts[i].order)
			MC_FAIL(MC_SHAPE, "account %d: identity fields changed", i);

	for (x = 0; x < out->n_executions; x++)
	{
		const MatchExecution *e = &out->executions[x];
		int32_t		want_sets;

		if ((unsigned) e->kind > MATCH_MERGE)
			MC_FAIL(MC_SHAPE, "execution %d: bad kind %d", x, (int) e->kind);
		want_sets = e->kind == MATCH_MERGE ? n - 1 : 1;
		if (e->sets != want_sets)
			MC_FAIL(MC_SHAPE, "execution %d (%s): sets %d, want %d", x,
					mc_kind_names[e->kind], e->sets, want_sets);
		if (e->kind == MATCH_DIRECT ? (e->outcome < 0 || e->outcome >= n) : e->outcome != -1)
			MC_FAIL(MC_SHAPE, "execution %d (%s): outcome %d", x, mc_kind_names[e->kind], e->outcome);
		if (e->quantity <= 0)
			MC_FAIL(MC_SHAPE, "execution %d: quantity %lld", x, (long long) e->quantity);
		if (e->first_fill != expect_fill || e->n_fills < 0 ||
			e->first_fill + e->n_fills > out->n_fills)
			MC_FAIL(MC_SHAPE, "execution %d: fills [%d,+%d) not contiguous (expected start %d, %d fills)",
					x, e->first_fill, e->n_fills, expect_fill, out->n_fills);
		if (e->first_redemption != expect_red || e->n_redemptions < 0 ||
			e->first_redemption + e->n_redemptions > out->n_redemptions)
			MC_FAIL(MC_SHAPE, "execution %d: redemptions [%d,+%d) not contiguous", x,
					e->first_redemption, e->n_redemptions);
		expect_fill += e->n_fills;
		expect_red += e->n_redemptions;

		/* j: it crossed */
		if ((mc_i128) e->bids < (mc_i128) e->sets * ESCROW_ONE)
			MC_FAIL(MC_J, "execution %d (%s): bids %lld < sets %d x 1000000", x,
					mc_kind_names[e->kind], (long long) e->bids, e->sets);

		total = 0;
		for (j = 0; j < n; j++)
			leg_buy[j] = leg_sell[j] = 0;
		for (j = e->first_fill; j < e->first_fill + e->n_fills; j++)
		{
			const MatchFill *f = &out->fills[j];
			const MatchOrder *o;
			mc_i128		limit;
			int32_t		k;

			if (f->execution != x)
				MC_FAIL(MC_SHAPE, "fill %d: execution %d, listed under %d", j, f->execution, x);
			if (f->order < 0 || f->order >= out->n_orders)
				MC_FAIL(MC_SHAPE, "fill %d: order %d out of range", j, f->order);
			if (f->quantity <= 0 || f->paid < 0 || f->fee < 0 || f->creator_fee < 0)
				MC_FAIL(MC_SHAPE, "fill %d: quantity %lld paid %lld fee %lld creator_fee %lld", j,
						(long long) f->quantity, (long long) f->paid, (long long) f->fee,
						(long long) f->creator_fee);
			o = &in->orders[f->order];
			if (o->account < 0 || o->account >= in->n_accounts)
				MC_FAIL(MC_SHAPE, "fill %d: order %d has account %d out of range", j, f->order, o->account);
			total += f->paid;
			order_filled[f->order] += f->quantity;
			acct_delta[o->account] -= (mc_i128) f->paid + f->fee + f->creator_fee;
			fees += f->fee;
			creator_fees += f->creator_fee;
			traded[o->account] = true;

			/* b: no leg pays more than its limit, rounded up */
			limit = ((mc_i128) f->quantity * mc_bid(o) + ESCROW_ONE - 1) / ESCROW_ONE;
			if ((mc_i128) f->paid > limit)
				MC_FAIL(MC_B, "execution %d fill %d (order %d, %s outcome %d at %lld): paid %lld > ceil(%lld x %lld) = %s",
						x, j, f->order, o->is_buy ? "buy" : "sell", o->outcome,
						(long long) o->price, (long long) f->paid, (long long) f->quantity,
						(long long) mc_bid(o), mc_i128_str(limit, s1));

			/* b: each rate floor(bps * min(paid, q - paid) / 10000), within the reserve */
			{
				mc_i128		m = f->paid < f->quantity - f->paid ? f->paid : f->quantity - f->paid;
				mc_i128		want_fee = m > 0 ? (mc_i128) in->fee_bps * m / 10000 : 0;
				mc_i128		want_cfee = m > 0 ? (mc_i128) in->creator_fee_bps * m / 10000 : 0;
				mc_i128		half = ESCROW_ONE / 2;
				mc_i128		cap = mc_bid(o) < half ? mc_bid(o) : half;
				mc_i128		den = (mc_i128) ESCROW_ONE * 10000;
				mc_i128		reserve = ((mc_i128) bps * cap * f->quantity + den - 1) / den;

				if (f->fee != want_fee || f->creator_fee != want_cfee)
					MC_FAIL(MC_B, "execution %d fill %d (order %d): q %lld paid %lld: fees %lld + %lld, want %s + %s",
							x, j, f->order, (long long) f->quantity, (long long) f->paid,
							(long long) f->fee, (long long) f->creator_fee,
							mc_i128_str(want_fee, s1), mc_i128_str(want_cfee, s2));
				if ((mc_i128) f->fee + f->creator_fee > reserve)
					MC_FAIL(MC_B, "execution %d fill %d (order %d): fees %lld + %lld > reserve %s of its quantity",
							x, j, f->order, (long long) f->fee, (long long) f->creator_fee,
							mc_i128_str(reserve, s1));
			}

			/* c: legs and distinct accounts */
			if (stamp[o->account] == x)
				MC_FAIL(MC_C, "execution %d: account %d fills twice", x, o->account);
			stamp[o->account] = x;
			if ((e->kind == MATCH_DIRECT && o->outcome != e->outcome) ||
				(e->kind == MATCH_SYNTHETIC && !o->is_buy) ||
				(e->kind == MATCH_MERGE && o->is_buy))
				MC_FAIL(MC_C, "execution %d (%s, outcome %d): fill %d on order %d (%s outcome %d) is not a leg",
						x, mc_kind_names[e->kind], e->outcome, j, f->order,
						o->is_buy ? "buy" : "sell", o->outcome);
			if (o->is_buy)
				leg_buy[o->outcome] += f->quantity;
			else
				leg_sell[o->outcome] += f->quantity;

			/* holdings the fill delivers */
			for (k = 0; k < n; k++)
				if (o->is_buy ? k == o->outcome : k != o->outcome)
					hold[(size_t) o->account * (size_t) n + (size_t) k] += f->quantity;
		}

		/* a: the legs pay exactly K per unit */
		if (total != (mc_i128) e->sets * e->quantity)
			MC_FAIL(MC_A, "execution %d (%s): fills paid %s, want sets %d x quantity %lld = %s",
					x, mc_kind_names[e->kind], mc_i128_str(total, s1), e->sets,
					(long long) e->quantity, mc_i128_str((mc_i128) e->sets * e->quantity, s2));

		/* c: every leg filled the execution's quantity */
		for (j = 0; j < n; j++)
		{
			mc_i128		want_buy = 0;
			mc_i128		want_sell = 0;

			if (e->kind == MATCH_DIRECT && j == e->outcome)
				want_buy = want_sell = e->quantity;
			else if (e->kind == MATCH_SYNTHETIC)
				want_buy = e->quantity;
			else if (e->kind == MATCH_MERGE)
				want_sell = e->quantity;
			if (leg_buy[j] != want_buy || leg_sell[j] != want_sell)
				MC_FAIL(MC_C, "execution %d (%s, q %lld): outcome %d buy leg filled %s, sell leg %s",
						x, mc_kind_names[e->kind], (long long) e->quantity, j,
						mc_i128_str(leg_buy[j], s1), mc_i128_str(leg_sell[j], s2));
		}
		collateral += (mc_i128) e->sets * e->quantity;

		/* redemptions of this execution, after its fills */
		for (j = e->first_redemption; j < e->first_redemption + e->n_redemptions; j++)
		{
			const MatchRedemption *r = &out->redemptions[j];
			int32_t		k;

			if (r->execution != x || r->account < 0 || r->account >= in->n_accounts || r->sets <= 0)
				MC_FAIL(MC_SHAPE, "redemption %d: execution %d account %d sets %lld (under execution %d)",
						j, r->execution, r->account, (long long) r->sets, x);
			if (stamp[r->account] != x)
				MC_FAIL(MC_F, "redemption %d: account %d did not take part in execution %d", j, r->account, x);
			for (k = 0; k < n; k++)
			{
				mc_i128    *hk = &hold[(size_t) r->account * (size_t) n + (size_t) k];

				*hk -= r->sets;
				if (*hk < 0)
					MC_FAIL(MC_F, "redemption %d: account %d redeems %lld sets but holds only %s of outcome %d",
							j, r->account, (long long) r->sets, mc_i128_str(*hk + r->sets, s1), k);
			}
			acct_delta[r->account] += r->sets;
			collateral -= r->sets;
		}
	}
	if (expect_fill != out->n_fills || expect_red != out->n_redemptions)
		MC_FAIL(MC_SHAPE, "executions list %d fills and %d redemptions, arrays hold %d and %d",
				expect_fill, expect_red, out->n_fills, out->n_redemptions);

	/* d: nothing negative */
	for (i = 0; i < in->n_accounts; i++)
	{
		if (out->accounts[i].free_cash < 0)
			MC_FAIL(MC_D, "account %d: free cash %lld < 0 (was %lld)", i,
					(long long) out->accounts[i].free_cash, (long long) in->accounts[i].free_cash);
		for (j = 0; j < n; j++)
			if (out->holdings[(size_t) i * (size_t) n + (size_t) j] < 0)
				MC_FAIL(MC_D, "account %d: holding of outcome %d is %lld", i, j,
						(long long) out->holdings[(size_t) i * (size_t) n + (size_t) j]);
	}

	/* e: nothing crosses */
	if (match_book_crosses(out, &ck, &co))
		MC_FAIL(MC_E, "match_book_crosses: %s on outcome %d still crosses",
				(unsigned) ck <= 2 ? mc_kind_names[ck] : "?", co);
	if (mc_crosses(out, why, sizeof(why)))
		MC_FAIL(MC_E, "the book still crosses: %s", why);

	/* f: conservation, fees included */
	if ((mc_i128) out->fees - in->fees != fees ||
		(mc_i128) out->creator_fees - in->creator_fees != creator_fees)
		MC_FAIL(MC_F, "fees moved %lld and creator fees %lld; the fills say %s and %s",
				(long long) (out->fees - in->fees), (long long) (out->creator_fees - in->creator_fees),
				mc_i128_str(fees, s1), mc_i128_str(creator_fees, s2));
	total = (mc_i128) out->collateral_delta + out->fees + out->creator_fees;
	for (i = 0; i < in->n_accounts; i++)
	{
		mc_i128		d = (mc_i128) out->accounts[i].cash_delta - in->accounts[i].cash_delta;

		total += out->accounts[i].cash_delta;
		if (d != acct_delta[i])
			MC_FAIL(MC_F, "account %d: cash_delta moved %s, fills and redemptions say %s", i,
					mc_i128_str(d, s1), mc_i128_str(acct_delta[i], s2));
	}
	if (total != 0)
		MC_FAIL(MC_F, "sum of cash_delta + collateral_delta + fees = %s, not 0", mc_i128_str(total, s1));
	if ((mc_i128) out->collateral_delta - in->collateral_delta != collateral)
		MC_FAIL(MC_F, "collateral_delta moved %lld, executions minus redemptions say %s",
				(long long) (out->collateral_delta - in->collateral_delta), mc_i128_str(collateral, s1));
	for (i = 0; (size_t) i < nh; i++)
		if (hold[i] != out->holdings[i])
			MC_FAIL(MC_F, "account %d outcome %d: holding %lld, fills and redemptions say %s",
					i / n, i % n, (long long) out->holdings[i], mc_i128_str(hold[i], s1));
	for (i = 0; i < in->n_accounts; i++)
	{
		int64_t		sets;

		if (!traded[i])
			continue;
		sets = out->holdings[(size_t) i * (size_t) n];
		for (j = 1; j < n; j++)
			if (out->holdings[(size_t) i * (size_t) n + (size_t) j] < sets)
				sets = out->holdings[(size_t) i * (size_t) n + (size_t) j];
		if (sets > 0)
			MC_FAIL(MC_F, "account %d traded but still holds %lld complete sets", i, (long long) sets);
	}
	if (initial_collateral >= 0)
	{
		bool		consistent = true;

		for (j = 0; j < n && consistent; j++)
		{
			mc_i128		supply = 0;

			for (i = 0; i < in->n_accounts; i++)
				supply += in->holdings[(size_t) i * (size_t) n + (size_t) j];
			consistent = supply == initial_collateral;
		}
		if (consistent)
		{
			mc_i128		want = (mc_i128) initial_collateral + out->collateral_delta - in->collateral_delta;

			for (j = 0; j < n; j++)
			{
				mc_i128		supply = 0;

				for (i = 0; i < in->n_accounts; i++)
					supply += out->holdings[(size_t) i * (size_t) n + (size_t) j];
				if (supply != want)
					MC_FAIL(MC_F, "outcome %d: supply %s, want initial %lld + collateral_delta %lld = %s",
							j, mc_i128_str(supply, s1), (long long) initial_collateral,
							(long long) out->collateral_delta, mc_i128_str(want, s2));
			}
		}
	}

	/* g, h: escrow and quantities of every order */
	for (i = 0; i < in->n_orders; i++)
	{
		const MatchOrder *a = &in->orders[i];
		const MatchOrder *b = &out->orders[i];
		int64_t		held = out->holdings[(size_t) b->account * (size_t) n + (size_t) b->outcome];
		int64_t		want;

		if (b->quantity < 0 || b->filled < 0 || b->trimmed < 0)
			MC_FAIL(MC_H, "order %d: quantity %lld filled %lld trimmed %lld", i,
					(long long) b->quantity, (long long) b->filled, (long long) b->trimmed);
		if ((mc_i128) a->quantity != (mc_i128) b->quantity + (b->filled - a->filled) + (b->trimmed - a->trimmed))
			MC_FAIL(MC_H, "order %d: quantity %lld before != %lld after + %lld filled + %lld trimmed", i,
					(long long) a->quantity, (long long) b->quantity,
					(long long) (b->filled - a->filled), (long long) (b->trimmed - a->trimmed));
		if (order_filled[i] != (mc_i128) b->filled - a->filled)
			MC_FAIL(MC_H, "order %d: fills add up to %s, filled says %lld", i,
					mc_i128_str(order_filled[i], s1), (long long) (b->filled - a->filled));
		want = escrow_of(b->is_buy, b->quantity, b->price, held, bps);
		if (b->escrow != want)
			MC_FAIL(MC_G, "order %d (%s outcome %d, q %lld at %lld, held %lld): escrow %lld, want %lld",
					i, b->is_buy ? "buy" : "sell", b->outcome, (long long) b->quantity,
					(long long) b->price, (long long) held, (long long) b->escrow, (long long) want);
		if (a->account >= 0 && a->account < in->n_accounts)
		{
			esc_before[a->account] += a->escrow;
			esc_after[a->account] += b->escrow;
		}
	}
	for (i = 0; i < in->n_accounts; i++)
	{
		mc_i128		want = (mc_i128) in->accounts[i].free_cash
			+ ((mc_i128) out->accounts[i].cash_delta - in->accounts[i].cash_delta)
			+ esc_before[i] - esc_after[i];

		if ((mc_i128) out->accounts[i].free_cash != want)
			MC_FAIL(MC_G, "account %d: free cash %lld, want %lld + delta %lld + escrow %s released = %s",
					i, (long long) out->accounts[i].free_cash, (long long) in->accounts[i].free_cash,
					(long long) (out->accounts[i].cash_delta - in->accounts[i].cash_delta),
					mc_i128_str(esc_before[i] - esc_after[i], s1), mc_i128_str(want, s2));
	}

	/* k: price-time, oldest first within a level */
	if (in->allocation == MATCH_PRICE_TIME)
	{
		int32_t    *first_exec = mc_xmalloc(sizeof(int32_t) * ((size_t) in->n_orders + 1));
		int32_t    *last_exec = mc_xmalloc(sizeof(int32_t) * ((size_t) in->n_orders + 1));

		for (i = 0; i < in->n_orders; i++)
			first_exec[i] = last_exec[i] = -1;
		for (j = 0; j < out->n_fills; j++)
		{
			int32_t		oi = out->fills[j].order;

			if (first_exec[oi] < 0)
				first_exec[oi] = out->fills[j].execution;
			last_exec[oi] = out->fills[j].execution;
		}
		for (j = 0; j < out->n_fills && rc == MC_OK; j++)
		{
			const MatchOrder *o = &in->orders[out->fills[j].order];
			int32_t		fx = out->fills[j].execution;

			for (i = 0; i < in->n_orders; i++)
			{
				const MatchOrder *p = &in->orders[i];

				if (p->outcome != o->outcome || p->is_buy != o->is_buy ||
					p->price != o->price || p->id >= o->id || p->quantity == 0)
					continue;
				if (last_exec[i] > fx || out->orders[i].quantity != 0 ||
					((first_exec[i] < 0 || first_exec[i] > fx) && out->orders[i].trimmed == 0))
				{
					fprintf(stderr, "match_check: property k violated: execution %d fills order %lld"
							" before the older order %lld of its level (first/last fill in"
							" executions %d/%d, %lld left)\n", fx, (long long) o->id,
							(long long) p->id, first_exec[i], last_exec[i],
							(long long) out->orders[i].quantity);
					rc = MC_K;
					break;
				}
			}
		}
		free(first_exec);
		free(last_exec);
		if (rc != MC_OK)
			goto done;
	}

	/* i: determinism */
	mc_copy_input(&again, in);
	if (match_run(&again) != again.n_executions)
		MC_FAIL(MC_I, "second run: return value != executions made");
	if (again.n_executions != out->n_executions || again.n_fills != out->n_fills ||
		again.n_redemptions != out->n_redemptions || again.collateral_delta != out->collateral_delta ||
		again.fees != out->fees || again.creator_fees != out->creator_fees)
		MC_FAIL(MC_I, "second run made %d executions, %d fills, %d redemptions (first: %d, %d, %d)",
				again.n_executions, again.n_fills, again.n_redemptions,
				out->n_executions, out->n_fills, out->n_redemptions);
	for (x = 0; x < out->n_executions; x++)
	{
		const MatchExecution *p = &out->executions[x];
		const MatchExecution *q = &again.executions[x];

		/* field by field: the struct has padding */
		if (p->kind != q->kind || p->outcome != q->outcome || p->sets != q->sets ||
			p->quantity != q->quantity || p->bids != q->bids ||
			p->first_fill != q->first_fill || p->n_fills != q->n_fills ||
			p->first_redemption != q->first_redemption || p->n_redemptions != q->n_redemptions)
			MC_FAIL(MC_I, "second run: execution %d differs", x);
	}
	for (j = 0; j < out->n_fills; j++)
		if (out->fills[j].execution != again.fills[j].execution ||
			out->fills[j].order != again.fills[j].order ||
			out->fills[j].quantity != again.fills[j].quantity ||
			out->fills[j].paid != again.fills[j].paid ||
			out->fills[j].fee != again.fills[j].fee ||
			out->fills[j].creator_fee != again.fills[j].creator_fee)
			MC_FAIL(MC_I, "second run: fill %d differs", j);
	for (j = 0; j < out->n_redemptions; j++)
		if (out->redemptions[j].execution != again.redemptions[j].execution ||
			out->redemptions[j].account != again.redemptions[j].account ||
			out->redemptions[j].sets != again.redemptions[j].sets)
			MC_FAIL(MC_I, "second run: redemption %d differs", j);
	for (i = 0; i < in->n_orders; i++)
	{
		const MatchOrder *p = &out->orders[i];
		const MatchOrder *q = &again.orders[i];

		if (p->quantity != q->quantity || p->escrow != q->escrow ||
			p->filled != q->filled || p->trimmed != q->trimmed)
			MC_FAIL(MC_I, "second run: order %d differs", i);
	}
	for (i = 0; i < in->n_accounts; i++)
		if (out->accounts[i].free_cash != again.accounts[i].free_cash ||
			out->accounts[i].cash_delta != again.accounts[i].cash_delta)
			MC_FAIL(MC_I, "second run: account %d differs", i);
	for (i = 0; (size_t) i < nh; i++)
		if (out->holdings[i] != again.holdings[i])
			MC_FAIL(MC_I, "second run: holding %d differs", i);

done:
	mc_free_book(&again);
	free(stamp);
	free(order_filled);
	free(acct_delta);
	free(esc_before);
	free(esc_after);
	free(traded);
	free(hold);
	return rc;
}

/*
 * Snapshot, run and check a book in place.  On a violation the input is
 * dumped as C initializers and the output described, to stderr.  The
 * output arrays are left on the book for the caller to inspect and free.
 */
MC_FN int
mc_run_and_check(MatchBook *book, int64_t initial_collateral)
{
	MatchBook	snap;
	int			rc;
	int32_t		made;

	mc_copy_input(&snap, book);
	made = match_run(book);
	if (made != book->n_executions)
	{
		fprintf(stderr, "match_check: match_run returned %d, made %d executions\n",
				made, book->n_executions);
		rc = MC_SHAPE;
	}
	else
		rc = mc_check(&snap, book, initial_collateral);
	if (rc != MC_OK)
	{
		fprintf(stderr, "--- failing input ---\n");
		mc_dump_book(stderr, &snap, initial_collateral);
		fprintf(stderr, "--- output ---\n");
		mc_dump_output(stderr, book);
	}
	mc_free_book(&snap);
	return rc;
}


/* ---------- helpers for the book generators ---------- */

/* p rounded to the nearest multiple of tick, within (0, 1]. */
static inline int64_t
mc_round_tick(int64_t p, int64_t tick)
{
	p = (p + tick / 2) / tick * tick;
	if (p < tick)
		p = tick;
	if (p > ESCROW_ONE)
		p = ESCROW_ONE;
	return p;
}

/*
 * Redeem every account's complete sets, as the engine would have, so the
 * generated holdings are consistent; returns the sets removed from supply.
 */
static inline int64_t
mc_redeem_all(MatchBook *b)
{
	int64_t		removed = 0;
	int32_t		i,
				j;

	for (i = 0; i < b->n_accounts; i++)
	{
		int64_t    *h = &b->holdings[(size_t) i * (size_t) b->n_outcomes];
		int64_t		sets = h[0];

		for (j = 1; j < b->n_outcomes; j++)
			if (h[j] < sets)
				sets = h[j];
		for (j = 0; j < b->n_outcomes; j++)
			h[j] -= sets;
		removed += sets;
	}
	return removed;
}

#endif							/* MARKET_MATCH_CHECK_H */
