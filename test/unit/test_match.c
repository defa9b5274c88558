/*
 * test_match.c
 *	  Hand-computed cases for the matching core (src/match.c): the seed's
 *	  triangle, one of each kind of match, pro-rata remainders, ties,
 *	  the order of candidates, trimming, and a level under either
 *	  allocation rule.
 */
#include <stdint.h>
#include <string.h>

#include "escrow.h"
#include "match.h"
#include "unit.h"

#define C(x)	((int64_t) ((x) * 1000000.0 + 0.5))	/* exact for the literals used */
#define MAXN	8
#define MAXO	16

typedef struct Fixture
{
	MatchBook	book;
	MatchOrder	orders[MAXO];
	MatchAccount accounts[MAXO];
	int64_t		holdings[MAXO * MAXN];
} Fixture;

static void
setup(Fixture *f, int n_outcomes)
{
	memset(f, 0, sizeof(*f));
	f->book.n_outcomes = n_outcomes;
	f->book.orders = f->orders;
	f->book.accounts = f->accounts;
	f->book.holdings = f->holdings;
}

/* One account per order; its free cash after escrow is "spare". */
static int
add(Fixture *f, int64_t id, int outcome, int is_buy, int64_t qty, int64_t price,
	int64_t spare)
{
	int			i = f->book.n_orders++;
	MatchOrder *o = &f->orders[i];

	f->book.n_accounts = f->book.n_orders;
	o->id = id;
	o->account = i;
	o->outcome = outcome;
	o->is_buy = is_buy;
	o->quantity = qty;
	o->price = price;
	f->accounts[i].id = 100 + i;
	f->accounts[i].order = i;
	f->accounts[i].free_cash = spare;
	return i;
}

static void
hold(Fixture *f, int order, int outcome, int64_t qty)
{
	f->holdings[order * f->book.n_outcomes + outcome] = qty;
}

static void
escrows(Fixture *f)
{
	int			i;

	for (i = 0; i < f->book.n_orders; i++)
	{
		MatchOrder *o = &f->orders[i];

		o->escrow = escrow_of(o->is_buy, o->quantity, o->price,
							  f->holdings[o->account * f->book.n_outcomes + o->outcome],
							  f->book.fee_bps + f->book.creator_fee_bps);
	}
}

static int64_t
paid(Fixture *f, int order)
{
	int			i;
	int64_t		sum = 0;

	for (i = 0; i < f->book.n_fills; i++)
		if (f->book.fills[i].order == order)
			sum += f->book.fills[i].paid;
	return sum;
}

/* what an order paid in fees, house and creator */
static int64_t
fees(Fixture *f, int order, int64_t *creator)
{
	int			i;
	int64_t		sum = 0;

	*creator = 0;
	for (i = 0; i < f->book.n_fills; i++)
		if (f->book.fills[i].order == order)
		{
			sum += f->book.fills[i].fee;
			*creator += f->book.fills[i].creator_fee;
		}
	return sum;
}

