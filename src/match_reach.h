/*
 * match_reach.h
 *	  The part of an uncrossed book that one new order can reach (SPEC 7a).
 *
 * No PostgreSQL calls: the unit tests and the property test link it with
 * match.c alone; auction_load.c binds it to index range scans.
 *
 * In an auto_execute market the book is uncrossed before every placement,
 * so every match the auction makes includes the new order X, and the
 * auction needs only the orders X can meet:
 *	  X buys i at p:  asks of i at <= p (direct), and, when every other
 *					  outcome j has a bid and p + the best bids >= 1.00,
 *					  the bids of each j down to 1.00 - p - the best bids of
 *					  the others (synthetic);
 *	  X sells i at p: bids of i at >= p (direct), and, when every other
 *					  outcome has an ask and p + the best asks <= 1.00, the
 *					  asks of each j up to 1.00 - p - the best asks of the
 *					  others (merge).
 * Nothing else can ever cross: an auction only takes quantity out of the
 * book, so every best price only gets worse, and a candidate without X,
 * not crossing before, never crosses later.  The bounds use the best
 * prices before the auction, so they only over-cover.
 *
 * Depth: each match fills the same quantity on every leg, and every match
 * includes X, so the auction takes at most X's quantity from any side.
 * A side is loaded in book order (best price first, then the older order)
 * until the quantity loaded reaches X's, completing the last price level
 * under pro-rata allocation (a level fills in proportion over all of its
 * orders).  If more of the side lies within its bound, the loader puts a
 * "phantom" order where the next order would be: an order of its own
 * account, with a quantity no fill can exhaust, behind every loaded order
 * at its price.  The phantom never changes a round: while the loaded
 * orders at a level last, the level's total is at least what the round
 * fills with or without it.  If the core ever fills a phantom, the window
 * was too shallow (dust trims can shrink what was loaded): the caller
 * loads deeper and runs the core again.  When no phantom is filled, the
 * result is the full auction's, to the micro-unit, fees included: the same
 * rounds, the same fills and the same splits (the property test in
 * test/unit checks it against match_run on the whole book).
 */
#ifndef MARKET_MATCH_REACH_H
#define MARKET_MATCH_REACH_H

#include "match.h"

/* One side of one outcome that X can reach, and how far. */
typedef struct MatchReachSide
{
	int32_t		outcome;
	bool		is_buy;			/* the bids of outcome (true) or its asks */
	int64_t		bound;			/* reachable: bids at >= bound, asks at <= bound */
} MatchReachSide;

/* "No order on this side" in the best-price arrays of match_reach. */
#define MATCH_NO_PRICE	INT64_C(-1)

/*
 * The sides X (outcome, is_buy, price) can reach, given the best bid and
 * best ask of every outcome before it (MATCH_NO_PRICE where a side is
 * empty).  Fills sides[] (room for n_outcomes) and returns their number:
 * 0 when X crosses nothing.
 */
extern int32_t match_reach(int32_t n_outcomes, int32_t outcome, bool is_buy,
						   int64_t price, const int64_t *best_bid,
						   const int64_t *best_ask, MatchReachSide *sides);

/* Is a price within a reached side's bound? */
static inline bool
match_reach_within(const MatchReachSide *s, int64_t price)
{
	return s->is_buy ? price >= s->bound : price <= s->bound;
}

/*
 * Loading one side: feed it the side's orders in book order and take each
 * while match_window_wants() says so.
 */
typedef struct MatchWindow
{
	int64_t		target;			/* quantity to cover: X's, or more */
	bool		whole_levels;	/* pro-rata: complete the last level */
	int64_t		taken;			/* open quantity taken so far (capped) */
	int64_t		last_price;		/* price of the last order taken */
	int32_t		count;			/* orders taken */
} MatchWindow;

static inline void
match_window_init(MatchWindow *w, int64_t target, MatchAllocation allocation)
{
	w->target = target;
	w->whole_levels = allocation == MATCH_PRO_RATA;
	w->taken = 0;
	w->last_price = MATCH_NO_PRICE;
	w->count = 0;
}

/* Must the next order of the side, at this price, be loaded? */
static inline bool
match_window_wants(const MatchWindow *w, int64_t price)
{
	return w->taken < w->target || (w->whole_levels && price == w->last_price);
}

/* Take it (quantity: what it can fill now; 0 for an expired order). */
static inline void
match_window_take(MatchWindow *w, int64_t price, int64_t quantity)
{
	w->taken = quantity > w->target - w->taken ? w->target : w->taken + quantity;
	w->last_price = price;
	w->count++;
}

/*
 * Phantom orders: ids above every real order's (the lowest phantom id is
 * MATCH_PHANTOM_ID - 2 * n_outcomes), a quantity no round reaches, and
 * free cash no fill exhausts.
 */
#define MATCH_PHANTOM_ID		INT64_MAX
#define MATCH_PHANTOM_QUANTITY	(INT64_C(1000000000) * INT64_C(1000000) * 4)
#define MATCH_PHANTOM_CASH		(INT64_MAX / 4)

/*
 * Fill in a phantom order for side s at price (the next order's), owned
 * by account index account (whose MatchAccount the caller also fills with
 * match_phantom_account).  n is which phantom (0, 1, ...).
 */
extern void match_phantom_order(MatchOrder *o, const MatchReachSide *s, int64_t price,
								 int32_t account, int32_t n, int32_t bps);
extern void match_phantom_account(MatchAccount *a, int32_t order, int32_t n);

/* Did the core fill a phantom (the window was too shallow)? */
extern bool match_phantom_filled(const MatchBook *book);

#endif							/* MARKET_MATCH_REACH_H */
