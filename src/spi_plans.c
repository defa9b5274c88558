/*
 * spi_plans.c
 *	  Prepare-once execution of the extension's SQL; see spi_plans.h.
 *
 * Modelled on ri_triggers.c: the plan is prepared with the statement's
 * parameter types, kept in CacheMemoryContext with SPI_keepplan, checked
 * with SPI_plan_is_valid before each use and re-prepared if an object it
 * depended on changed.  Plans are per backend; nothing here is shared.
 *
 * SPI returns from every call in its procedure context; these wrappers
 * switch back to the caller's, so that a caller working in a short-lived
 * context of its own (an auction) keeps allocating there.  The result,
 * SPI_tuptable, lives in SPI's context until SPI_finish.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/snapmgr.h"

#include "spi_plans.h"

static void
prepare(MarketStatement *stmt)
{
	MemoryContext caller = CurrentMemoryContext;

	if (stmt->plan != NULL && !SPI_plan_is_valid(stmt->plan))
	{
		SPI_freeplan(stmt->plan);
		stmt->plan = NULL;
	}
	if (stmt->plan == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(stmt->sql, stmt->nargs, stmt->argtypes);

		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s",
				 stmt->sql, SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "SPI_keepplan failed");
		stmt->plan = plan;
	}
	MemoryContextSwitchTo(caller);
}

uint64
market_exec(MarketStatement *stmt, Datum *values, const char *nulls,
			int expected_ret)
{
	MemoryContext caller = CurrentMemoryContext;
	int			ret;

	prepare(stmt);
	ret = SPI_execute_plan(stmt->plan, values, nulls, false, 0);
	MemoryContextSwitchTo(caller);
	if (ret != expected_ret)
		elog(ERROR, "SPI_execute_plan returned %s for \"%s\"",
			 SPI_result_code_string(ret), stmt->sql);
	return SPI_processed;
}

/*
 * Run a read-only statement against the latest committed state, whatever
 * the transaction's isolation level: used to read what a lock protects
 * right after taking the lock (as ri_triggers.c does under REPEATABLE READ).
 */
uint64
market_exec_latest(MarketStatement *stmt, Datum *values, const char *nulls)
{
	MemoryContext caller = CurrentMemoryContext;
	int			ret;

	prepare(stmt);
	ret = SPI_execute_snapshot(stmt->plan, values, nulls,
							   GetLatestSnapshot(), InvalidSnapshot,
							   true, false, 0);
	MemoryContextSwitchTo(caller);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_snapshot returned %s for \"%s\"",
			 SPI_result_code_string(ret), stmt->sql);
	return SPI_processed;
}

Datum
market_get_datum(uint64 row, int col, bool *isnull)
{
	return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc,
						 col, isnull);
}

int64
market_get_int64(uint64 row, int col, bool *isnull)
{
	Datum		d = market_get_datum(row, col, isnull);

	return *isnull ? 0 : DatumGetInt64(d);
}

Datum
market_int8_array(Datum *elems, bool *nulls, int n)
{
	int			dims[1] = {n};
	int			lbs[1] = {1};

	return PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs, INT8OID,
											  sizeof(int64), FLOAT8PASSBYVAL,
											  TYPALIGN_DOUBLE));
}
