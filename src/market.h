/*
 * market.h
 *	  Declarations shared by the C files of the market extension.
 *
 * Units: inside C every amount of cash, every quantity of contracts and
 * every price is an int64 count of micro-units (1 micro-unit = 0.000001).
 * The SQL surface speaks numeric; money.c converts at the boundary and
 * refuses anything that is not exactly representable.
 *
 * Errors: standard SQLSTATEs where they fit (22023, 22003, 22004, 42501,
 * 55000, 23505, P0002) and the extension's own class MK for the ledger's
 * domain errors, listed below and in the README.
 */
#ifndef MARKET_H
#define MARKET_H

#include "postgres.h"

#include "access/tupdesc.h"
#include "fmgr.h"
#include "storage/lockdefs.h"
#include "utils/numeric.h"
#include "utils/relcache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

/* The extension's SQLSTATE class "MK". */
#define ERRCODE_MARKET_INSUFFICIENT_FUNDS	MAKE_SQLSTATE('M','K','0','0','1')
#define ERRCODE_MARKET_IDEMPOTENCY_REUSED	MAKE_SQLSTATE('M','K','0','0','2')
#define ERRCODE_MARKET_JOURNAL_APPEND_ONLY	MAKE_SQLSTATE('M','K','0','0','3')
#define ERRCODE_MARKET_INVARIANT_VIOLATED	MAKE_SQLSTATE('M','K','0','0','4')

#define MICROS_PER_UNIT		INT64CONST(1000000)

/* Largest cash amount one call may move: one trillion. */
#define MARKET_MAX_AMOUNT	(INT64CONST(1000000000000) * MICROS_PER_UNIT)

/* The system accounts have fixed ids (see sql/market--0.1.sql). */
#define MARKET_ACCOUNT_EXTERNAL	INT64CONST(1)
#define MARKET_ACCOUNT_HOUSE	INT64CONST(2)

/* market.c */
extern int	market_node_id;
extern bool market_notify;
extern bool market_allow_drop;

/* drop_guard.c */
extern void market_drop_guard_init(void);

/* snowflake.c */
extern int64 market_snowflake_next(void);
extern void market_snowflake_shmem_init(void);
extern void market_require_preload(void);

/* money.c */
extern int64 market_numeric_to_micros(Numeric num, const char *what,
									  int64 max_micros);
extern int64 market_amount_arg(FunctionCallInfo fcinfo, int argno,
							   const char *what);
extern Numeric market_micros_to_numeric(int64 micros);
extern char *market_micros_to_cstring(int64 micros);
extern void market_out_of_range(const char *what) pg_attribute_noreturn();
extern int64 market_add_micros(int64 a, int64 b, const char *what);

/* labels.c */
extern text *market_clean_text(text *t, const char *what);

/* security.c */
typedef enum MarketRole
{
	MARKET_ROLE_ADMIN = 1 << 0,
	MARKET_ROLE_OPERATOR = 1 << 1,
	MARKET_ROLE_TRADER = 1 << 2,
	MARKET_ROLE_ORACLE = 1 << 3
} MarketRole;

extern Oid	market_caller(void);
extern bool market_caller_has(int roles);
extern bool market_is_extension_role(Oid role);
extern void market_require_role(int roles, const char *action);
extern void market_require_account(int64 account, Oid owner, bool act,
								   const char *action);
extern void market_require_trigger(FunctionCallInfo fcinfo, const char *name,
								   bool for_each_row);

typedef struct MarketIdentity
{
	Oid			userid;
	int			sec_context;
} MarketIdentity;

extern void market_become_owner(Relation rel, MarketIdentity *save);
extern void market_restore_identity(const MarketIdentity *save);

/* ledger.c */
extern void market_account_not_found(int64 account) pg_attribute_noreturn();
extern void market_check_idempotency_key(text *key);
extern bool market_idempotency_lookup(int64 account, text *key,
									  const char *request, int64 *result);
extern void market_idempotency_record(int64 account, text *key,
									  const char *request, int64 result);

/* locks.c: see there for what each mode excludes */
#define MARKET_LOCK_TRADE	RowExclusiveLock
#define MARKET_LOCK_FREEZE	ExclusiveLock
extern int	market_lock_timeout;
extern void market_locks_init(void);
extern void market_lock(int64 market, LOCKMODE mode);
extern bool market_try_lock(int64 market, LOCKMODE mode);
extern int	market_bound_waits(void);
extern void market_unbound_waits(int level);
struct MarketStatement;
extern uint64 market_exec_locking(struct MarketStatement *stmt, Datum *values,
								  const char *nulls, int expected_ret, int32 number);

/* markets.c */
#define MARKET_MAX_OUTCOMES 256
/* The longest dispute window: a year (intervals compare 1 month = 30 days) */
#define MARKET_MAX_DISPUTE_WINDOW "366 days"

