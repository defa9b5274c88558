/*
 * match.h
 *	  The pure matching core: one call auction over one market's book.
 *
 * No PostgreSQL calls: the unit tests, the property test and the fuzzer
 * link it alone; auction.c binds it to tables.  All amounts are int64
 * micro-units (cash, contracts and prices); products use 128-bit integers.
 *
 * The caller fills a MatchBook with the market's open orders, the accounts
 * that own them (with their free cash, balance - locked over all markets)
 * and those accounts' holdings of every outcome, then calls match_run().
 * The core updates orders, accounts and holdings in place and appends
 * what it did to the executions, fills and redemptions arrays.  The same
 * input always gives the same output.  See match.c for the rules.
 *
 * Fees: each fill pays, on top of what it paid into the match, a house
 * fee and a creator fee (escrow.h, fill_fee); an account's cash_delta
 * includes them, and fees + creator_fees total them, so that cash_delta
 * over all accounts + collateral_delta + fees + creator_fees == 0.  Order
 * escrow is escrow_of(..., fee_bps + creator_fee_bps).
 */
#ifndef MARKET_MATCH_H
#define MARKET_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum MatchKind
{
	MATCH_DIRECT = 0,			/* buy i + sell i, K = 1 */
	MATCH_SYNTHETIC = 1,		/* a buy on every outcome, K = 1 */
	MATCH_MERGE = 2				/* a sell on every outcome, K = N - 1 */
} MatchKind;

/*
 * How a level's fill is shared among its orders (SPEC 7): pro-rata by
 * open quantity, largest remainder (the default, zero), or oldest order
 * first (lowest id), each up to its quantity.
 */
typedef enum MatchAllocation
{
	MATCH_PRO_RATA = 0,
	MATCH_PRICE_TIME = 1
} MatchAllocation;

typedef struct MatchOrder
{
	int64_t		id;				/* ties go to the lower id (the older order) */
	int32_t		account;		/* index into accounts[] */
	int32_t		outcome;		/* 0 .. n_outcomes - 1 */
	bool		is_buy;
	int64_t		price;			/* micro, 0 < price <= 1000000 */
	int64_t		quantity;		/* open remainder; updated */
	int64_t		escrow;			/* current escrow; updated */
	int64_t		filled;			/* out: filled in this auction */
	int64_t		trimmed;		/* out: dust removed so escrow fits the cash */
} MatchOrder;

typedef struct MatchAccount
{
	int64_t		id;
	int64_t		free_cash;		/* balance - locked, all markets; updated */
	int64_t		cash_delta;		/* out: net change of balance */
	int32_t		order;			/* its open order here, or -1 */
} MatchAccount;

typedef struct MatchExecution
{
	MatchKind	kind;
	int32_t		outcome;		/* direct: the outcome; else -1 */
	int32_t		sets;			/* K: complete sets minted per unit */
	int64_t		quantity;		/* units filled on every leg */
	int64_t		bids;			/* S: sum of the legs' bids per unit */
	int32_t		first_fill;
	int32_t		n_fills;
	int32_t		first_redemption;
	int32_t		n_redemptions;
} MatchExecution;

typedef struct MatchFill
{
	int32_t		execution;
	int32_t		order;
	int64_t		quantity;
	int64_t		paid;			/* cash this leg paid into the match */
	int64_t		fee;			/* house fee: fill_fee(quantity, paid, fee_bps) */
	int64_t		creator_fee;	/* creator fee: fill_fee(..., creator_fee_bps) */
} MatchFill;

typedef struct MatchRedemption
{
	int32_t		execution;
	int32_t		account;
	int64_t		sets;			/* complete sets burned, paid 1.00 each */
} MatchRedemption;

typedef struct MatchBook
{
	/* input */
	int32_t		n_outcomes;
	int32_t		n_orders;
	MatchOrder *orders;
	int32_t		n_accounts;
	MatchAccount *accounts;
	int64_t    *holdings;		/* [account * n_outcomes + outcome]; updated */
	int32_t		fee_bps;		/* house rate (SPEC 6a); escrow uses both */
	int32_t		creator_fee_bps;	/* creator rate; fee_bps + this <= 10000 */
	MatchAllocation allocation; /* a level's split; zero is pro-rata */

	/* output, grown with the allocator below */
	MatchExecution *executions;
	int32_t		n_executions;
	MatchFill  *fills;
	int32_t		n_fills;
	MatchRedemption *redemptions;
	int32_t		n_redemptions;
	int64_t		collateral_delta;	/* minted minus redeemed */
	int64_t		fees;			/* house fees charged */
	int64_t		creator_fees;	/* creator fees charged */
	bool		overflow;		/* a sum passed the int64 range: see below */

	/* allocator: malloc/realloc/free if left NULL */
	void	   *(*alloc) (size_t size);
	void	   *(*grow) (void *ptr, size_t size);
	void		(*release) (void *ptr);

	/* private */
	int32_t		cap_executions;
	int32_t		cap_fills;
	int32_t		cap_redemptions;
} MatchBook;

/*
 * Run the auction until nothing crosses.  Returns the executions made.
 *
 * Overflow: if a cash amount or a holding would pass the int64 range
 * (an account near the largest balance receiving more), the core sets
 * book->overflow, stops after that match and leaves the output unusable;
 * the caller must refuse the auction (the SPI layer raises 22003).
 */
extern int32_t match_run(MatchBook *book);

/* Free the output arrays (not the input). */
extern void match_free_output(MatchBook *book);

/*
 * Does anything cross?  Fills *kind and *outcome with the best candidate
 * if so.  Exposed for the tests' "nothing crosses afterwards".
 */
extern bool match_book_crosses(const MatchBook *book, MatchKind *kind,
							   int32_t *outcome);

#endif							/* MARKET_MATCH_H */
