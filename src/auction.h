/*
 * auction.h
 *	  One auction of one market, bound to tables: what the engine
 *	  (auction.c), the loaders (auction_load.c) and the writer
 *	  (auction_write.c) share.
 *
 * The engine loads a book into an Auction, runs the pure core (match.c)
 * on a copy of it, locks the accounts that took part and writes the
 * result.  The book is the whole of a market's open orders (execute, the
 * closing auction) or, for a placement in an auto_execute market, only
 * the part of the book the new order can reach (SPEC 7a).  Either way the
 * core's arrays are laid out the same: account i owns order i (one open
 * order per account per market), holdings are [account * N + outcome].
 */
#ifndef MARKET_AUCTION_H
#define MARKET_AUCTION_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "utils/tuplestore.h"

#include "match.h"

/* Account ids sorted, with the index of each in the core's arrays. */
typedef struct AccountIndex
{
	int64		id;
	int32		index;
} AccountIndex;

typedef struct Auction
{
	int64		market;
	int32		number;
	int64		collateral;
	int64		creator_fees;	/* the creator-fee account, 0 if none */
	int32		fee_bps;
	int32		creator_fee_bps;
	bool		price_time;		/* the market's allocation rule */
	int32		n_outcomes;
	int64	   *outcome_ids;
	/* the pristine input, kept to re-run the core */
	MatchBook	input;
	int64	   *costs;			/* cost of each input holding, parallel to it */
	AccountIndex *accounts;		/* sorted by id */
	/* the result */
	MatchBook	book;
	/* locked accounts' balance and locked, by account index */
	int64	   *balance;
	int64	   *locked;
	bool	   *is_locked;
	bool	   *expired;		/* by account index: its gtd order expired */
	bool	   *ioc;			/* by account index: its order is ioc */
	TimestampTz asof;			/* the auction's "now", for expiry */
	bool		nowait;			/* raise 55P03 rather than wait for a row */
	/* the market's own rows, locked with the participants if it matched */
	bool		market_rows_locked;
	/* the highest id of the user rows locked so far */
	int64		highest_locked;
	int64		collateral_balance;
	int64		creator_fees_balance;
	/* a placement's auction (SPEC 7a): only the new order's reach loaded */
	bool		reach;
	int32		placed;			/* the new order's index (order and account) */
	int64		reserve;		/* its escrow less what it replaces, not yet in locked */
} Auction;

/* The new order of a placement, for auction_load_reach. */
typedef struct AuctionOrder
{
	int64		id;
	int64		account;
	int64		outcome;		/* the outcome's id */
	bool		is_buy;
	int64		price;
	int64		quantity;
	int64		escrow;
	int64		replaced;		/* the order it replaces (kept out), or 0 */
	int64		reserve;		/* escrow - the replaced order's escrow */
	bool		ioc;
} AuctionOrder;

/* The core's index of an account, or -1. */
static inline int
auction_find_account(const Auction *au, int64 id)
{
	const AccountIndex *ix = au->accounts;
	int			lo = 0,
				hi = au->input.n_accounts - 1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (ix[mid].id == id)
			return ix[mid].index;
		if (ix[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Did account i take part in the auction? */
static inline bool
auction_participant(const MatchBook *b, int i)
{
	const MatchOrder *o = &b->orders[b->accounts[i].order];

	return b->accounts[i].cash_delta != 0 || o->filled > 0 || o->trimmed > 0;
}

/* auction_load.c */
extern void auction_load_book(Auction *au);
extern void auction_load_reach(Auction *au, const AuctionOrder *x, int64 target);

/* auction_write.c */
extern void auction_write(Auction *au, Tuplestorestate *out, TupleDesc outdesc,
						  int64 *collateral_balance, int64 creator_fees_balance);

#endif							/* MARKET_AUCTION_H */
