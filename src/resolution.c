/*
 * resolution.c
 *	  How a market ends: resolve, resolve_value, dispute, finalize,
 *	  cancel_market (SPEC section 8).
 *
 * A resolution is a payout vector: per outcome, what one contract pays,
 * in micro-units, summing to exactly 1.000000 (a single winner is 1 for it
 * and 0 for the rest).  resolve() records it, cancels the book and starts
 * the dispute window; dispute() withdraws it (back to "closed"); finalize()
 * makes it final and fixes, once, what every holder is owed: the sum over
 * its holdings of quantity x payout, split by largest remainder across the
 * holders so that the amounts add up to exactly the collateral.
 * cancel_market() voids a market instead: the collateral is owed back to
 * the holders in proportion to the cost basis of what they hold, again by
 * largest remainder, again exactly the collateral.  Either way the amounts
 * go to market.settlements and settle() (settlement.c) pays them.
 *
 * Who: resolve is for the market's oracle (a member of market_oracle with
 * the privileges of the oracle account's owner) or an admin; dispute and
 * cancel_market for admins; finalize for an admin at any time (the
 * confirmation an 'ai' oracle's report needs), and, once the dispute window
 * is over, for operators and the oracle too; settle finalizes a due
 * 'manual' report by itself.
 *
 * Locks: the market's freeze lock, like every change of state.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "market.h"
#include "pools.h"
#include "spi_plans.h"

static MarketStatement market_outcomes = {
	"SELECT id, bucket IS NOT NULL FROM market.outcomes WHERE market = $1 ORDER BY number",
	1, {INT8OID}
};

static MarketStatement outcome_exists = {
	"SELECT 1 FROM market.outcomes WHERE id = $1",
	1, {INT8OID}
};

static MarketStatement oracle_owner = {
	"SELECT owner::pg_catalog.oid FROM market.accounts WHERE id = $1",
	1, {INT8OID}
};

static MarketStatement bucket_of = {
	"SELECT number FROM market.outcomes"
	" WHERE market = $1 AND bucket OPERATOR(pg_catalog.@>) $2::pg_catalog.numeric",
	2, {INT8OID, NUMERICOID}
};

static MarketStatement record_report = {
	"UPDATE market.markets SET state = 'resolved', payouts = $2, resolved_at = pg_catalog.now(),"
	"       resolved_by = $3::pg_catalog.oid::pg_catalog.regrole,"
	"       finalizes_at = pg_catalog.now() OPERATOR(pg_catalog.+) dispute_window"
	" WHERE id = $1",
	3, {INT8OID, INT8ARRAYOID, OIDOID}
};

static MarketStatement withdraw_report = {
	"UPDATE market.markets SET state = 'closed', payouts = NULL, resolved_at = NULL,"
	"       resolved_by = NULL, finalizes_at = NULL WHERE id = $1",
	1, {INT8OID}
};

static MarketStatement mark_finalized = {
	"UPDATE market.markets SET state = 'finalized', finalized_at = pg_catalog.now() WHERE id = $1",
	1, {INT8OID}
};

static MarketStatement mark_cancelled = {
	"UPDATE market.markets SET state = 'cancelled', cancelled_at = pg_catalog.now(),"
	"       cancel_reason = $2, payouts = NULL WHERE id = $1",
	2, {INT8OID, TEXTOID}
};

/*
 * The split both use: each holder's share num / den of the collateral ($2)
 * is floored, and the micro-units left go one each to the largest
 * remainders (ties to the lower account id), so the amounts add up to
 * exactly the collateral.  The query before it names, per holder,
 * weights(account, cost, num, den).
 */
#define FIX_AMOUNTS(kind) \
	" split AS (" \
	"  SELECT account, cost, pg_catalog.div(num, den)::pg_catalog.int8 AS base," \
	"         pg_catalog.mod(num, den) AS remainder FROM weights)," \
	" ranked AS (" \
	"  SELECT *, pg_catalog.row_number() OVER (ORDER BY remainder DESC, account) AS rank," \
	"         $2::pg_catalog.int8 - pg_catalog.sum(base) OVER () AS residue FROM split)" \
	" INSERT INTO market.settlements (market, account, kind, amount, cost)" \
	" SELECT $1, account, '" kind "', base + CASE WHEN rank <= residue THEN 1 ELSE 0 END," \
	"        cost::pg_catalog.int8" \
	"   FROM ranked" \
	" RETURNING amount"

