/*
 * distribution.c
 *	  Distribution markets (SPEC section 10a, seed 000) bound to the tables:
 *	  create_distribution_market, quote_distribution, trade_distribution,
 *	  distribution_curve, distribution_payoff, and the hooks that resolve,
 *	  dispute, finalize, cancel, settle and check such a market.
 *
 * The arithmetic is src/distribution_math.c (pure C, the only floating
 * point of the extension); this file loads a market's parameters, calls it
 * and writes the results.  The market's state (k, b, current mean and
 * stddev, collateral posted) is one row of market.distribution_markets;
 * each trade is one row of market.distribution_positions holding its
 * position g - f (the Normal before and after) and its collateral.
 *
 * Cash.  Creation moves the backing b from the liquidity account to the
 * market's collateral account (journal kind "trade").  A trade moves its
 * collateral from the trader's account to the collateral account ("trade")
 * and its fee to house ("fee"), in one statement.  Finalization fixes, in
 * market.settlements keyed by position, what each position is owed,
 * collateral + g(x*) - f(x*) rounded down, and gives the liquidity account
 * (a row with position NULL) the rest, so the amounts add up to exactly the
 * collateral; cancelling fixes every collateral and the backing instead.
 * settle() pays them (distribution_settle below), in batches or by claim.
 *
 * Locks.  A trade takes the market's freeze lock (locks.c): trades on one
 * market run one at a time, each quoted against the state the one before
 * it committed, and a trade and a change of state (resolve, close,
 * cancel) never overlap.  Then the account row.  Creation takes the
 * freeze lock of "market 0", as create_market does, then the liquidity
 * account's row.
 *
 * One library serves 0.1 and 0.2: the tables here exist only in 0.2, so
 * every hook called for all markets (the commit-time collateral check,
 * check_invariants) first looks the table up (has_distribution_catalog).
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "distribution_math.h"
#include "market.h"
#include "spi_plans.h"

#define DIST_MAX_POINTS 1000

static MarketStatement read_distribution = {
	"SELECT k, backing, min_stddev, mean, stddev, liquidity_account, posted"
	"  FROM market.distribution_markets WHERE market = $1",
	1, {INT8OID}
};

static MarketStatement lock_distribution = {
	"SELECT k, backing, min_stddev, mean, stddev, liquidity_account, posted"
	"  FROM market.distribution_markets WHERE market = $1 FOR UPDATE",
	1, {INT8OID}
};

static MarketStatement lock_account = {
	"SELECT kind, owner::pg_catalog.oid, balance, locked FROM market.accounts WHERE id = $1 FOR UPDATE",
	1, {INT8OID}
};

static MarketStatement debit = {
	"UPDATE market.accounts SET balance = balance - $2"
	" WHERE id = $1 AND kind = 'user' AND balance - locked >= $2 RETURNING balance",
	2, {INT8OID, INT8OID}
};

static MarketStatement credit_collateral = {
	"UPDATE market.accounts SET balance = balance + $2 WHERE id = $1 RETURNING balance",
	2, {INT8OID, INT8OID}
};

static MarketStatement insert_entries = {
	"INSERT INTO market.journal (transfer, account, amount, balance_after, kind, market)"
	" SELECT u.transfer, u.account, u.amount, u.balance_after, u.kind, $1"
	"   FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.int8[]), pg_catalog.unnest($3::pg_catalog.int8[]),"
	"                   pg_catalog.unnest($4::pg_catalog.int8[]), pg_catalog.unnest($5::pg_catalog.int8[]),"
	"                   pg_catalog.unnest($6::pg_catalog.text[]))"
	"        AS u(transfer, account, amount, balance_after, kind)",
	6, {INT8OID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, TEXTARRAYOID}
};

static MarketStatement next_number = {
	"SELECT COALESCE(pg_catalog.max(number), 0) + 1 FROM market.markets",
	0, {}
};

static MarketStatement insert_collateral_account = {
	"INSERT INTO market.accounts (id, label, kind) VALUES ($1, $2, 'collateral')",
	2, {INT8OID, TEXTOID}
};

static MarketStatement insert_market = {
	"INSERT INTO market.markets (id, number, description, kind, tick, close_at, oracle,"
	" oracle_kind, fee_bps, creator, creator_fee_bps, dispute_window, auto_execute, collateral,"
	" closing_auction)"
	" VALUES ($1, $2, $3, 'distribution', 10000, $4, $5, 'manual', $6, NULL, 0, $7, false, $8, false)",
	8, {INT8OID, INT4OID, TEXTOID, TIMESTAMPTZOID, INT8OID, INT4OID, INTERVALOID, INT8OID}
};

static MarketStatement insert_distribution = {
	"INSERT INTO market.distribution_markets (market, liquidity_account, backing, min_stddev, k,"
	" start_mean, start_stddev, mean, stddev)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $6, $7)",
	7, {INT8OID, INT8OID, INT8OID, INT8OID, INT8OID, INT8OID, INT8OID}
};

static MarketStatement user_account = {
	"SELECT kind FROM market.accounts WHERE id = $1",
	1, {INT8OID}
};

static MarketStatement insert_position = {
	"INSERT INTO market.distribution_positions (id, market, account, old_mean, old_stddev,"
	" new_mean, new_stddev, collateral, fee) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
	9, {INT8OID, INT8OID, INT8OID, INT8OID, INT8OID, INT8OID, INT8OID, INT8OID, INT8OID}
};

static MarketStatement move_market = {
	"UPDATE market.distribution_markets SET mean = $2, stddev = $3, posted = posted + $4,"
	" trades = trades + 1, updated_at = pg_catalog.now() WHERE market = $1",
	4, {INT8OID, INT8OID, INT8OID, INT8OID}
};

static MarketStatement read_position = {
	"SELECT p.market, p.account, p.old_mean, p.old_stddev, p.new_mean, p.new_stddev, p.collateral,"
	"       d.k, a.owner::pg_catalog.oid"
	"  FROM market.distribution_positions p"
	"  JOIN market.distribution_markets d ON d.market = p.market"
	"  LEFT JOIN market.accounts a ON a.id = p.account"
	" WHERE p.id = $1",
	1, {INT8OID}
};

static MarketStatement record_value = {
	"UPDATE market.markets SET state = 'resolved', final_value = $2, resolved_at = pg_catalog.now(),"
	"       resolved_by = $3::pg_catalog.oid::pg_catalog.regrole,"
	"       finalizes_at = pg_catalog.now() OPERATOR(pg_catalog.+) dispute_window"
	" WHERE id = $1",
	3, {INT8OID, INT8OID, OIDOID}
};

static MarketStatement withdraw_value = {
	"UPDATE market.markets SET state = 'closed', final_value = NULL, resolved_at = NULL,"
	"       resolved_by = NULL, finalizes_at = NULL WHERE id = $1",
	1, {INT8OID}
};

/* cancelled: no report (one statement, for the report CHECK) */
static MarketStatement clear_value = {
	"UPDATE market.markets SET state = 'cancelled', final_value = NULL WHERE id = $1",
	1, {INT8OID}
};

