/*
 * money.c
 *	  The boundary between SQL numeric and int64 micro-units.
 *
 * Every amount, quantity and price entering the extension passes through
 * market_numeric_to_micros(), which accepts only values that are exactly a
 * whole number of micro-units and refuses everything else with a clear
 * error (nothing is ever rounded silently):
 *
 *	  NULL						22004  null_value_not_allowed
 *	  NaN, Infinity				22023  invalid_parameter_value
 *	  zero or negative			22023  invalid_parameter_value
 *	  more than 6 decimals		22023  invalid_parameter_value
 *	  above the limit			22003  numeric_value_out_of_range
 *
 * Trailing zeros are not decimals: 1.5000000 is exactly 1.5 and accepted.
 * Output goes the other way with scale 6, so every amount prints with
 * six decimals.
 */
#include "postgres.h"

#include "common/int.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "market.h"

/*
 * Convert a numeric to micro-units, or raise the error that says why not.
 * "what" names the argument in the message ("amount", "price").
 */
int64
market_numeric_to_micros(Numeric num, const char *what, int64 max_micros)
{
	Numeric		scaled;
	Datum		truncated;

	if (numeric_is_nan(num) || numeric_is_inf(num))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", what)));

	if (DatumGetBool(DirectFunctionCall2(numeric_le, NumericGetDatum(num),
										 NumericGetDatum(int64_to_numeric(0)))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be positive", what),
				 errdetail("The %s given was %s.", what,
						   DatumGetCString(DirectFunctionCall1(numeric_out,
															   NumericGetDatum(num))))));

	scaled = numeric_mul_opt_error(num, int64_to_numeric(MICROS_PER_UNIT), NULL);
	truncated = DirectFunctionCall2(numeric_trunc, NumericGetDatum(scaled),
									Int32GetDatum(0));
	if (!DatumGetBool(DirectFunctionCall2(numeric_eq, truncated,
										  NumericGetDatum(scaled))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s has more than 6 decimal places", what),
				 errdetail("The %s given was %s.", what,
						   DatumGetCString(DirectFunctionCall1(numeric_out,
															   NumericGetDatum(num)))),
				 errhint("Amounts, quantities and prices are exact to 0.000001.")));

	if (DatumGetBool(DirectFunctionCall2(numeric_gt, NumericGetDatum(scaled),
										 NumericGetDatum(int64_to_numeric(max_micros)))))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s is too large", what),
				 errdetail("The largest %s allowed is %s.", what,
						   market_micros_to_cstring(max_micros))));

	return DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(scaled)));
}

/*
 * The numeric argument argno of the current call as micro-units.
 */
int64
market_amount_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", what)));
	return market_numeric_to_micros(PG_GETARG_NUMERIC(argno), what,
									MARKET_MAX_AMOUNT);
}

/*
 * The bigint id argument argno of the current call; ids are never NULL.
 */
int64
market_id_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", what)));
	return PG_GETARG_INT64(argno);
}

Numeric
market_micros_to_numeric(int64 micros)
{
	return int64_div_fast_to_numeric(micros, 6);
}

/* "-12.345678" with exactly six decimals, palloc'd. */
char *
market_micros_to_cstring(int64 micros)
{
	uint64		magnitude = micros < 0 ? -(uint64) micros : (uint64) micros;

	return psprintf("%s" UINT64_FORMAT ".%06d",
					micros < 0 ? "-" : "",
					magnitude / (uint64) MICROS_PER_UNIT,
					(int) (magnitude % (uint64) MICROS_PER_UNIT));
}

/*
 * Refuse an operation whose arithmetic would leave the int64 range (22003).
 * "what" names the sum ("the balance of account 42").  Raised before any
 * write of the operation.
 */
void
market_out_of_range(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s would be out of range", what),
			 errdetail("Cash and contracts are kept in micro-units as 64-bit integers; no balance, holding or sum may exceed %s.",
					   market_micros_to_cstring(PG_INT64_MAX)),
			 errhint("Nothing was changed.")));
}

/* a + b, or 22003 naming what (see market_out_of_range). */
int64
market_add_micros(int64 a, int64 b, const char *what)
{
	int64		sum;

	if (pg_add_s64_overflow(a, b, &sum))
		market_out_of_range(what);
	return sum;
}