/*
 * What each holder is owed at finalization: the sum of quantity x payout
 * over its holdings (micro-units squared, so / 10^6).
 */
static MarketStatement fix_payouts = {
	"WITH weights AS ("
	"  SELECT h.account, pg_catalog.sum(h.cost) AS cost,"
	"         pg_catalog.sum(h.quantity::pg_catalog.numeric * m.payouts[o.number]) AS num,"
	"         1000000::pg_catalog.numeric AS den"
	"    FROM market.holdings h"
	"    JOIN market.outcomes o ON o.id = h.outcome"
	"    JOIN market.markets m ON m.id = h.market"
	"   WHERE h.market = $1 AND h.quantity > 0"
	"   GROUP BY h.account),"
	FIX_AMOUNTS("payout"),
	2, {INT8OID, INT8OID}
};

/*
 * What each holder gets back when a market is cancelled: the collateral in
 * proportion to the cost basis of what it holds (by quantity if nothing
 * held has a cost).
 */
static MarketStatement fix_refunds = {
	"WITH held AS ("
	"  SELECT account, pg_catalog.sum(cost)::pg_catalog.numeric AS cost,"
	"         pg_catalog.sum(quantity)::pg_catalog.numeric AS quantity"
	"    FROM market.holdings WHERE market = $1 AND quantity > 0 GROUP BY account),"
	" totals AS ("
	"  SELECT pg_catalog.sum(cost) AS cost, pg_catalog.sum(quantity) AS quantity FROM held),"
	" weights AS ("
	"  SELECT h.account, h.cost,"
	"         $2::pg_catalog.numeric * CASE WHEN t.cost > 0 THEN h.cost ELSE h.quantity END AS num,"
	"         CASE WHEN t.cost > 0 THEN t.cost ELSE t.quantity END AS den"
	"    FROM held h, totals t),"
	FIX_AMOUNTS("refund"),
	2, {INT8OID, INT8OID}
};

static MarketStatement collateral_of = {
	"SELECT balance FROM market.accounts WHERE id = $1 FOR UPDATE",
	1, {INT8OID}
};

/* The amounts just fixed must add up to the collateral. */
static void
check_fixed(const MarketRow *m, int64 collateral)
{
	uint64		i;
	int64		total = 0;
	bool		isnull;

	for (i = 0; i < SPI_processed; i++)
		total = market_add_micros(total, market_get_int64(i, 1, &isnull),
								  "the amounts owed by a market");
	if (total != collateral)
		elog(ERROR, "amounts owed by market %d add up to %s, not its collateral %s",
			 m->number, market_micros_to_cstring(total), market_micros_to_cstring(collateral));
}

/* Refuse with 42501 unless the caller may resolve this market. */
static void
require_resolver(const MarketRow *m)
{
	Datum		values[1];
	bool		isnull;
	Oid			owner;

	if (market_caller_has(MARKET_ROLE_ADMIN))
		return;
	if (m->oracle != 0 && market_caller_has(MARKET_ROLE_ORACLE))
	{
		values[0] = Int64GetDatum(m->oracle);
		if (market_exec(&oracle_owner, values, NULL, SPI_OK_SELECT) == 1)
		{
			owner = DatumGetObjectId(market_get_datum(0, 1, &isnull));
			if (!isnull && has_privs_of_role(market_caller(), owner))
				return;
		}
	}
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied to resolve market %d", m->number),
			 errdetail("Only the market's oracle or an admin may resolve it."),
			 errhint("Resolve as the owner role of the market's oracle account, or as a member of market_admin.")));
}