static MarketStatement final_value_of = {
	"SELECT final_value FROM market.markets WHERE id = $1",
	1, {INT8OID}
};

static MarketStatement all_positions = {
	"SELECT id, account, old_mean, old_stddev, new_mean, new_stddev, collateral"
	"  FROM market.distribution_positions WHERE market = $1 ORDER BY id",
	1, {INT8OID}
};

static MarketStatement insert_owed = {
	"INSERT INTO market.settlements (market, account, kind, amount, cost, position)"
	" SELECT $1, u.account, $2, u.amount, u.cost, u.position"
	"   FROM ROWS FROM (pg_catalog.unnest($3::pg_catalog.int8[]), pg_catalog.unnest($4::pg_catalog.int8[]),"
	"                   pg_catalog.unnest($5::pg_catalog.int8[]), pg_catalog.unnest($6::pg_catalog.int8[]))"
	"        AS u(account, amount, cost, position)",
	6, {INT8OID, TEXTOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID}
};

/* Cancellation: every collateral back, and the backing. */
static MarketStatement insert_refunds = {
	"INSERT INTO market.settlements (market, account, kind, amount, cost, position)"
	" SELECT p.market, p.account, 'refund', p.collateral, p.collateral, p.id"
	"   FROM market.distribution_positions p WHERE p.market = $1"
	" UNION ALL"
	" SELECT d.market, d.liquidity_account, 'refund', d.backing, d.backing, NULL"
	"   FROM market.distribution_markets d WHERE d.market = $1"
	" RETURNING amount",
	1, {INT8OID}
};

/* Settlement: the unpaid rows, their accounts locked, by account. */
static MarketStatement due = {
	"SELECT s.account, s.amount, COALESCE(s.position, 0), a.balance"
	"  FROM market.settlements s JOIN market.accounts a ON a.id = s.account"
	" WHERE s.market = $1 AND s.paid_at IS NULL AND s.distribution IS NULL"
	"   AND ($2 IS NULL OR s.account = $2)"
	" ORDER BY s.account, s.position NULLS FIRST LIMIT $3"
	" FOR UPDATE OF a",
	3, {INT8OID, INT8OID, INT8OID}
};

static MarketStatement any_row = {
	"SELECT 1 FROM market.settlements WHERE market = $1 AND account = $2",
	2, {INT8OID, INT8OID}
};

static MarketStatement lock_collateral = {
	"SELECT balance FROM market.accounts WHERE id = $1 FOR UPDATE",
	1, {INT8OID}
};

static MarketStatement mark_paid = {
	"WITH paid AS ("
	"  UPDATE market.settlements s SET paid_at = pg_catalog.now(), transfer = $2"
	"    FROM ROWS FROM (pg_catalog.unnest($3::pg_catalog.int8[]), pg_catalog.unnest($4::pg_catalog.int8[]))"
	"         AS u(account, position)"
	"   WHERE s.market = $1 AND s.account = u.account AND COALESCE(s.position, 0) = u.position"
	"     AND s.distribution IS NULL)"
	" UPDATE market.accounts a SET balance = u.balance"
	"   FROM ROWS FROM (pg_catalog.unnest($5::pg_catalog.int8[]), pg_catalog.unnest($6::pg_catalog.int8[]))"
	"        AS u(id, balance)"
	"  WHERE a.id = u.id",
	6, {INT8OID, INT8OID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID}
};

/* Invariant 4 for a distribution market: collateral = b + posted - paid. */
static MarketStatement collateral_expected = {
	"SELECT m.number, c.balance, d.backing, d.posted,"
	"       COALESCE((SELECT pg_catalog.sum(s.amount) FROM market.settlements s"
	"                  WHERE s.market = d.market AND s.paid_at IS NOT NULL), 0)::pg_catalog.int8"
	"  FROM market.distribution_markets d"
	"  JOIN market.markets m ON m.id = d.market"
	"  JOIN market.accounts c ON c.id = m.collateral"
	" WHERE d.market = $1",
	1, {INT8OID}
};

static const char *const invariants_sql =
"SELECT 'distribution_collateral'::text,"
"       format('market %s: collateral %s, backing %s + posted %s - paid %s', m.number,"
"              c.balance * 0.000001, d.backing * 0.000001, d.posted * 0.000001,"
"              coalesce(s.paid, 0) * 0.000001)"
"  FROM market.distribution_markets d JOIN market.markets m ON m.id = d.market"
"  JOIN market.accounts c ON c.id = m.collateral"
"  LEFT JOIN LATERAL (SELECT sum(amount) AS paid FROM market.settlements"
"                      WHERE market = d.market AND paid_at IS NOT NULL) s ON true"
" WHERE c.balance <> d.backing + d.posted - coalesce(s.paid, 0)"
" UNION ALL"
" SELECT 'distribution_posted',"
"        format('market %s: posted %s, positions'' collateral %s', m.number, d.posted * 0.000001,"
"               coalesce(p.total, 0) * 0.000001)"
"  FROM market.distribution_markets d JOIN market.markets m ON m.id = d.market"
"  LEFT JOIN LATERAL (SELECT sum(collateral) AS total FROM market.distribution_positions"
"                      WHERE market = d.market) p ON true"
" WHERE d.posted <> coalesce(p.total, 0)"
" UNION ALL"
" SELECT 'distribution_owed',"
"        format('market %s (%s): owed %s, backing + posted %s', m.number, m.state,"
"               coalesce(s.owed, 0) * 0.000001, (d.backing + d.posted) * 0.000001)"
"  FROM market.distribution_markets d JOIN market.markets m ON m.id = d.market"
"  LEFT JOIN LATERAL (SELECT sum(amount) AS owed FROM market.settlements"
"                      WHERE market = d.market) s ON true"
" WHERE m.state IN ('finalized', 'cancelled') AND coalesce(s.owed, 0) <> d.backing + d.posted"
" UNION ALL"
" SELECT 'distribution_state',"
"        format('market %s: at (%s, %s), its last trade set (%s, %s)', m.number,"
"               d.mean * 0.000001, d.stddev * 0.000001, l.new_mean * 0.000001, l.new_stddev * 0.000001)"
"  FROM market.distribution_markets d JOIN market.markets m ON m.id = d.market,"
"       LATERAL (SELECT coalesce(max(p.new_mean) FILTER (WHERE p.id = x.last), d.start_mean) AS new_mean,"
"                       coalesce(max(p.new_stddev) FILTER (WHERE p.id = x.last), d.start_stddev) AS new_stddev"
"                  FROM (SELECT max(id) AS last FROM market.distribution_positions"
"                         WHERE market = d.market) x"
"                  LEFT JOIN market.distribution_positions p ON p.id = x.last) l"
" WHERE (d.mean, d.stddev) <> (l.new_mean, l.new_stddev)"
" ORDER BY 1, 2";