int
main(void)
{
	Fixture		f;
	int			a,
				b,
				c,
				d;
	int64_t		ca,
				cb,
				cc;
	MatchKind	kind;
	int32_t		outcome;

	/*
	 * The seed's triangle: three outcomes, buys at 0.40, 0.35 and 0.30 sum
	 * to 1.05.  Ten sets are minted; the 0.05 surplus goes back pro-rata:
	 * each pays bid / 1.05.  Exact shares 3.8095238, 3.3333333, 2.8571428;
	 * floors sum to 9.999998 and the two largest remainders (.857, .810)
	 * get the last two micro-units.
	 */
	setup(&f, 3);
	a = add(&f, 1, 0, 1, C(10), C(0.40), 0);
	b = add(&f, 2, 1, 1, C(10), C(0.35), 0);
	c = add(&f, 3, 2, 1, C(10), C(0.30), 0);
	escrows(&f);
	CHECK(match_run(&f.book) == 1, "triangle: one execution");
	CHECK(f.book.executions[0].kind == MATCH_SYNTHETIC, "triangle: it is a synthetic (mint) match");
	CHECK(f.book.executions[0].quantity == C(10) && f.book.executions[0].bids == C(1.05),
		  "triangle: 10 sets at bids summing to 1.05");
	CHECK(paid(&f, a) == 3809524 && paid(&f, b) == 3333333 && paid(&f, c) == 2857143,
		  "triangle: pays 3.809524, 3.333333, 2.857143 (largest remainder)");
	CHECK(paid(&f, a) + paid(&f, b) + paid(&f, c) == C(10), "triangle: the legs pay exactly 10.00");
	CHECK(f.book.collateral_delta == C(10), "triangle: collateral grows by the 10 sets minted");
	CHECK(f.holdings[0 * 3 + 0] == C(10) && f.holdings[1 * 3 + 1] == C(10) && f.holdings[2 * 3 + 2] == C(10),
		  "triangle: each buyer holds 10 of its outcome");
	CHECK(f.accounts[a].free_cash == C(4) - 3809524,
		  "triangle: the 0.40 buyer gets back its surplus share (0.190476)");
	match_free_output(&f.book);

	/*
	 * Direct, naked seller: buy YES 10 at 0.60, sell YES 10 at 0.55.
	 * S = 0.60 + 0.45 = 1.05.  Buyer pays 10 x 0.60 / 1.05 = 5.714286
	 * (rounded up by the larger remainder), seller 4.285714: its
	 * effective price is 1 - 0.4285714 = 0.571429, above its 0.55 ask.
	 */
	setup(&f, 2);
	a = add(&f, 1, 0, 1, C(10), C(0.60), 0);
	b = add(&f, 2, 0, 0, C(10), C(0.55), 0);
	escrows(&f);
	CHECK(match_run(&f.book) == 1 && f.book.executions[0].kind == MATCH_DIRECT,
		  "direct: one direct match");
	CHECK(paid(&f, a) == 5714286 && paid(&f, b) == 4285714, "direct: buyer 5.714286, seller 4.285714");
	CHECK(f.holdings[0 * 2 + 0] == C(10) && f.holdings[1 * 2 + 1] == C(10),
		  "direct: buyer holds 10 YES, the naked seller 10 NO (short YES)");
	CHECK(f.book.collateral_delta == C(10) && f.book.n_redemptions == 0,
		  "direct: 10 sets minted, none redeemed");
	CHECK(f.orders[a].quantity == 0 && f.orders[b].quantity == 0 &&
		  f.orders[a].escrow == 0 && f.orders[b].escrow == 0,
		  "direct: both orders filled, no escrow left");
	match_free_output(&f.book);

	/*
	 * Direct, covered seller: the seller holds 10 YES (and someone else 10
	 * NO).  After the match it holds YES and NO: the 10 sets are redeemed,
	 * it nets 10 - 4.285714 = 5.714286 and collateral is unchanged.
	 */
	setup(&f, 2);
	a = add(&f, 1, 0, 1, C(10), C(0.60), 0);
	b = add(&f, 2, 0, 0, C(10), C(0.55), 0);
	c = add(&f, 3, 1, 1, C(1), C(0.01), 0);	/* holds the NO side, bids far away */
	hold(&f, b, 0, C(10));
	hold(&f, c, 1, C(10));
	escrows(&f);
	CHECK(f.orders[b].escrow == 0, "covered: a sell covered by holdings needs no escrow");
	CHECK(match_run(&f.book) == 1, "covered: one execution");
	CHECK(f.book.n_redemptions == 1 && f.book.redemptions[0].account == b &&
		  f.book.redemptions[0].sets == C(10), "covered: the seller's 10 complete sets are redeemed");
	CHECK(f.accounts[b].cash_delta == C(10) - 4285714, "covered: the seller nets 5.714286");
	CHECK(f.book.collateral_delta == 0, "covered: minted 10, redeemed 10");
	CHECK(f.holdings[b * 2 + 0] == 0 && f.holdings[b * 2 + 1] == 0, "covered: the seller holds nothing");
	match_free_output(&f.book);

	/*
	 * Merge: three sellers, each holding 10 of its outcome, ask 0.30 each
	 * (sum 0.90 <= 1).  K = 2, bids 0.70 each, S = 2.10: each pays
	 * 10 x 2 x 0.70 / 2.10 = 6.6666667; residue 2 micro-units go to the
	 * lower ids on the tie.  Each then holds a complete set of 10 and is
	 * paid 10: nets 3.333333 or 3.333334.  Collateral shrinks by 10.
	 */
	setup(&f, 3);
	a = add(&f, 1, 0, 0, C(10), C(0.30), 0);
	b = add(&f, 2, 1, 0, C(10), C(0.30), 0);
	c = add(&f, 3, 2, 0, C(10), C(0.30), 0);
	hold(&f, a, 0, C(10));
	hold(&f, b, 1, C(10));
	hold(&f, c, 2, C(10));
	escrows(&f);
	CHECK(match_run(&f.book) == 1 && f.book.executions[0].kind == MATCH_MERGE &&
		  f.book.executions[0].sets == 2, "merge: one merge, K = N - 1 = 2");
	CHECK(paid(&f, a) == 6666667 && paid(&f, b) == 6666667 && paid(&f, c) == 6666666,
		  "merge: pays 6.666667, 6.666667, 6.666666 (ties to the lower id)");
	CHECK(f.accounts[a].cash_delta == 3333333 && f.accounts[c].cash_delta == 3333334,
		  "merge: each seller nets its effective price times 10");
	CHECK(f.book.collateral_delta == -C(10), "merge: collateral gives back the 10 sets burned");
	match_free_output(&f.book);

	/*
	 * Pro-rata with remainders: three buyers of 1 at 0.50 against one
	 * seller of 2 at 0.50.  Each buyer gets 2/3: 0.666666 + the two
	 * micro-units left to the two lower ids.
	 */
	setup(&f, 2);
	a = add(&f, 30, 0, 1, C(1), C(0.50), 0);
	b = add(&f, 10, 0, 1, C(1), C(0.50), 0);
	c = add(&f, 20, 0, 1, C(1), C(0.50), 0);
	d = add(&f, 40, 0, 0, C(2), C(0.50), 0);
	escrows(&f);
	CHECK(match_run(&f.book) == 1, "pro-rata: one execution");
	CHECK(f.orders[b].filled == 666667 && f.orders[c].filled == 666667 && f.orders[a].filled == 666666,
		  "pro-rata: 0.666667 to ids 10 and 20, 0.666666 to id 30");
	CHECK(f.orders[d].filled == C(2), "pro-rata: the seller fills completely");
	CHECK(f.orders[a].quantity == 333334 && f.orders[a].escrow == escrow_buy(333334, C(0.5)),
		  "pro-rata: the remainder keeps its escrow, recomputed");
	match_free_output(&f.book);

	/*
	 * Ties between kinds: buy YES 0.60 / sell YES 0.60 (direct, surplus 0)
	 * and buy NO 0.40 with the YES buy (synthetic, surplus 0): direct
	 * goes first.
	 */
	setup(&f, 2);
	a = add(&f, 1, 0, 1, C(5), C(0.60), 0);
	b = add(&f, 2, 0, 0, C(5), C(0.60), 0);
	c = add(&f, 3, 1, 1, C(5), C(0.40), 0);
	escrows(&f);
	CHECK(match_book_crosses(&f.book, &kind, &outcome) && kind == MATCH_DIRECT,
		  "ties: a direct match beats a synthetic one of equal surplus");
	match_run(&f.book);
	CHECK(f.book.executions[0].kind == MATCH_DIRECT && f.book.n_executions == 1,
		  "ties: the direct match fills, and then nothing crosses");
	match_free_output(&f.book);

	/* Greatest surplus first: a synthetic at 1.10 beats a direct at 0.05. */
	setup(&f, 2);
	a = add(&f, 1, 0, 1, C(5), C(0.70), 0);
	b = add(&f, 2, 0, 0, C(5), C(0.65), 0);
	c = add(&f, 3, 1, 1, C(5), C(0.40), 0);
	escrows(&f);
	CHECK(match_book_crosses(&f.book, &kind, &outcome) && kind == MATCH_SYNTHETIC,
		  "order: the candidate with the greatest surplus per set goes first");
	match_free_output(&f.book);

	/* Lower outcome first among equal direct matches. */
	setup(&f, 3);
	add(&f, 1, 2, 1, C(1), C(0.50), 0);
	add(&f, 2, 2, 0, C(1), C(0.50), 0);
	add(&f, 3, 1, 1, C(1), C(0.50), 0);
	add(&f, 4, 1, 0, C(1), C(0.50), 0);
	escrows(&f);
	CHECK(match_book_crosses(&f.book, &kind, &outcome) && kind == MATCH_DIRECT && outcome == 1,
		  "ties: among equal direct matches the lower outcome goes first");
	match_free_output(&f.book);

	/* Nothing crosses: no executions, nothing changes. */
	setup(&f, 2);
	a = add(&f, 1, 0, 1, C(5), C(0.40), C(1));
	b = add(&f, 2, 0, 0, C(5), C(0.45), C(1));
	escrows(&f);
	CHECK(match_run(&f.book) == 0 && f.orders[a].quantity == C(5) && f.accounts[a].free_cash == C(1),
		  "a book that does not cross is left alone");
	match_free_output(&f.book);

	/*
	 * Trimming: a buyer of 2 micro-contracts at 0.50 (escrow 1 micro-unit,
	 * no free cash) fills 1 against a seller of 1.  The shares tie at 0.5
	 * and the lower id, the buyer, pays the micro-unit; its remaining
	 * micro-contract would still need 1 of escrow it no longer has, so the
	 * remainder is trimmed as dust.  Nobody's cash goes negative.
	 */
	setup(&f, 2);
	a = add(&f, 1, 0, 1, 2, C(0.50), 0);
	b = add(&f, 2, 0, 0, 1, C(0.50), 0);
	escrows(&f);
	CHECK(f.orders[a].escrow == 1, "trim: escrow of 2 micro-contracts at 0.5 is 1 (rounded up)");
	match_run(&f.book);
	CHECK(paid(&f, a) == 1 && paid(&f, b) == 0, "trim: the tie gives the micro-unit to the older order");
	CHECK(f.orders[a].filled == 1 && f.orders[a].trimmed == 1 && f.orders[a].quantity == 0,
		  "trim: the buyer's uncovered remainder is trimmed");
	CHECK(f.accounts[a].free_cash == 0 && f.accounts[b].free_cash >= 0,
		  "trim: no account's available cash goes negative");
	match_free_output(&f.book);

	/*
	 * Fees, SPEC 6a's worked example: fee_bps 100, creator_fee_bps 50; a
	 * buy of 100 YES at 0.60 meets a sell of 100 YES at 0.60 from an
	 * account holding no YES.  The buyer reserves 60 + 1.50% x min(0.60,
	 * 0.5) x 100 = 60.75 and pays 60 + 0.40 + 0.20 = 60.60 (0.15 back);
	 * the seller reserves 40 + 1.50% x 0.40 x 100 = 40.60 and pays all of
	 * it; house 0.80, creator 0.40.
	 */
	setup(&f, 2);
	f.book.fee_bps = 100;
	f.book.creator_fee_bps = 50;
	a = add(&f, 1, 0, 1, C(100), C(0.60), 0);
	b = add(&f, 2, 0, 0, C(100), C(0.60), 0);
	escrows(&f);
	CHECK(f.orders[a].escrow == C(60.75) && f.orders[b].escrow == C(40.60),
		  "fees: the buyer reserves 60.75, the seller 40.60");
	CHECK(match_run(&f.book) == 1 && paid(&f, a) == C(60) && paid(&f, b) == C(40),
		  "fees: the buyer pays 60.00 into the match, the seller 40.00");
	CHECK(fees(&f, a, &ca) == C(0.40) && ca == C(0.20) && fees(&f, b, &cb) == C(0.40) && cb == C(0.20),
		  "fees: each pays 0.40 to house and 0.20 to the creator");
	CHECK(f.book.fees == C(0.80) && f.book.creator_fees == C(0.40),
		  "fees: house gets 0.80, the creator 0.40");
	CHECK(f.accounts[a].cash_delta == -C(60.60) && f.accounts[a].free_cash == C(0.15),
		  "fees: the buyer pays 60.60 and gets 0.15 of its escrow back");
	CHECK(f.accounts[b].cash_delta == -C(40.60) && f.accounts[b].free_cash == 0,
		  "fees: the seller pays its whole 40.60");
	CHECK(f.book.collateral_delta == C(100), "fees: the collateral holds the 100 sets");
	match_free_output(&f.book);

	/*
	 * The triangle with a 2% house and a 1% creator fee.  Each buyer
	 * reserves its bid plus 3% of min(bid, 0.5) x 10: 4.12, 3.605, 3.09.
	 * Each rate is floor(bps x min(paid, 10 - paid) / 10000) of the exact
	 * payment, separately: 0.40 paid 3.809524: 0.076190 + 0.038095; 0.35
	 * paid 3.333333: 0.066666 + 0.033333; 0.30 paid 2.857143: 0.057142 +
	 * 0.028571.
	 */
	setup(&f, 3);
	f.book.fee_bps = 200;
	f.book.creator_fee_bps = 100;
	a = add(&f, 1, 0, 1, C(10), C(0.40), 0);
	b = add(&f, 2, 1, 1, C(10), C(0.35), 0);
	c = add(&f, 3, 2, 1, C(10), C(0.30), 0);
	escrows(&f);
	CHECK(f.orders[a].escrow == C(4.12) && f.orders[b].escrow == C(3.605) && f.orders[c].escrow == C(3.09),
		  "triangle with fees: escrows 4.12, 3.605, 3.09");
	CHECK(match_run(&f.book) == 1 && paid(&f, a) == 3809524 && paid(&f, b) == 3333333 &&
		  paid(&f, c) == 2857143, "triangle with fees: the legs pay as without fees");
	CHECK(fees(&f, a, &ca) == 76190 && ca == 38095 && fees(&f, b, &cb) == 66666 && cb == 33333 &&
		  fees(&f, c, &cc) == 57142 && cc == 28571,
		  "triangle with fees: each rate rounded down on its own");
	CHECK(f.book.fees == 199998 && f.book.creator_fees == 99999,
		  "triangle with fees: house 0.199998, creator 0.099999");
	CHECK(f.accounts[a].free_cash == C(4.12) - 3809524 - 76190 - 38095,
		  "triangle with fees: the 0.40 buyer gets back what it reserved less what it paid");
	match_free_output(&f.book);

	/*
	 * A merge with fees: three holders sell their 10 at 0.30 (fee_bps 100,
	 * creator_fee_bps 50).  A covered sell reserves the fee alone: 1.50%
	 * x min(0.70, 0.5) x 10 = 0.075.  Each pays 6.666667 or 6.666666 and
	 * is paid 10: min(paid, q - paid) is 3.333333 or 3.333334, so each pays
	 * 0.033333 + 0.016666.
	 */
	setup(&f, 3);
	f.book.fee_bps = 100;
	f.book.creator_fee_bps = 50;
	a = add(&f, 1, 0, 0, C(10), C(0.30), 0);
	b = add(&f, 2, 1, 0, C(10), C(0.30), 0);
	c = add(&f, 3, 2, 0, C(10), C(0.30), 0);
	hold(&f, a, 0, C(10));
	hold(&f, b, 1, C(10));
	hold(&f, c, 2, C(10));
	escrows(&f);
	CHECK(f.orders[a].escrow == C(0.075), "merge with fees: a covered sell reserves the fee alone, 0.075");
	CHECK(match_run(&f.book) == 1 && f.book.executions[0].kind == MATCH_MERGE,
		  "merge with fees: one merge");
	CHECK(fees(&f, a, &ca) == 33333 && ca == 16666 && fees(&f, c, &cc) == 33333 && cc == 16666,
		  "merge with fees: 0.033333 + 0.016666 each");
	CHECK(f.accounts[a].cash_delta == 3333333 - 49999 && f.accounts[c].cash_delta == 3333334 - 49999,
		  "merge with fees: each seller nets its proceeds less its fees");
	CHECK(f.book.fees == 99999 && f.book.creator_fees == 49998 && f.accounts[a].free_cash == 3333333 - 49999 + C(0.075),
		  "merge with fees: house 0.099999, creator 0.049998, the fee reserve released");
	match_free_output(&f.book);

	/*
	 * The dust trim counts fees (fee_bps 4000).  A buyer of 10 micro at
	 * 0.40 with no free cash reserves 4 + ceil(1.6) = 6; a naked seller of
	 * 7 at 0.40.  The buyer pays 3 (largest remainder) and a fee of
	 * floor(0.4 x 3) = 1.  Its 3 left would need 2 + ceil(0.48) = 3, but
	 * only 6 - 3 - 1 = 2 is left: it keeps the 2 whose escrow (1 + 1) fits
	 * and 1 is trimmed.  Ignoring fees (keep 2 / 0.40 = 5, capped at 3)
	 * would leave it a micro-unit short.
	 */
	setup(&f, 2);
	f.book.fee_bps = 4000;
	a = add(&f, 1, 0, 1, 10, C(0.40), 0);
	b = add(&f, 2, 0, 0, 7, C(0.40), 0);
	escrows(&f);
	CHECK(f.orders[a].escrow == 6, "fee trim: the buyer reserves 4 + 2");
	match_run(&f.book);
	CHECK(paid(&f, a) == 3 && fees(&f, a, &ca) == 1, "fee trim: the buyer pays 3 and a fee of 1");
	CHECK(f.orders[a].filled == 7 && f.orders[a].quantity == 2 && f.orders[a].trimmed == 1 &&
		  f.orders[a].escrow == 2 && f.accounts[a].free_cash == 0,
		  "fee trim: it keeps 2 micro-contracts with escrow 2, trims 1, and its cash stays at 0");
	match_free_output(&f.book);

	/*
	 * Allocation, one level of three buyers at 0.50 (ids 10, 11, 12 with
	 * 3, 2 and 4) against a seller of 5 at 0.50, house fee 1%.  S = 1.00,
	 * so every leg pays 0.50 per unit; fee = 1% of min(paid, q - paid).
	 *
	 * Pro-rata: shares 3 x 5/9 = 1.666666|6, 2 x 5/9 = 1.111111|1,
	 * 4 x 5/9 = 2.222222|2; floors sum to 4.999999, the last micro-unit
	 * to the largest remainder (id 10): 1.666667, 1.111111, 2.222222.
	 * Payments 0.8333335, 0.5555555, 1.111111, seller 2.50: floors sum to
	 * 4.999999, the tie on the remainder .5 (ids 10 and 11) goes to id 10:
	 * 0.833334, 0.555555, 1.111111.  Fees: 1% of 0.833333, 0.555555,
	 * 1.111111 and 2.50: 0.008333, 0.005555, 0.011111, 0.025.
	 */
	for (d = 0; d < 2; d++)
	{
		const char *rule = d == 0 ? "pro-rata" : "price-time";

		setup(&f, 2);
		f.book.fee_bps = 100;
		f.book.allocation = d == 0 ? MATCH_PRO_RATA : MATCH_PRICE_TIME;
		/* placed out of id order: the core sorts the level by id */
		c = add(&f, 12, 0, 1, C(4), C(0.50), 0);
		a = add(&f, 10, 0, 1, C(3), C(0.50), 0);
		b = add(&f, 11, 0, 1, C(2), C(0.50), 0);
		add(&f, 20, 0, 0, C(5), C(0.50), 0);
		escrows(&f);
		CHECK(match_run(&f.book) == 1 && f.book.executions[0].quantity == C(5),
			  "%s: one execution of 5", rule);
		if (d == 0)
		{
			CHECK(f.orders[a].filled == 1666667 && f.orders[b].filled == 1111111 &&
				  f.orders[c].filled == 2222222,
				  "pro-rata: the level fills 1.666667, 1.111111, 2.222222 (largest remainder to id 10)");
			CHECK(paid(&f, a) == 833334 && paid(&f, b) == 555555 && paid(&f, c) == 1111111,
				  "pro-rata: they pay 0.833334, 0.555555, 1.111111");
			CHECK(fees(&f, a, &ca) == 8333 && fees(&f, b, &cb) == 5555 &&
				  fees(&f, c, &cc) == 11111 && f.book.fees == 8333 + 5555 + 11111 + 25000,
				  "pro-rata: fees 0.008333, 0.005555, 0.011111, seller 0.025");
			CHECK(f.book.n_fills == 4, "pro-rata: four fills, every order of the level");
		}
		else
		{
			CHECK(f.orders[a].filled == C(3) && f.orders[b].filled == C(2) &&
				  f.orders[c].filled == 0 && f.orders[c].quantity == C(4),
				  "price-time: the oldest two fill whole (3, 2), the newest waits with 4");
			CHECK(paid(&f, a) == C(1.5) && paid(&f, b) == C(1) && paid(&f, c) == 0,
				  "price-time: they pay 1.50, 1.00, 0");
			CHECK(fees(&f, a, &ca) == 15000 && fees(&f, b, &cb) == 10000 &&
				  f.book.fees == 15000 + 10000 + 25000,
				  "price-time: fees 0.015, 0.010, seller 0.025");
			CHECK(f.book.n_fills == 3, "price-time: three fills, the newest order none");
		}
		match_free_output(&f.book);
	}

	/*
	 * Price-time, the oldest order partly: the seller of 2 against the
	 * same level fills id 10 with 2 of its 3; ids 11 and 12 wait.
	 */
	setup(&f, 2);
	f.book.allocation = MATCH_PRICE_TIME;
	c = add(&f, 12, 0, 1, C(4), C(0.50), 0);
	b = add(&f, 11, 0, 1, C(2), C(0.50), 0);
	a = add(&f, 10, 0, 1, C(3), C(0.50), 0);
	add(&f, 20, 0, 0, C(2), C(0.50), 0);
	escrows(&f);
	match_run(&f.book);
	CHECK(f.orders[a].filled == C(2) && f.orders[a].quantity == C(1) &&
		  f.orders[b].filled == 0 && f.orders[c].filled == 0 && f.book.n_fills == 2,
		  "price-time: a fill smaller than the oldest order goes to it alone (2 of its 3)");
	match_free_output(&f.book);

	/*
	 * Overflow: a covered seller whose free cash is within 5 micro-units of
	 * INT64_MAX redeems 10 sets: its cash would pass the int64 range.  The
	 * core flags the book and stops rather than wrap.
	 */
	setup(&f, 2);
	a = add(&f, 1, 0, 0, C(10), C(0.40), INT64_MAX - 5);
	hold(&f, a, 0, C(10));
	b = add(&f, 2, 0, 1, C(10), C(0.50), 0);
	escrows(&f);
	match_run(&f.book);
	CHECK(f.book.overflow, "overflow: a redemption past INT64_MAX flags the book");
	CHECK(f.accounts[a].free_cash == INT64_MAX,
		  "overflow: the cash saturates rather than wrapping to a negative balance");
	match_free_output(&f.book);
	setup(&f, 2);
	a = add(&f, 1, 0, 0, C(10), C(0.40), INT64_MAX - C(10));
	hold(&f, a, 0, C(10));
	b = add(&f, 2, 0, 1, C(10), C(0.50), 0);
	escrows(&f);
	CHECK(match_run(&f.book) == 1 && !f.book.overflow &&
		  f.accounts[a].free_cash == INT64_MAX - C(10) + C(10) - paid(&f, a),
		  "no overflow: the same sale with room for its proceeds goes through");
	match_free_output(&f.book);

	return UNIT_DONE();
}