typedef struct MarketRow
{
	int64		id;
	int32		number;
	char	   *state;			/* as stored; see market_effective_state() */
	char	   *kind;
	int64		tick;
	bool		has_close_at;
	TimestampTz close_at;
	int64		oracle;			/* 0 if none */
	char	   *oracle_kind;
	int64		collateral;
	bool		auto_execute;
	bool		closing_auction;	/* run one last auction when it closes */
	TimestampTz finalizes_at;	/* end of the dispute window, if resolved */
	int32		fee_bps;		/* house fee rate (0 on a 0.1 catalog) */
	int32		creator_fee_bps;	/* creator fee rate (0 on a 0.1 catalog) */
	int64		creator;		/* the creator's account, 0 if none */
	int64		creator_fees;	/* the account creator fees accrue in, 0 if none */
	bool		price_time;		/* allocation 'price_time': a level fills oldest first */
} MarketRow;

extern bool market_has_fees(void);

extern bool market_read(int64 market, MarketRow *row);
extern MarketRow market_fetch(int64 market);
extern void market_not_found(int64 market) pg_attribute_noreturn();
extern void market_outcome_not_found(int64 outcome, int64 market) pg_attribute_noreturn();
extern bool market_past_close(const MarketRow *row);
extern const char *market_effective_state(const MarketRow *row);
extern void market_require_trading(const MarketRow *row);
extern bool market_close_pending(const MarketRow *row);
extern int64 market_close(MarketRow *row, bool by_clock, bool nowait,
						  Tuplestorestate *out, TupleDesc outdesc);
extern void market_catch_up(MarketRow *row);
extern void market_write_state(MarketRow *row, const char *state,
							   const char *event, const char *reason);

/* resolution.c */
extern bool market_finalize_due(MarketRow *m, int64 account, int64 limit);

/* distribution.c: distribution markets (SPEC section 10a) */
struct ReturnSetInfo;
extern bool market_is_distribution(const MarketRow *m);
extern void market_distribution_refuse_outcomes(const MarketRow *m);
extern void market_distribution_resolve(MarketRow *m, FunctionCallInfo fcinfo, int argno);
extern void market_distribution_withdraw(const MarketRow *m);
extern void market_distribution_fix_payouts(const MarketRow *m, int64 collateral);
extern void market_distribution_fix_refunds(const MarketRow *m, int64 collateral);
extern void market_distribution_settle(struct ReturnSetInfo *rsinfo, const MarketRow *m,
									   const char *kind, int64 account, int64 limit);
extern void market_distribution_check(int64 market);
extern void market_distribution_invariants(struct ReturnSetInfo *rsinfo);

/* book_cancel.c */
typedef enum MarketCancel
{
	MARKET_CANCEL_ALL,			/* every open order */
	MARKET_CANCEL_EXPIRED,		/* gtd orders past expires_at */
	MARKET_CANCEL_IOC			/* ioc orders (after an auction) */
} MarketCancel;

extern int	market_cancel_book(const MarketRow *m, const char *reason, MarketCancel which,
							   bool nowait, TimestampTz asof);
extern int	market_cancel_book_orders(const MarketRow *m, const char *reason, Datum *ids, int n);

/* fees.c */
extern void market_pay_creator_fees(const MarketRow *m);

/* locks.c: account rows locked up front, in one statement in id order */
extern void market_lock_book(const MarketRow *m, int64 extra, bool nowait);
extern void market_lock_books(Datum *markets, int n, int64 extra, int32 number);
extern void market_lock_settle_batch(const MarketRow *m, int64 account, int64 limit);

/* auction.c */

/* A placement in an auto_execute market, matched as it is placed (SPEC 7a). */
typedef struct MarketPlacement
{
	int64		order;			/* the new order's id */
	int64		account;
	int64		outcome;		/* its outcome's id */
	bool		is_buy;
	int64		price;
	int64		quantity;
	int64		escrow;
	bool		ioc;
	int64		replaced;		/* the order it replaces, or 0 */
	int64		released;		/* that order's escrow */
	/* set by market_placement_match: the placer's row, locked */
	int64		balance;
	int64		locked;
	/* private to auction.c */
	void	   *private;
	MemoryContext cxt;
} MarketPlacement;

extern void market_placement_match(const MarketRow *m, MarketPlacement *p);
extern void market_placement_write(const MarketRow *m, MarketPlacement *p);
extern int64 market_auction(const MarketRow *m, TimestampTz asof, bool closing,
							Tuplestorestate *out, TupleDesc outdesc, bool nowait);
extern int64 market_closing_auction(const MarketRow *m, TimestampTz asof, bool nowait,
									Tuplestorestate *out, TupleDesc outdesc);

/* events.c */
extern void market_event(const char *name, int64 market, int64 account,
						 const char *payload_json);
extern void market_notify_rows(void);
extern void market_event_notify(int64 id, const char *name, int64 market,
								const char *payload_json);

/* common argument checks */
extern int64 market_id_arg(FunctionCallInfo fcinfo, int argno,
						   const char *what);

#endif							/* MARKET_H */