typedef struct DistRow
{
	int64		k;
	int64		backing;
	int64		min_stddev;
	DistParams	current;
	int64		liquidity;
	int64		posted;
} DistRow;

/* Does this database have the distribution tables (0.2 and later)? */
static bool
has_distribution_catalog(void)
{
	Oid			nsp = get_namespace_oid("market", true);

	return OidIsValid(nsp) && OidIsValid(get_relname_relid("distribution_markets", nsp));
}

bool
market_is_distribution(const MarketRow *m)
{
	return strcmp(m->kind, "distribution") == 0;
}

static void
require_distribution(const MarketRow *m)
{
	if (!market_is_distribution(m))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("market %d is not a distribution market", m->number),
				 errdetail("It is a market of kind %s.", m->kind)));
}

static DistRow
dist_read(const MarketRow *m, bool lock)
{
	Datum		values[1] = {Int64GetDatum(m->id)};
	DistRow		d;
	bool		isnull;

	if ((lock ? market_exec(&lock_distribution, values, NULL, SPI_OK_SELECT)
		 : market_exec_latest(&read_distribution, values, NULL)) != 1)
		elog(ERROR, "distribution market %d has no parameters", m->number);
	d.k = market_get_int64(0, 1, &isnull);
	d.backing = market_get_int64(0, 2, &isnull);
	d.min_stddev = market_get_int64(0, 3, &isnull);
	d.current.mean = market_get_int64(0, 4, &isnull);
	d.current.stddev = market_get_int64(0, 5, &isnull);
	d.liquidity = market_get_int64(0, 6, &isnull);
	d.posted = market_get_int64(0, 7, &isnull);
	return d;
}

/* A numeric of any sign (a mean, a value): micro-units within limit. */
static int64
signed_micros(FunctionCallInfo fcinfo, int argno, const char *what, int64 limit)
{
	Numeric		num;
	Datum		zero = NumericGetDatum(int64_to_numeric(0));

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", what)));
	num = PG_GETARG_NUMERIC(argno);
	if (numeric_is_nan(num) || numeric_is_inf(num))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", what)));
	if (DatumGetBool(DirectFunctionCall2(numeric_eq, NumericGetDatum(num), zero)))
		return 0;
	if (DatumGetBool(DirectFunctionCall2(numeric_lt, NumericGetDatum(num), zero)))
		return -market_numeric_to_micros(DatumGetNumeric(DirectFunctionCall1(numeric_uminus,
																			  NumericGetDatum(num))),
										 what, limit);
	return market_numeric_to_micros(num, what, limit);
}

static int64
positive_micros(FunctionCallInfo fcinfo, int argno, const char *what, int64 limit)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", what)));
	return market_numeric_to_micros(PG_GETARG_NUMERIC(argno), what, limit);
}

/* Raise the error a failed parameter check stands for. */
static void
report_check(DistCheck c, DistParams p, int64 min_stddev)
{
	switch (c)
	{
		case DIST_OK:
			return;
		case DIST_BELOW_MIN_STDDEV:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("stddev must be at least the market's min_stddev"),
					 errdetail("The stddev given was %s; min_stddev is %s.",
							   market_micros_to_cstring(p.stddev),
							   market_micros_to_cstring(min_stddev)),
					 errhint("A narrower Normal would peak above the backing, which could not pay it.")));
			break;
		case DIST_NOT_POSITIVE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("backing and min_stddev are too small"),
					 errdetail("k = backing x sqrt(min_stddev x sqrt(pi)) rounds down to 0.")));
			break;
		case DIST_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("distribution parameters out of range"),
					 errdetail("A mean, value or stddev is at most %s in size, a backing at most %s.",
							   market_micros_to_cstring(DIST_MAX_X),
							   market_micros_to_cstring(DIST_MAX_BACKING))));
			break;
		case DIST_PEAK_ABOVE_BACKING:
			/* k is set so that the peak at min_stddev fits: a broken k */
			ereport(ERROR,
					(errcode(ERRCODE_MARKET_INVARIANT_VIOLATED),
					 errmsg("the peak at stddev %s exceeds the backing",
							market_micros_to_cstring(p.stddev)),
					 errdetail("The market's k makes the density at min_stddev peak above its backing; it was set otherwise when the market opened."),
					 errhint("Report this: the market's parameters were changed.")));
			break;
	}
}

/* May the caller spend this account: an operator, or a role owning it? */
static void
require_spender(int64 account, Oid owner, const char *action)
{
	if (market_caller_has(MARKET_ROLE_OPERATOR))
		return;
	if (OidIsValid(owner) && !market_is_extension_role(owner) &&
		has_privs_of_role(market_caller(), owner))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied to %s for account " INT64_FORMAT, action, account),
			 errdetail("Only the account's owner or an operator may spend it."),
			 errhint("Use an account your role owns, or act as a member of market_operator too.")));
}


static Datum
text_array(Datum *elems, int n)
{
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * Move amount from a trader's account (locked by the caller) to the
 * market's collateral, and fee to house: journal and balances.  Raises
 * MK001 if the account's available cash is short.
 */
static void
pay_in(int64 market, int64 collateral_account, int64 account, int64 amount, int64 fee,
	   const char *what)
{
	Datum		values[6];
	Datum		t[4],
				a[4],
				amt[4],
				bal[4],
				kinds[4];
	bool		nulls[4] = {false, false, false, false};
	int64		after;
	int64		transfer;
	bool		isnull;
	int			n = 0;
	int64		need = market_add_micros(amount, fee, what);

	if (need == 0)
		return;
	values[0] = Int64GetDatum(account);
	values[1] = Int64GetDatum(need);
	if (market_exec(&debit, values, NULL, SPI_OK_UPDATE_RETURNING) != 1)
	{
		int64		balance,
					locked;

		values[0] = Int64GetDatum(account);
		market_exec(&lock_account, values, NULL, SPI_OK_SELECT);
		if (strcmp(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1), "user") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("account " INT64_FORMAT " is a system account", account)));
		balance = market_get_int64(0, 3, &isnull);
		locked = market_get_int64(0, 4, &isnull);
		ereport(ERROR,
				(errcode(ERRCODE_MARKET_INSUFFICIENT_FUNDS),
				 errmsg("insufficient funds in account " INT64_FORMAT, account),
				 errdetail("Available is %s; %s needs %s.",
						   market_micros_to_cstring(balance - locked), what,
						   market_micros_to_cstring(need))));
	}
	after = market_get_int64(0, 1, &isnull) + need;	/* the balance before */

	transfer = market_snowflake_next();
	if (amount > 0)
	{
		int64		coll_after;

		values[0] = Int64GetDatum(collateral_account);
		values[1] = Int64GetDatum(amount);
		market_exec(&credit_collateral, values, NULL, SPI_OK_UPDATE_RETURNING);
		coll_after = market_get_int64(0, 1, &isnull);
		after -= amount;
		t[n] = Int64GetDatum(transfer);
		a[n] = Int64GetDatum(account);
		amt[n] = Int64GetDatum(-amount);
		bal[n] = Int64GetDatum(after);
		kinds[n++] = CStringGetTextDatum("trade");
		t[n] = Int64GetDatum(transfer);
		a[n] = Int64GetDatum(collateral_account);
		amt[n] = Int64GetDatum(amount);
		bal[n] = Int64GetDatum(coll_after);
		kinds[n++] = CStringGetTextDatum("trade");
	}
	if (fee > 0)
	{
		int64		fee_transfer = market_snowflake_next();

		after -= fee;
		t[n] = Int64GetDatum(fee_transfer);
		a[n] = Int64GetDatum(account);
		amt[n] = Int64GetDatum(-fee);
		bal[n] = Int64GetDatum(after);
		kinds[n++] = CStringGetTextDatum("fee");
		t[n] = Int64GetDatum(fee_transfer);
		a[n] = Int64GetDatum(MARKET_ACCOUNT_HOUSE);
		amt[n] = Int64GetDatum(fee);
		bal[n] = (Datum) 0;
		nulls[n] = true;
		kinds[n++] = CStringGetTextDatum("fee");
	}
	values[0] = Int64GetDatum(market);
	values[1] = market_int8_array(t, NULL, n);
	values[2] = market_int8_array(a, NULL, n);
	values[3] = market_int8_array(amt, NULL, n);
	values[4] = market_int8_array(bal, nulls, n);
	values[5] = text_array(kinds, n);
	market_exec(&insert_entries, values, NULL, SPI_OK_INSERT);
}

