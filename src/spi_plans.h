/*
 * spi_plans.h
 *	  Saved, parameterized SPI statements.
 *
 * Each C file declares the SQL it runs as static MarketStatement values,
 * next to the code that uses them: fully schema-qualified text with $n
 * parameters, never values pasted in.  The first execution in a backend
 * prepares the statement and keeps the plan (SPI_keepplan); later ones
 * reuse it, re-preparing only if the plan was invalidated.
 */
#ifndef MARKET_SPI_PLANS_H
#define MARKET_SPI_PLANS_H

#include "postgres.h"

#include "executor/spi.h"

#define MARKET_MAX_ARGS 17

typedef struct MarketStatement
{
	const char *sql;
	int			nargs;
	Oid			argtypes[MARKET_MAX_ARGS];
	SPIPlanPtr	plan;			/* NULL until first use */
} MarketStatement;

/*
 * Run a statement inside an open SPI connection.  nulls uses SPI's
 * convention (' ' not null, 'n' null) and may be NULL.  Raises an internal
 * error unless SPI returns expected_ret.  Returns SPI_processed.
 */
extern uint64 market_exec(MarketStatement *stmt, Datum *values,
						  const char *nulls, int expected_ret);

/* A read-only statement against the latest committed state. */
extern uint64 market_exec_latest(MarketStatement *stmt, Datum *values,
								 const char *nulls);

/* Column fetchers for row 0..n of SPI_tuptable. */
extern int64 market_get_int64(uint64 row, int col, bool *isnull);
extern Datum market_get_datum(uint64 row, int col, bool *isnull);

/* A one-dimensional bigint[] of n elements (nulls may be NULL: none). */
extern Datum market_int8_array(Datum *elems, bool *nulls, int n);

#endif							/* MARKET_SPI_PLANS_H */