/* Lock, read and check a market that is about to be resolved. */
static MarketRow
market_to_resolve(FunctionCallInfo fcinfo, int32 *noutcomes, bool *scalar,
				  int64 **outcome_ids)
{
	int64		market = market_id_arg(fcinfo, 0, "market");
	MarketRow	m;
	Datum		values[1];
	uint64		n;
	uint64		i;
	bool		isnull;
	const char *state;

	market_lock(market, MARKET_LOCK_FREEZE);
	m = market_fetch(market);
	require_resolver(&m);

	/*
	 * A market past its close_at closed then: that close, and its closing
	 * auction on the book as of close_at, is written down first, as any
	 * call would (markets.c).  Resolving itself never auctions: a market
	 * resolved before its close_at has its book cancelled as it stands.
	 */
	market_catch_up(&m);
	state = m.state;
	if (strcmp(state, "active") != 0 && strcmp(state, "paused") != 0 &&
		strcmp(state, "closed") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("market %d is %s", m.number, state),
				 errdetail("A market is resolved once; an admin's dispute withdraws a report.")));

	values[0] = Int64GetDatum(market);
	n = market_exec(&market_outcomes, values, NULL, SPI_OK_SELECT);
	*noutcomes = (int32) n;
	*scalar = n > 0 && DatumGetBool(market_get_datum(0, 2, &isnull));
	*outcome_ids = palloc(sizeof(int64) * n);
	for (i = 0; i < n; i++)
		(*outcome_ids)[i] = market_get_int64(i, 1, &isnull);
	return m;
}

/* Record the report: the state, the event; the book is cancelled. */
static void
record(MarketRow *m, int64 *payouts, int32 n)
{
	Datum	   *elems = palloc(sizeof(Datum) * n);
	Datum		values[3];
	StringInfoData payload;
	int			i;

	for (i = 0; i < n; i++)
		elems[i] = Int64GetDatum(payouts[i]);
	market_cancel_book(m, "market resolved", MARKET_CANCEL_ALL, false, 0);
	values[0] = Int64GetDatum(m->id);
	values[1] = market_int8_array(elems, NULL, n);
	values[2] = ObjectIdGetDatum(market_caller());
	market_exec(&record_report, values, NULL, SPI_OK_UPDATE);
	if (market_is_pool(m))
	{
		/* a pool's report is one winner: its distribution */
		for (i = 0; i < n; i++)
			if (payouts[i] == MICROS_PER_UNIT)
				market_pool_distribute(m, i + 1);
	}

	initStringInfo(&payload);
	appendStringInfo(&payload, "{\"number\": %d, \"payouts\": [", m->number);
	for (i = 0; i < n; i++)
		appendStringInfo(&payload, "%s%s", i ? ", " : "", market_micros_to_cstring(payouts[i]));
	appendStringInfoString(&payload, "]}");
	market_event("market_resolved", m->id, 0, payload.data);
}

/* market.resolve(market bigint, outcome bigint): one winner. */
PG_FUNCTION_INFO_V1(market_resolve_outcome);
Datum
market_resolve_outcome(PG_FUNCTION_ARGS)
{
	int64		outcome;
	MarketRow	m;
	int			bound;
	int32		n;
	bool		scalar;
	int64	   *ids;
	int64	   *payouts;
	int			i,
				winner = -1;

	market_require_role(MARKET_ROLE_ADMIN | MARKET_ROLE_ORACLE, "resolve markets");
	outcome = market_id_arg(fcinfo, 1, "outcome");
	SPI_connect();
	bound = market_bound_waits();
	m = market_to_resolve(fcinfo, &n, &scalar, &ids);
	market_distribution_refuse_outcomes(&m);
	for (i = 0; i < n; i++)
		if (ids[i] == outcome)
			winner = i;
	if (winner < 0)
	{
		Datum		values[1] = {Int64GetDatum(outcome)};

		if (market_exec(&outcome_exists, values, NULL, SPI_OK_SELECT) == 0)
			market_outcome_not_found(outcome, m.id);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("outcome " INT64_FORMAT " is not an outcome of market %d", outcome, m.number)));
	}
	payouts = palloc0(sizeof(int64) * n);
	payouts[winner] = MICROS_PER_UNIT;
	record(&m, payouts, n);
	market_unbound_waits(bound);
	SPI_finish();
	PG_RETURN_VOID();
}