/*
 * market.create_distribution_market(description, mean, stddev, backing,
 *		liquidity_account, min_stddev, close_at, oracle, fee_bps,
 *		dispute_window) -> bigint
 *	  Admins who may also spend the liquidity account (its owner, or an
 *	  operator).  The account pays the backing into the collateral.
 */
PG_FUNCTION_INFO_V1(market_create_distribution_market);
Datum
market_create_distribution_market(PG_FUNCTION_ARGS)
{
	text	   *description;
	DistParams	start;
	int64		backing;
	int64		liquidity;
	int64		min_stddev;
	int64		k;
	int32		fee_bps;
	Interval   *window;
	int64		oracle = 0;
	int64		id;
	int64		collateral;
	int32		number;
	bool		isnull;
	Datum		values[8];
	char		nulls[8];
	Oid			owner;
	StringInfoData payload;

	market_require_role(MARKET_ROLE_ADMIN, "create markets");
	if (PG_ARGISNULL(0) || VARSIZE_ANY_EXHDR(PG_GETARG_TEXT_PP(0)) == 0)
		ereport(ERROR,
				(errcode(PG_ARGISNULL(0) ? ERRCODE_NULL_VALUE_NOT_ALLOWED : ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("description must not be empty")));
	description = market_clean_text(PG_GETARG_TEXT_PP(0), "description");
	start.mean = signed_micros(fcinfo, 1, "mean", DIST_MAX_X);
	start.stddev = positive_micros(fcinfo, 2, "stddev", DIST_MAX_X);
	backing = positive_micros(fcinfo, 3, "backing", DIST_MAX_BACKING);
	liquidity = market_id_arg(fcinfo, 4, "liquidity_account");
	min_stddev = positive_micros(fcinfo, 5, "min_stddev", DIST_MAX_X);
	report_check(dist_check_market(backing, min_stddev, start), start, min_stddev);
	k = dist_k(backing, min_stddev);

	if (!PG_ARGISNULL(6) && PG_GETARG_TIMESTAMPTZ(6) <= GetCurrentTimestamp())
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("close_at must be in the future")));
	fee_bps = PG_ARGISNULL(8) ? 0 : PG_GETARG_INT32(8);
	if (fee_bps < 0 || fee_bps > 10000)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("fee_bps must be between 0 and 10000"),
				 errdetail("Fees are in basis points: 100 is 1%%.")));
	if (PG_ARGISNULL(9))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("dispute_window must not be null")));
	window = PG_GETARG_INTERVAL_P(9);
	if (window->month < 0 || window->day < 0 || window->time < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("dispute_window must not be negative")));
	if (DatumGetInt32(DirectFunctionCall2(interval_cmp, IntervalPGetDatum(window),
										  DirectFunctionCall3(interval_in,
															  CStringGetDatum(MARKET_MAX_DISPUTE_WINDOW),
															  ObjectIdGetDatum(InvalidOid),
															  Int32GetDatum(-1)))) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("dispute_window must be at most %s", MARKET_MAX_DISPUTE_WINDOW)));

	SPI_connect();
	if (!PG_ARGISNULL(7))
	{
		oracle = PG_GETARG_INT64(7);
		values[0] = Int64GetDatum(oracle);
		if (market_exec(&user_account, values, NULL, SPI_OK_SELECT) != 1)
			ereport(ERROR,
					(errcode(ERRCODE_NO_DATA_FOUND),
					 errmsg("oracle account " INT64_FORMAT " does not exist", oracle)));
		if (strcmp(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1), "user") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("oracle account " INT64_FORMAT " is a system account", oracle)));
	}

	/* number markets one at a time (markets.c), then the account row */
	market_lock(0, MARKET_LOCK_FREEZE);
	values[0] = Int64GetDatum(liquidity);
	if (market_exec(&lock_account, values, NULL, SPI_OK_SELECT) != 1)
		market_account_not_found(liquidity);
	if (strcmp(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1), "user") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("liquidity account " INT64_FORMAT " is a system account", liquidity)));
	owner = DatumGetObjectId(market_get_datum(0, 2, &isnull));
	require_spender(liquidity, isnull ? InvalidOid : owner, "back a market");

	market_exec_latest(&next_number, NULL, NULL);
	number = DatumGetInt32(market_get_datum(0, 1, &isnull));
	id = market_snowflake_next();
	collateral = market_snowflake_next();
	values[0] = Int64GetDatum(collateral);
	values[1] = CStringGetTextDatum(psprintf("market %d collateral", number));
	market_exec(&insert_collateral_account, values, NULL, SPI_OK_INSERT);

	memset(nulls, ' ', sizeof(nulls));
	values[0] = Int64GetDatum(id);
	values[1] = Int32GetDatum(number);
	values[2] = PointerGetDatum(description);
	values[3] = PG_ARGISNULL(6) ? (Datum) 0 : PG_GETARG_DATUM(6);
	nulls[3] = PG_ARGISNULL(6) ? 'n' : ' ';
	values[4] = Int64GetDatum(oracle);
	nulls[4] = oracle == 0 ? 'n' : ' ';
	values[5] = Int32GetDatum(fee_bps);
	values[6] = IntervalPGetDatum(window);
	values[7] = Int64GetDatum(collateral);
	market_exec(&insert_market, values, nulls, SPI_OK_INSERT);

	values[0] = Int64GetDatum(id);
	values[1] = Int64GetDatum(liquidity);
	values[2] = Int64GetDatum(backing);
	values[3] = Int64GetDatum(min_stddev);
	values[4] = Int64GetDatum(k);
	values[5] = Int64GetDatum(start.mean);
	values[6] = Int64GetDatum(start.stddev);
	market_exec(&insert_distribution, values, NULL, SPI_OK_INSERT);

	pay_in(id, collateral, liquidity, backing, 0, "the backing");

	initStringInfo(&payload);
	appendStringInfo(&payload, "{\"number\": %d, \"kind\": \"distribution\", \"description\": ", number);
	escape_json(&payload, text_to_cstring(description));
	appendStringInfo(&payload, ", \"mean\": %s, \"stddev\": %s, \"min_stddev\": %s, \"backing\": %s,"
					 " \"k\": %s, \"liquidity_account\": \"" INT64_FORMAT "\"}",
					 market_micros_to_cstring(start.mean), market_micros_to_cstring(start.stddev),
					 market_micros_to_cstring(min_stddev), market_micros_to_cstring(backing),
					 market_micros_to_cstring(k), liquidity);
	market_event("market_created", id, liquidity, payload.data);
	SPI_finish();

	PG_RETURN_INT64(id);
}

