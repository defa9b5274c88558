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

#include "fmgr.h"
#include "utils/numeric.h"

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

/* snowflake.c */
extern int64 market_snowflake_next(void);
extern void market_snowflake_shmem_init(void);

/* money.c */
extern int64 market_numeric_to_micros(Numeric num, const char *what,
									  int64 max_micros);
extern int64 market_amount_arg(FunctionCallInfo fcinfo, int argno,
							   const char *what);
extern Numeric market_micros_to_numeric(int64 micros);
extern char *market_micros_to_cstring(int64 micros);

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
extern void market_require_role(int roles, const char *action);
extern void market_require_account(int64 account, Oid owner, bool act,
								   const char *action);

/* events.c */
extern void market_event(const char *name, int64 market, int64 account,
						 const char *payload_json);

/* common argument checks */
extern int64 market_id_arg(FunctionCallInfo fcinfo, int argno,
						   const char *what);

#endif							/* MARKET_H */