/* market.resolve(market bigint, payouts numeric[]): a payout vector. */
PG_FUNCTION_INFO_V1(market_resolve_payouts);
Datum
market_resolve_payouts(PG_FUNCTION_ARGS)
{
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	MarketRow	m;
	int			bound;
	int32		n;
	bool		scalar;
	int64	   *ids;
	int64	   *payouts;
	int64		sum = 0;
	int			i;

	market_require_role(MARKET_ROLE_ADMIN | MARKET_ROLE_ORACLE, "resolve markets");
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("payouts must not be null")));
	arr = PG_GETARG_ARRAYTYPE_P(1);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("payouts must be a one-dimensional array")));
	deconstruct_array(arr, NUMERICOID, -1, false, TYPALIGN_INT, &elems, &nulls, &nelems);

	SPI_connect();
	bound = market_bound_waits();
	m = market_to_resolve(fcinfo, &n, &scalar, &ids);
	market_pool_refuse_vector(&m);
	market_distribution_refuse_outcomes(&m);
	if (nelems != n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("payouts must have one entry per outcome"),
				 errdetail("Market %d has %d outcomes; %d payouts were given.", m.number, n, nelems)));
	payouts = palloc0(sizeof(int64) * n);
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("payout %d must not be null", i + 1)));
		if (!numeric_is_nan(DatumGetNumeric(elems[i])) &&
			DatumGetBool(DirectFunctionCall2(numeric_lt, elems[i],
											 NumericGetDatum(int64_to_numeric(0)))))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("payout %d must not be negative", i + 1),
					 errdetail("The payout given was %s.",
							   DatumGetCString(DirectFunctionCall1(numeric_out, elems[i])))));
		/* 0 is allowed: every check but positivity */
		if (DatumGetBool(DirectFunctionCall2(numeric_eq, elems[i],
											 NumericGetDatum(int64_to_numeric(0)))))
			payouts[i] = 0;
		else
			payouts[i] = market_numeric_to_micros(DatumGetNumeric(elems[i]), "payout",
												  MICROS_PER_UNIT);
		sum += payouts[i];
	}
	if (sum != MICROS_PER_UNIT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("payouts must sum to 1"),
				 errdetail("They sum to %s.", market_micros_to_cstring(sum))));
	record(&m, payouts, n);
	market_unbound_waits(bound);
	SPI_finish();
	PG_RETURN_VOID();
}

/* market.resolve_value(market bigint, value numeric): the bucket of value wins. */
PG_FUNCTION_INFO_V1(market_resolve_value);
Datum
market_resolve_value(PG_FUNCTION_ARGS)
{
	MarketRow	m;
	int			bound;
	int32		n;
	bool		scalar;
	int64	   *ids;
	int64	   *payouts;
	Datum		values[2];
	bool		isnull;
	int32		winner;

	market_require_role(MARKET_ROLE_ADMIN | MARKET_ROLE_ORACLE, "resolve markets");
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("value must not be null")));
	if (numeric_is_nan(PG_GETARG_NUMERIC(1)) || numeric_is_inf(PG_GETARG_NUMERIC(1)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value must be a finite number")));

	SPI_connect();
	bound = market_bound_waits();
	m = market_to_resolve(fcinfo, &n, &scalar, &ids);
	if (market_is_distribution(&m))
	{
		/* the value itself is the report (distribution.c) */
		market_distribution_resolve(&m, fcinfo, 1);
		market_unbound_waits(bound);
		SPI_finish();
		PG_RETURN_VOID();
	}
	if (!scalar)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("market %d has no outcome ranges", m.number),
				 errhint("Resolve it with resolve(market, outcome).")));
	values[0] = Int64GetDatum(m.id);
	values[1] = PG_GETARG_DATUM(1);
	if (market_exec(&bucket_of, values, NULL, SPI_OK_SELECT) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value %s is in no outcome's range in market %d",
						DatumGetCString(DirectFunctionCall1(numeric_out, PG_GETARG_DATUM(1))),
						m.number)));
	winner = DatumGetInt32(market_get_datum(0, 1, &isnull));
	payouts = palloc0(sizeof(int64) * n);
	payouts[winner - 1] = MICROS_PER_UNIT;
	record(&m, payouts, n);
	market_unbound_waits(bound);
	SPI_finish();
	PG_RETURN_VOID();
}