/* The target of a quote or trade, checked against the market. */
static DistParams
target_args(FunctionCallInfo fcinfo, int argno, const DistRow *d)
{
	DistParams	g;

	g.mean = signed_micros(fcinfo, argno, "mean", DIST_MAX_X);
	g.stddev = positive_micros(fcinfo, argno + 1, "stddev", DIST_MAX_X);
	report_check(dist_check_params(d->k, d->backing, d->min_stddev, g), g, d->min_stddev);
	return g;
}

/*
 * market.quote_distribution(market, mean, stddev) -> one row: collateral,
 * fee, max_payout, total, worst_at, best_at, payout_at_mean,
 * payout_at_current_mean.  Everyone; the market must be open.
 */
PG_FUNCTION_INFO_V1(market_quote_distribution);
Datum
market_quote_distribution(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64		market;
	MarketRow	m;
	DistRow		d;
	DistParams	g;
	DistQuote	q;
	int64		fee;
	int32		fee_bps;
	Datum		row[8];
	bool		rownulls[8] = {false};
	static MarketStatement fee_of = {
		"SELECT fee_bps FROM market.markets WHERE id = $1", 1, {INT8OID}
	};
	Datum		values[1];
	bool		isnull;

	market_require_role(MARKET_ROLE_ADMIN | MARKET_ROLE_OPERATOR | MARKET_ROLE_TRADER |
						MARKET_ROLE_ORACLE, "quote distribution markets");
	market = market_id_arg(fcinfo, 0, "market");
	InitMaterializedSRF(fcinfo, 0);
	SPI_connect();
	m = market_fetch(market);
	require_distribution(&m);
	market_require_trading(&m);
	d = dist_read(&m, false);
	g = target_args(fcinfo, 1, &d);
	values[0] = Int64GetDatum(market);
	market_exec(&fee_of, values, NULL, SPI_OK_SELECT);
	fee_bps = DatumGetInt32(market_get_datum(0, 1, &isnull));
	dist_quote(d.k, d.current, g, &q);
	fee = dist_fee(q.collateral, fee_bps);
	row[0] = NumericGetDatum(market_micros_to_numeric(q.collateral));
	row[1] = NumericGetDatum(market_micros_to_numeric(fee));
	row[2] = NumericGetDatum(market_micros_to_numeric(q.max_payout));
	row[3] = NumericGetDatum(market_micros_to_numeric(q.collateral + fee));
	row[4] = NumericGetDatum(market_micros_to_numeric(q.x_min));
	row[5] = NumericGetDatum(market_micros_to_numeric(q.x_max));
	row[6] = NumericGetDatum(market_micros_to_numeric(dist_payout(d.k, d.current, g, q.collateral, g.mean)));
	row[7] = NumericGetDatum(market_micros_to_numeric(dist_payout(d.k, d.current, g, q.collateral,
																  d.current.mean)));
	if (q.ncritical == 0)
		rownulls[4] = rownulls[5] = true;
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, row, rownulls);
	SPI_finish();
	return (Datum) 0;
}

/*
 * market.trade_distribution(account, market, mean, stddev, max_collateral,
 *		idempotency_key) -> bigint, the position.  Operators, or a trader
 *	  for an account it owns.
 */