/* market.dispute(market bigint, reason text): admin withdraws the report. */
PG_FUNCTION_INFO_V1(market_dispute);
Datum
market_dispute(PG_FUNCTION_ARGS)
{
	int64		market;
	MarketRow	m;
	int			bound;
	Datum		values[1];
	char	   *reason = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));

	market_require_role(MARKET_ROLE_ADMIN, "dispute resolutions");
	market = market_id_arg(fcinfo, 0, "market");
	if (reason == NULL || reason[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a dispute needs a reason")));
	reason = text_to_cstring(market_clean_text(PG_GETARG_TEXT_PP(1), "reason"));
	SPI_connect();
	bound = market_bound_waits();
	market_lock(market, MARKET_LOCK_FREEZE);
	m = market_fetch(market);
	if (strcmp(m.state, "resolved") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("market %d is %s", m.number, m.state),
				 errdetail("Only a resolved market's report, before it is final, can be disputed.")));
	values[0] = Int64GetDatum(market);
	if (market_is_distribution(&m))
		market_distribution_withdraw(&m);
	else
		market_exec(&withdraw_report, values, NULL, SPI_OK_UPDATE);
	if (market_is_pool(&m))
		market_pool_dispute(&m);
	m.state = "resolved";
	market_write_state(&m, "closed", "market_disputed", reason);
	market_unbound_waits(bound);
	SPI_finish();
	PG_RETURN_VOID();
}

/* Fix the payouts and make the market final; caller holds the freeze lock. */
static void
finalize_now(MarketRow *m)
{
	Datum		values[2];
	bool		isnull;
	int64		collateral;

	if (market_is_pool(m))
		market_pool_finalize(m);	/* its distribution: completed, fees paid */
	else
	{
		values[0] = Int64GetDatum(m->collateral);
		market_exec(&collateral_of, values, NULL, SPI_OK_SELECT);
		collateral = market_get_int64(0, 1, &isnull);
		values[0] = Int64GetDatum(m->id);
		values[1] = Int64GetDatum(collateral);
		if (market_is_distribution(m))
			market_distribution_fix_payouts(m, collateral);
		else
		{
			market_exec(&fix_payouts, values, NULL, SPI_OK_INSERT_RETURNING);
			check_fixed(m, collateral);
		}
	}
	values[0] = Int64GetDatum(m->id);
	market_exec(&mark_finalized, values, NULL, SPI_OK_UPDATE);
	market_pay_creator_fees(m);
	market_write_state(m, "finalized", "market_finalized", NULL);
}

/* Does finalizing or cancelling the market pay its creator a fee? */
static bool
pays_creator(const MarketRow *m)
{
	if (m->creator == 0)
		return false;
	return market_is_pool(m) ? m->creator_fee_bps > 0 : m->creator_fees != 0;
}

/*
 * If a manual oracle's report is past its dispute window, finalize it now
 * (settle does this, for account, 0 for everyone, at most limit positions).
 * Returns true if the market is final.
 *
 * Finalizing pays the creator, and settle then locks the holders it pays:
 * the creator and those holders are locked first, in one statement in id
 * order (locks.c), since the creator can be a trader whom an auction
 * elsewhere locks with one of them.
 */
bool
market_finalize_due(MarketRow *m, int64 account, int64 limit)
{
	if (strcmp(m->state, "resolved") == 0 && strcmp(m->oracle_kind, "manual") == 0 &&
		GetCurrentTimestamp() >= m->finalizes_at)
	{
		if (pays_creator(m))
			market_lock_settle_batch(m, account, limit);
		finalize_now(m);
	}
	return strcmp(m->state, "finalized") == 0;
}

/*
 * market.finalize(market bigint): resolved -> finalized.  An admin at any
 * time (confirming an 'ai' report); operators and the oracle once the
 * dispute window of a 'manual' report is over.
 */
PG_FUNCTION_INFO_V1(market_finalize);
Datum
market_finalize(PG_FUNCTION_ARGS)
{
	int64		market;
	MarketRow	m;
	int			bound;
	bool		admin;

	market_require_role(MARKET_ROLE_ADMIN | MARKET_ROLE_OPERATOR | MARKET_ROLE_ORACLE,
						"finalize markets");
	admin = market_caller_has(MARKET_ROLE_ADMIN);
	market = market_id_arg(fcinfo, 0, "market");
	SPI_connect();
	bound = market_bound_waits();
	market_lock(market, MARKET_LOCK_FREEZE);
	m = market_fetch(market);
	if (strcmp(m.state, "resolved") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("market %d is %s", m.number, m.state),
				 errdetail("Only a resolved market can be finalized.")));
	if (!admin && !market_caller_has(MARKET_ROLE_OPERATOR))
		require_resolver(&m);	/* an oracle finalizes only its own markets */
	if (!admin && strcmp(m.oracle_kind, "ai") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to finalize market %d", m.number),
				 errdetail("The report of an 'ai' oracle becomes final only when an admin confirms it."),
				 errhint("Ask a member of market_admin to call market.finalize(%d).", m.number)));
	if (!admin && GetCurrentTimestamp() < m.finalizes_at)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the dispute window of market %d is still open", m.number),
				 errdetail("It closes at %s; an admin may finalize earlier.",
						   timestamptz_to_str(m.finalizes_at))));
	finalize_now(&m);
	market_unbound_waits(bound);
	SPI_finish();
	PG_RETURN_VOID();
}

/*
 * market.cancel_market(market bigint, reason text): any state but
 * finalized -> cancelled.  Admins.  The book is cancelled and the
 * collateral is owed back pro-rata to the cost basis of what is held.
 */
PG_FUNCTION_INFO_V1(market_cancel_market);
Datum
market_cancel_market(PG_FUNCTION_ARGS)
{
	int64		market;
	MarketRow	m;
	int			bound;
	Datum		values[2];
	bool		isnull;
	int64		collateral;
	char	   *reason = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));

	market_require_role(MARKET_ROLE_ADMIN, "cancel markets");
	market = market_id_arg(fcinfo, 0, "market");
	if (reason == NULL || reason[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cancelling a market needs a reason")));
	reason = text_to_cstring(market_clean_text(PG_GETARG_TEXT_PP(1), "reason"));
	SPI_connect();
	bound = market_bound_waits();
	market_lock(market, MARKET_LOCK_FREEZE);
	m = market_fetch(market);
	if (strcmp(m.state, "finalized") == 0 || strcmp(m.state, "cancelled") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("market %d is %s", m.number, m.state),
				 errdetail("A finalized or cancelled market cannot be cancelled.")));

	/*
	 * Every account this call changes, in one statement in id order
	 * (locks.c): the book's, which the closing auction and the book's
	 * cancellation lock, and the creator's, paid last.
	 */
	if (!market_is_pool(&m) && !market_is_distribution(&m))
		market_lock_book(&m, pays_creator(&m) ? m.creator : 0, false);

	/*
	 * As in resolve: a close that close_at made is written down first, with
	 * its closing auction, so the refunds do not depend on whether some
	 * other call (execute_all) got there before; cancelling never auctions.
	 */
	market_catch_up(&m);
	market_cancel_book(&m, "market cancelled", MARKET_CANCEL_ALL, false, 0);

	if (market_is_pool(&m))
		market_pool_cancel(&m);	/* every commitment refunded, no fee */
	else
	{
		values[0] = Int64GetDatum(m.collateral);
		market_exec(&collateral_of, values, NULL, SPI_OK_SELECT);
		collateral = market_get_int64(0, 1, &isnull);
		values[0] = Int64GetDatum(market);
		values[1] = Int64GetDatum(collateral);
		if (market_is_distribution(&m))
			market_distribution_fix_refunds(&m, collateral);
		else
		{
			market_exec(&fix_refunds, values, NULL, SPI_OK_INSERT_RETURNING);
			check_fixed(&m, collateral);
		}
	}
	values[0] = Int64GetDatum(market);
	values[1] = CStringGetTextDatum(reason);
	market_exec(&mark_cancelled, values, NULL, SPI_OK_UPDATE);
	market_pay_creator_fees(&m);
	market_write_state(&m, "cancelled", "market_cancelled", reason);
	market_unbound_waits(bound);
	SPI_finish();
	PG_RETURN_VOID();
}