PG_FUNCTION_INFO_V1(market_trade_distribution);
Datum
market_trade_distribution(PG_FUNCTION_ARGS)
{
	int64		account;
	int64		market;
	int64		max_collateral;
	text	   *key = PG_ARGISNULL(5) ? NULL : PG_GETARG_TEXT_PP(5);
	MarketRow	m;
	DistRow		d;
	DistParams	g;
	DistQuote	q;
	int64		fee;
	int64		position;
	int32		fee_bps;
	int			bound;
	char	   *request;
	Datum		values[9];
	bool		isnull;
	Oid			owner;
	StringInfoData payload;
	static MarketStatement fee_of = {
		"SELECT fee_bps FROM market.markets WHERE id = $1", 1, {INT8OID}
	};

	market_require_role(MARKET_ROLE_OPERATOR | MARKET_ROLE_TRADER, "trade");
	account = market_id_arg(fcinfo, 0, "account");
	market = market_id_arg(fcinfo, 1, "market");
	if (PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("max_collateral must not be null")));
	max_collateral = signed_micros(fcinfo, 4, "max_collateral", MARKET_MAX_AMOUNT);
	if (max_collateral < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_collateral must not be negative")));
	if (key != NULL)
		market_check_idempotency_key(key);

	SPI_connect();
	bound = market_bound_waits();
	market_lock(market, MARKET_LOCK_FREEZE);
	m = market_fetch(market);

	/* the account: it exists, and the caller may act for it */
	values[0] = Int64GetDatum(account);
	if (market_exec(&lock_account, values, NULL, SPI_OK_SELECT) != 1)
		market_account_not_found(account);
	owner = DatumGetObjectId(market_get_datum(0, 2, &isnull));
	market_require_account(account, isnull ? InvalidOid : owner, true, "trade");

	require_distribution(&m);
	/* the request in micro-units, so that 1 and 1.0 are the same request */
	g.mean = signed_micros(fcinfo, 2, "mean", DIST_MAX_X);
	g.stddev = positive_micros(fcinfo, 3, "stddev", DIST_MAX_X);
	request = psprintf("trade_distribution %d %s %s %s", m.number,
					   market_micros_to_cstring(g.mean),
					   market_micros_to_cstring(g.stddev),
					   market_micros_to_cstring(max_collateral));
	if (key != NULL && market_idempotency_lookup(account, key, request, &position))
	{
		market_unbound_waits(bound);
		SPI_finish();
		PG_RETURN_INT64(position);
	}
	market_require_trading(&m);
	d = dist_read(&m, true);
	report_check(dist_check_params(d.k, d.backing, d.min_stddev, g), g, d.min_stddev);

	values[0] = Int64GetDatum(market);
	market_exec(&fee_of, values, NULL, SPI_OK_SELECT);
	fee_bps = DatumGetInt32(market_get_datum(0, 1, &isnull));
	dist_quote(d.k, d.current, g, &q);
	fee = dist_fee(q.collateral, fee_bps);
	if (q.collateral + fee > max_collateral)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the trade needs more than max_collateral"),
				 errdetail("Moving market %d from (%s, %s) to (%s, %s) needs collateral %s and fee %s: %s in all; max_collateral is %s.",
						   m.number, market_micros_to_cstring(d.current.mean),
						   market_micros_to_cstring(d.current.stddev),
						   market_micros_to_cstring(g.mean), market_micros_to_cstring(g.stddev),
						   market_micros_to_cstring(q.collateral), market_micros_to_cstring(fee),
						   market_micros_to_cstring(q.collateral + fee),
						   market_micros_to_cstring(max_collateral)),
				 errhint("Quote it with market.quote_distribution() and allow at least its total.")));

	pay_in(market, m.collateral, account, q.collateral, fee, "the trade");

	position = market_snowflake_next();
	values[0] = Int64GetDatum(position);
	values[1] = Int64GetDatum(market);
	values[2] = Int64GetDatum(account);
	values[3] = Int64GetDatum(d.current.mean);
	values[4] = Int64GetDatum(d.current.stddev);
	values[5] = Int64GetDatum(g.mean);
	values[6] = Int64GetDatum(g.stddev);
	values[7] = Int64GetDatum(q.collateral);
	values[8] = Int64GetDatum(fee);
	market_exec(&insert_position, values, NULL, SPI_OK_INSERT);

	values[0] = Int64GetDatum(market);
	values[1] = Int64GetDatum(g.mean);
	values[2] = Int64GetDatum(g.stddev);
	values[3] = Int64GetDatum(q.collateral);
	market_exec(&move_market, values, NULL, SPI_OK_UPDATE);

	if (key != NULL)
		market_idempotency_record(account, key, request, position);

	initStringInfo(&payload);
	appendStringInfo(&payload,
					 "{\"number\": %d, \"position\": \"" INT64_FORMAT "\", \"size\": %s, \"fee\": %s,"
					 " \"old\": {\"mean\": %s, \"stddev\": %s}, \"new\": {\"mean\": %s, \"stddev\": %s}}",
					 m.number, position, market_micros_to_cstring(q.collateral),
					 market_micros_to_cstring(fee),
					 market_micros_to_cstring(d.current.mean), market_micros_to_cstring(d.current.stddev),
					 market_micros_to_cstring(g.mean), market_micros_to_cstring(g.stddev));
	market_event("trade", market, account, payload.data);
	market_unbound_waits(bound);
	SPI_finish();

	PG_RETURN_INT64(position);
}

/*
 * market.distribution_curve(market, points, low, high) -> TABLE(x, density)
 *	  The current f at points evenly spaced from low to high (default the
 *	  mean -+ 4 stddevs), each rounded down to a micro-unit.  Everyone.
 */
PG_FUNCTION_INFO_V1(market_distribution_curve);
Datum
market_distribution_curve(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64		market;
	int32		points;
	MarketRow	m;
	DistRow		d;
	int64		low,
				high;
	int32		i;

	market_require_role(MARKET_ROLE_ADMIN | MARKET_ROLE_OPERATOR | MARKET_ROLE_TRADER |
						MARKET_ROLE_ORACLE, "read distribution markets");
	market = market_id_arg(fcinfo, 0, "market");
	points = PG_ARGISNULL(1) ? 41 : PG_GETARG_INT32(1);
	if (points < 2 || points > DIST_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("points must be between 2 and %d", DIST_MAX_POINTS),
				 errdetail("The number given was %d.", points)));
	InitMaterializedSRF(fcinfo, 0);
	SPI_connect();
	m = market_fetch(market);
	require_distribution(&m);
	d = dist_read(&m, false);
	low = PG_ARGISNULL(2) ? d.current.mean - 4 * d.current.stddev
		: signed_micros(fcinfo, 2, "low", DIST_MAX_X);
	high = PG_ARGISNULL(3) ? d.current.mean + 4 * d.current.stddev
		: signed_micros(fcinfo, 3, "high", DIST_MAX_X);
	if (high <= low)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("high must be above low")));
	for (i = 0; i < points; i++)
	{
		int64		x = low + (int64) ((__int128) (high - low) * i / (points - 1));
		Datum		row[2];
		bool		rownulls[2] = {false, false};

		row[0] = NumericGetDatum(market_micros_to_numeric(x));
		row[1] = NumericGetDatum(market_micros_to_numeric(dist_value_floor(d.k, d.current, x)));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, row, rownulls);
	}
	SPI_finish();
	return (Datum) 0;
}

/* Refuse a position: missing, or one the caller may not read. */
static void
position_not_found(int64 position)
{
	ereport(ERROR,
			(errcode(ERRCODE_NO_DATA_FOUND),
			 errmsg("position " INT64_FORMAT " does not exist", position),
			 errhint("A trader sees only its own positions.")));
}

/*
 * May the caller read an account's positions: an admin or operator, or
 * a trader owning it (the rule of market_require_account, as a test).
 */
static bool
may_read_account(Oid owner)
{
	if (market_caller_has(MARKET_ROLE_OPERATOR | MARKET_ROLE_ADMIN))
		return true;
	return OidIsValid(owner) &&
		market_caller_has(MARKET_ROLE_TRADER) &&
		!market_is_extension_role(owner) &&
		has_privs_of_role(market_caller(), owner);
}

/*
 * market.distribution_payoff(position, x) -> numeric
 *	  What the position would be paid at final value x.  Admins and
 *	  operators for any position, a trader for its own accounts'.
 */
PG_FUNCTION_INFO_V1(market_distribution_payoff);
Datum
market_distribution_payoff(PG_FUNCTION_ARGS)
{
	int64		position = market_id_arg(fcinfo, 0, "position");
	int64		x;
	Datum		values[1] = {Int64GetDatum(position)};
	DistParams	f,
				g;
	int64		k,
				collateral,
				payout;
	bool		isnull;
	Datum		owner;

	market_require_role(MARKET_ROLE_ADMIN | MARKET_ROLE_OPERATOR | MARKET_ROLE_TRADER,
						"read positions");
	x = signed_micros(fcinfo, 1, "x", DIST_MAX_X);
	SPI_connect();
	if (market_exec(&read_position, values, NULL, SPI_OK_SELECT) != 1)
		position_not_found(position);
	f.mean = market_get_int64(0, 3, &isnull);
	f.stddev = market_get_int64(0, 4, &isnull);
	g.mean = market_get_int64(0, 5, &isnull);
	g.stddev = market_get_int64(0, 6, &isnull);
	collateral = market_get_int64(0, 7, &isnull);
	k = market_get_int64(0, 8, &isnull);
	owner = market_get_datum(0, 9, &isnull);
	/*
	 * A position the caller may not read is refused as if it did not
	 * exist, as RLS shows it: the public events carry position ids, and
	 * naming the owner here would tie a trade to an account.
	 */
	if (!may_read_account(isnull ? InvalidOid : DatumGetObjectId(owner)))
		position_not_found(position);
	payout = dist_payout(k, f, g, collateral, x);
	SPI_finish();
	PG_RETURN_NUMERIC(market_micros_to_numeric(payout));
}

/* resolve(market, outcome) and resolve(market, payouts) refuse these. */
void
market_distribution_refuse_outcomes(const MarketRow *m)
{
	if (market_is_distribution(m))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("market %d is a distribution market", m->number),
				 errdetail("A distribution market has no outcomes; its oracle reports a value."),
				 errhint("Resolve it with market.resolve_value(market, value).")));
}

/*
 * resolve_value on a distribution market: record x* and start the dispute
 * window.  Caller (resolution.c) holds the freeze lock and checked the
 * caller and the state.
 */
void
market_distribution_resolve(MarketRow *m, FunctionCallInfo fcinfo, int argno)
{
	int64		value = signed_micros(fcinfo, argno, "value", DIST_MAX_X);
	Datum		values[3];
	StringInfoData payload;

	values[0] = Int64GetDatum(m->id);
	values[1] = Int64GetDatum(value);
	values[2] = ObjectIdGetDatum(market_caller());
	market_exec(&record_value, values, NULL, SPI_OK_UPDATE);
	initStringInfo(&payload);
	appendStringInfo(&payload, "{\"number\": %d, \"value\": %s}", m->number,
					 market_micros_to_cstring(value));
	market_event("market_resolved", m->id, 0, payload.data);
}

/* dispute: withdraw the value (one statement, for the report CHECK). */
void
market_distribution_withdraw(const MarketRow *m)
{
	Datum		values[1] = {Int64GetDatum(m->id)};

	market_exec(&withdraw_value, values, NULL, SPI_OK_UPDATE);
}

/*
 * Finalization: fix every position's payout at x*, and the liquidity
 * account's remainder, adding up to exactly the collateral.  Caller
 * holds the freeze lock and the collateral row.
 */
void
market_distribution_fix_payouts(const MarketRow *m, int64 collateral)
{
	Datum		values[6];
	DistRow		d = dist_read(m, false);
	int64		x;
	uint64		n,
				i;
	bool		isnull;
	Datum	   *accounts,
			   *amounts,
			   *costs,
			   *positions;
	bool	   *nulls;
	int64		total = 0;

	values[0] = Int64GetDatum(m->id);
	market_exec(&final_value_of, values, NULL, SPI_OK_SELECT);
	x = market_get_int64(0, 1, &isnull);
	if (isnull)
		elog(ERROR, "distribution market %d has no final value", m->number);

	n = market_exec(&all_positions, values, NULL, SPI_OK_SELECT);
	accounts = palloc(sizeof(Datum) * (n + 1));
	amounts = palloc(sizeof(Datum) * (n + 1));
	costs = palloc(sizeof(Datum) * (n + 1));
	positions = palloc(sizeof(Datum) * (n + 1));
	nulls = palloc0(sizeof(bool) * (n + 1));
	for (i = 0; i < n; i++)
	{
		DistParams	f,
					g;
		int64		c = market_get_int64(i, 7, &isnull);
		int64		owed;

		f.mean = market_get_int64(i, 3, &isnull);
		f.stddev = market_get_int64(i, 4, &isnull);
		g.mean = market_get_int64(i, 5, &isnull);
		g.stddev = market_get_int64(i, 6, &isnull);
		owed = dist_payout(d.k, f, g, c, x);
		/*
		 * Never more than is left: the rounding margin keeps every payout
		 * at or under its exact value, so this cap should never bind; if
		 * it did, the positions paid last (by id) would get less, rather
		 * than finalization failing.
		 */
		if (owed > collateral - total)
			owed = collateral - total;
		positions[i] = Int64GetDatum(market_get_int64(i, 1, &isnull));
		accounts[i] = Int64GetDatum(market_get_int64(i, 2, &isnull));
		amounts[i] = Int64GetDatum(owed);
		costs[i] = Int64GetDatum(c);
		total = market_add_micros(total, owed, "the payouts of a market");
	}
	/* the liquidity account: what is left */
	positions[n] = (Datum) 0;
	nulls[n] = true;
	accounts[n] = Int64GetDatum(d.liquidity);
	amounts[n] = Int64GetDatum(collateral - total);
	costs[n] = Int64GetDatum(d.backing);

	values[0] = Int64GetDatum(m->id);
	values[1] = CStringGetTextDatum("payout");
	values[2] = market_int8_array(accounts, NULL, (int) n + 1);
	values[3] = market_int8_array(amounts, NULL, (int) n + 1);
	values[4] = market_int8_array(costs, NULL, (int) n + 1);
	values[5] = market_int8_array(positions, nulls, (int) n + 1);
	market_exec(&insert_owed, values, NULL, SPI_OK_INSERT);
}

/*
 * cancel_market: every collateral posted and the backing are owed back.
 * The report, if any, is cleared with the state (a cancelled market
 * reports nothing); resolution.c then records the reason and the event.
 */
void
market_distribution_fix_refunds(const MarketRow *m, int64 collateral)
{
	Datum		values[1] = {Int64GetDatum(m->id)};
	uint64		i,
				n;
	int64		total = 0;
	bool		isnull;

	market_exec(&clear_value, values, NULL, SPI_OK_UPDATE);
	n = market_exec(&insert_refunds, values, NULL, SPI_OK_INSERT_RETURNING);
	for (i = 0; i < n; i++)
		total = market_add_micros(total, market_get_int64(i, 1, &isnull), "the refunds of a market");
	if (total != collateral)
		elog(ERROR, "refunds of distribution market %d add up to %s, not its collateral %s",
			 m->number, market_micros_to_cstring(total), market_micros_to_cstring(collateral));
}

/*
 * settle() on a distribution market: pay the unpaid rows (at most limit),
 * account by account, as one transfer out of the collateral; one row per
 * account paid goes to the caller's result.  Caller holds the freeze lock.
 */
void
market_distribution_settle(ReturnSetInfo *rsinfo, const MarketRow *m, const char *kind,
						   int64 account, int64 limit)
{
	Datum		values[6];
	char		nulls[3] = {' ', ' ', ' '};
	uint64		n,
				i;
	bool		isnull;
	Datum	   *row_accounts,
			   *row_positions,
			   *j_accounts,
			   *j_amounts,
			   *j_after,
			   *j_transfer,
			   *j_kind;
	int			nj = 0;
	int64		total = 0;
	int64		collateral;
	int64		transfer;
	StringInfoData payload;

	values[0] = Int64GetDatum(m->id);
	values[1] = Int64GetDatum(account);
	nulls[1] = account == 0 ? 'n' : ' ';
	values[2] = Int64GetDatum(limit);
	n = market_exec_locking(&due, values, nulls, SPI_OK_SELECT, m->number);
	if (n == 0)
	{
		if (account != 0)
		{
			values[1] = Int64GetDatum(account);
			ereport(NOTICE,
					(errmsg(market_exec(&any_row, values, NULL, SPI_OK_SELECT) == 1
							? "account " INT64_FORMAT " was already settled in market %d"
							: "account " INT64_FORMAT " holds nothing in market %d",
							account, m->number)));
		}
		else
			ereport(NOTICE, (errmsg("nothing left to settle in market %d", m->number)));
		return;
	}

	row_accounts = palloc(sizeof(Datum) * n);
	row_positions = palloc(sizeof(Datum) * n);
	j_accounts = palloc(sizeof(Datum) * (n + 1));
	j_amounts = palloc(sizeof(Datum) * (n + 1));
	j_after = palloc(sizeof(Datum) * (n + 1));
	j_transfer = palloc(sizeof(Datum) * (n + 1));
	j_kind = palloc(sizeof(Datum) * (n + 1));
	for (i = 0; i < n;)
	{
		int64		id = market_get_int64(i, 1, &isnull);
		int64		balance = market_get_int64(i, 4, &isnull);
		int64		sum = 0;
		Datum		row[2];
		bool		rownulls[2] = {false, false};

		/* rows come by account: one journal entry per account */
		for (; i < n && market_get_int64(i, 1, &isnull) == id; i++)
		{
			row_accounts[i] = Int64GetDatum(id);
			row_positions[i] = Int64GetDatum(market_get_int64(i, 3, &isnull));
			sum = market_add_micros(sum, market_get_int64(i, 2, &isnull),
									"the total paid by a settlement");
		}
		total = market_add_micros(total, sum, "the total paid by a settlement");
		if (sum > 0)
		{
			j_accounts[nj] = Int64GetDatum(id);
			j_amounts[nj] = Int64GetDatum(sum);
			j_after[nj] = Int64GetDatum(market_add_micros(balance, sum,
														  "the balance of an account after its payout"));
			nj++;
		}
		row[0] = Int64GetDatum(id);
		row[1] = NumericGetDatum(market_micros_to_numeric(sum));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, row, rownulls);
	}

	values[0] = Int64GetDatum(m->collateral);
	market_exec(&lock_collateral, values, NULL, SPI_OK_SELECT);
	collateral = market_get_int64(0, 1, &isnull);
	if (total > collateral)
		ereport(ERROR,
				(errcode(ERRCODE_MARKET_INVARIANT_VIOLATED),
				 errmsg("market %d owes %s but its collateral holds %s", m->number,
						market_micros_to_cstring(total), market_micros_to_cstring(collateral)),
				 errdetail("Finalization caps the payouts at the collateral; the settlements or the collateral account were changed since."),
				 errhint("Run market.check_invariants() and report this.")));

	/* drawn after the account locks: see ledger.c */
	transfer = market_snowflake_next();
	if (nj > 0)
	{
		j_accounts[nj] = Int64GetDatum(m->collateral);
		j_amounts[nj] = Int64GetDatum(-total);
		j_after[nj] = Int64GetDatum(collateral - total);
		for (i = 0; i <= (uint64) nj; i++)
		{
			j_transfer[i] = Int64GetDatum(transfer);
			j_kind[i] = CStringGetTextDatum(kind);
		}
		values[0] = Int64GetDatum(m->id);
		values[1] = market_int8_array(j_transfer, NULL, nj + 1);
		values[2] = market_int8_array(j_accounts, NULL, nj + 1);
		values[3] = market_int8_array(j_amounts, NULL, nj + 1);
		values[4] = market_int8_array(j_after, NULL, nj + 1);
		values[5] = text_array(j_kind, nj + 1);
		market_exec(&insert_entries, values, NULL, SPI_OK_INSERT);
	}
	values[0] = Int64GetDatum(m->id);
	values[1] = Int64GetDatum(transfer);
	values[2] = market_int8_array(row_accounts, NULL, (int) n);
	values[3] = market_int8_array(row_positions, NULL, (int) n);
	values[4] = market_int8_array(j_accounts, NULL, nj + 1);
	values[5] = market_int8_array(j_after, NULL, nj + 1);
	if (nj == 0)
	{
		/* nothing to pay: mark the rows, touch no balance */
		Datum		none[1] = {Int64GetDatum(0)};

		values[4] = market_int8_array(none, NULL, 0);
		values[5] = market_int8_array(none, NULL, 0);
	}
	market_exec(&mark_paid, values, NULL, SPI_OK_UPDATE);

	initStringInfo(&payload);
	appendStringInfo(&payload, "{\"number\": %d, \"kind\": \"%s\", \"positions\": " UINT64_FORMAT
					 ", \"paid\": %s}", m->number, kind, n, market_micros_to_cstring(total));
	market_event("settled", m->id, account, payload.data);
}

/*
 * Invariant 4 for a distribution market, at commit (invariants.c calls it
 * for every market whose collateral changed): the collateral is the
 * backing plus the collateral posted less what was paid.  Inside SPI, as
 * the tables' owner.  Does nothing for other markets.
 */
void
market_distribution_check(int64 market)
{
	Datum		values[1] = {Int64GetDatum(market)};
	bool		isnull;
	int64		balance,
				backing,
				posted,
				paid;

	if (!has_distribution_catalog() ||
		market_exec(&collateral_expected, values, NULL, SPI_OK_SELECT) != 1)
		return;
	balance = market_get_int64(0, 2, &isnull);
	backing = market_get_int64(0, 3, &isnull);
	posted = market_get_int64(0, 4, &isnull);
	paid = market_get_int64(0, 5, &isnull);
	if (balance != backing + posted - paid)
		ereport(ERROR,
				(errcode(ERRCODE_MARKET_INVARIANT_VIOLATED),
				 errmsg("collateral of market %d does not match its backing and positions",
						DatumGetInt32(market_get_datum(0, 1, &isnull))),
				 errdetail("The collateral is %s; backing %s + posted %s - paid %s is %s.",
						   market_micros_to_cstring(balance), market_micros_to_cstring(backing),
						   market_micros_to_cstring(posted), market_micros_to_cstring(paid),
						   market_micros_to_cstring(backing + posted - paid))));
}

/* check_invariants(): the distribution markets' rows, appended. */
void
market_distribution_invariants(ReturnSetInfo *rsinfo)
{
	uint64		i;

	if (!has_distribution_catalog())
		return;
	if (SPI_execute(invariants_sql, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "distribution invariants query failed");
	for (i = 0; i < SPI_processed; i++)
	{
		Datum		values[2];
		bool		nulls[2];

		values[0] = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &nulls[0]);
		values[1] = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &nulls[1]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}
