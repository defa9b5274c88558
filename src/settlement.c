/*
 * settlement.c
 *	  settle(market, account, max_positions): pay what finalize() or
 *	  cancel_market() fixed (SPEC section 9).
 *
 * A settlement pays the unpaid rows of market.settlements, oldest account
 * id first, at most max_positions of them (a DBA settles a huge market in
 * batches), as one journal transfer out of the market's collateral: kind
 * "payout" for a resolved market, "refund" for a cancelled one.  Each
 * position paid is closed: its holdings go to zero, its realized P&L takes
 * the payout less the cost basis still held, and it is marked settled.  A
 * row is paid once; settling again pays nothing and says so.  When every
 * row is paid the collateral is exactly zero, since the amounts were fixed
 * to add up to it.
 *
 * settle(market, account) is a holder claiming its own position (a trader
 * for an account it owns, or an operator); settle(market) is for admins
 * and operators.  A 'manual' oracle's report past its dispute window is
 * finalized on the way.
 *
 * Locks: the market's freeze lock (settlements of one market one at a
 * time), then the accounts paid, in one statement in id order.  Only the
 * accounts that receive cash are locked: a position paid nothing changes
 * no account row, and its holdings, position and settlement rows belong to
 * this market, which the freeze lock holds.
 *
 * Set-based: one statement reads the rows due, one locks the accounts
 * paid, one writes the transfer and one the rest (settlements, holdings,
 * positions, balances), whatever the number of positions.
 */
#include "postgres.h"

#include "common/int.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

#include "market.h"
#include "pools.h"
#include "spi_plans.h"

/* The unpaid rows to pay, in account id order (the freeze lock holds them). */
static MarketStatement due = {
	"SELECT s.account, s.amount, s.cost"
	"  FROM market.settlements s"
	" WHERE s.market = $1 AND s.paid_at IS NULL AND ($2 IS NULL OR s.account = $2)"
	" ORDER BY s.account LIMIT $3",
	3, {INT8OID, INT8OID, INT8OID}
};

/* The accounts paid (ids sorted), locked in id order, with their balances. */
static MarketStatement lock_paid = {
	"SELECT id, balance FROM market.accounts WHERE id = ANY ($1) ORDER BY id FOR UPDATE",
	1, {INT8ARRAYOID}
};

static MarketStatement any_row = {
	"SELECT 1 FROM market.settlements WHERE market = $1 AND account = $2",
	2, {INT8OID, INT8OID}
};

static MarketStatement account_owner = {
	"SELECT owner::pg_catalog.oid FROM market.accounts WHERE id = $1",
	1, {INT8OID}
};

static MarketStatement lock_collateral = {
	"SELECT balance FROM market.accounts WHERE id = $1 FOR UPDATE",
	1, {INT8OID}
};

/*
 * The arrays come in as set-returning functions of the SELECT list, which
 * stream their rows in step; in FROM (ROWS FROM) each would first be
 * stored whole in a tuplestore of its own, on disk past work_mem.
 */
static MarketStatement pay = {
	"WITH due AS NOT MATERIALIZED ("
	"  SELECT pg_catalog.unnest($3::pg_catalog.int8[]) AS account,"
	"         pg_catalog.unnest($4::pg_catalog.int8[]) AS amount,"
	"         pg_catalog.unnest($5::pg_catalog.int8[]) AS cost),"
	" paid AS ("
	"  UPDATE market.settlements s SET paid_at = pg_catalog.now(), transfer = $2"
	"    FROM due u"
	"   WHERE s.market = $1 AND s.account = u.account),"
	" emptied AS ("
	"  UPDATE market.holdings h SET quantity = 0, cost = 0"
	"    FROM due u"
	"   WHERE h.market = $1 AND h.account = u.account AND h.quantity > 0),"
	" closed AS ("
	"  UPDATE market.positions p"
	"     SET realized = p.realized + (u.amount - u.cost), payout = u.amount,"
	"         settled_at = pg_catalog.now(), updated_at = pg_catalog.now()"
	"    FROM due u"
	"   WHERE p.account = u.account AND p.market = $1"
	"  RETURNING p.account),"
	/* a position has its row since its first fill; this is for any without */
	" opened AS ("
	"  INSERT INTO market.positions (account, market, realized, payout, settled_at)"
	"  SELECT u.account, $1, u.amount - u.cost, u.amount, pg_catalog.now()"
	"    FROM due u"
	"   WHERE NOT EXISTS (SELECT FROM closed c WHERE c.account = u.account))"
	" UPDATE market.accounts a SET balance = u.balance"
	"   FROM (SELECT pg_catalog.unnest($6::pg_catalog.int8[]) AS id,"
	"                pg_catalog.unnest($7::pg_catalog.int8[]) AS balance) u"
	"  WHERE a.id = u.id",
	7, {INT8OID, INT8OID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID}
};

static MarketStatement journal = {
	"INSERT INTO market.journal (transfer, account, amount, balance_after, kind, market)"
	" SELECT $1, pg_catalog.unnest($4::pg_catalog.int8[]), pg_catalog.unnest($5::pg_catalog.int8[]),"
	"        pg_catalog.unnest($6::pg_catalog.int8[]), $3, $2",
	6, {INT8OID, INT8OID, TEXTOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID}
};


PG_FUNCTION_INFO_V1(market_settle);
Datum
market_settle(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64		market;
	int64		account = 0;
	bool		everyone = PG_ARGISNULL(1);
	int64		limit = PG_INT64_MAX;
	MarketRow	m;
	Datum		values[7];
	char		nulls[7] = {' ', ' ', ' ', ' ', ' ', ' ', ' '};
	uint64		n;
	uint64		i;
	bool		isnull;
	int64		collateral;
	int64		transfer;
	int64		total = 0;
	const char *kind;
	Datum	   *accounts,
			   *amounts,
			   *costs,
			   *j_accounts,
			   *j_amounts,
			   *j_after;
	int			nj = 0;
	int			bound;
	StringInfoData payload;

	market_require_role(MARKET_ROLE_ADMIN | MARKET_ROLE_OPERATOR | MARKET_ROLE_TRADER,
						"settle positions");
	market = market_id_arg(fcinfo, 0, "market");
	if (!everyone)
		account = PG_GETARG_INT64(1);
	else if (!market_caller_has(MARKET_ROLE_ADMIN | MARKET_ROLE_OPERATOR))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to settle every position"),
				 errdetail("A trader settles its own positions: give the account."),
				 errhint("Call market.settle(market, account) for an account you own, or settle everyone as a member of market_operator or market_admin.")));
	if (!PG_ARGISNULL(2))
	{
		if (PG_GETARG_INT32(2) <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("max_positions must be positive")));
		limit = PG_GETARG_INT32(2);
	}
	InitMaterializedSRF(fcinfo, 0);

	SPI_connect();
	if (!everyone)
	{
		values[0] = Int64GetDatum(account);
		if (market_exec(&account_owner, values, NULL, SPI_OK_SELECT) != 1)
			market_account_not_found(account);
		/* paying a holder what it is owed: admins too, not only operators */
		if (!market_caller_has(MARKET_ROLE_ADMIN))
		{
			Datum		d = market_get_datum(0, 1, &isnull);

			market_require_account(account, isnull ? InvalidOid : DatumGetObjectId(d), true,
								   "settle positions");
		}
	}
	bound = market_bound_waits();
	market_lock(market, MARKET_LOCK_FREEZE);
	m = market_fetch(market);
	if (!market_finalize_due(&m, everyone ? 0 : account, limit) &&
		strcmp(m.state, "cancelled") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("market %d is not settled yet: it is %s", m.number, m.state),
				 errdetail(strcmp(m.state, "resolved") == 0
						   ? "Its report is final at the end of the dispute window (or when an admin confirms it)."
						   : "A market pays out once it is resolved and final, or cancelled.")));
	kind = strcmp(m.state, "cancelled") == 0 ? "refund" : "payout";
	if (market_is_distribution(&m))
	{
		/* settled by position (distribution.c) */
		market_distribution_settle(rsinfo, &m, kind, everyone ? 0 : account, limit);
		market_unbound_waits(bound);
		SPI_finish();
		return (Datum) 0;
	}
	if (market_is_pool(&m))
	{
		/* a pool pays its completed distribution */
		market_pool_settle(&m, account, everyone, limit, rsinfo);
		market_unbound_waits(bound);
		SPI_finish();
		return (Datum) 0;
	}

	values[0] = Int64GetDatum(market);
	values[1] = Int64GetDatum(account);
	nulls[1] = everyone ? 'n' : ' ';
	values[2] = Int64GetDatum(limit);
	n = market_exec(&due, values, nulls, SPI_OK_SELECT);
	nulls[1] = ' ';
	if (n == 0)
	{
		if (!everyone)
		{
			bool		had_row;

			values[1] = Int64GetDatum(account);
			had_row = market_exec(&any_row, values, NULL, SPI_OK_SELECT) == 1;
			ereport(NOTICE,
					(errmsg(had_row
							? "account " INT64_FORMAT " was already settled in market %d"
							: "account " INT64_FORMAT " holds nothing in market %d",
							account, m.number)));
		}
		else
			ereport(NOTICE, (errmsg("nothing left to settle in market %d", m.number)));
		market_unbound_waits(bound);
		SPI_finish();
		return (Datum) 0;
	}

	accounts = palloc(sizeof(Datum) * n);
	amounts = palloc(sizeof(Datum) * n);
	costs = palloc(sizeof(Datum) * n);
	j_accounts = palloc(sizeof(Datum) * (n + 1));
	j_amounts = palloc(sizeof(Datum) * (n + 1));
	j_after = palloc(sizeof(Datum) * (n + 1));
	for (i = 0; i < n; i++)
	{
		int64		id = market_get_int64(i, 1, &isnull);
		int64		amount = market_get_int64(i, 2, &isnull);

		accounts[i] = Int64GetDatum(id);
		amounts[i] = Int64GetDatum(amount);
		costs[i] = Int64GetDatum(market_get_int64(i, 3, &isnull));
		total = market_add_micros(total, amount, "the total paid by a settlement");
		if (amount > 0)
		{
			j_accounts[nj] = Int64GetDatum(id);
			j_amounts[nj] = Int64GetDatum(amount);
			nj++;
		}
		{
			Datum		row[2];
			bool		rownulls[2] = {false, false};

			row[0] = Int64GetDatum(id);
			row[1] = NumericGetDatum(market_micros_to_numeric(amount));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, row, rownulls);
		}
	}

	/* lock the accounts paid (already in id order) and read their balances */
	if (nj > 0)
	{
		values[0] = market_int8_array(j_accounts, NULL, nj);
		if (market_exec_locking(&lock_paid, values, NULL, SPI_OK_SELECT, m.number) != (uint64) nj)
			elog(ERROR, "an account paid by the settlement of market %d is missing", m.number);
		for (i = 0; i < (uint64) nj; i++)
		{
			int64		id = market_get_int64(i, 1, &isnull);
			int64		balance;

			if (id != DatumGetInt64(j_accounts[i]))
				elog(ERROR, "the accounts paid by the settlement of market %d are out of order",
					 m.number);
			if (pg_add_s64_overflow(market_get_int64(i, 2, &isnull),
									DatumGetInt64(j_amounts[i]), &balance))
				market_out_of_range(psprintf("the balance of account " INT64_FORMAT " after its payout",
											 id));
			j_after[i] = Int64GetDatum(balance);
		}
	}

	values[0] = Int64GetDatum(m.collateral);
	market_exec(&lock_collateral, values, NULL, SPI_OK_SELECT);
	collateral = market_get_int64(0, 1, &isnull);
	if (total > collateral)
		elog(ERROR, "market %d owes %s but its collateral holds %s", m.number,
			 market_micros_to_cstring(total), market_micros_to_cstring(collateral));

	/* drawn after the account locks: see ledger.c */
	transfer = market_snowflake_next();
	if (nj > 0)
	{
		j_accounts[nj] = Int64GetDatum(m.collateral);
		j_amounts[nj] = Int64GetDatum(-total);
		j_after[nj] = Int64GetDatum(collateral - total);
		values[0] = Int64GetDatum(transfer);
		values[1] = Int64GetDatum(market);
		values[2] = CStringGetTextDatum(kind);
		values[3] = market_int8_array(j_accounts, NULL, nj + 1);
		values[4] = market_int8_array(j_amounts, NULL, nj + 1);
		values[5] = market_int8_array(j_after, NULL, nj + 1);
		market_exec(&journal, values, NULL, SPI_OK_INSERT);
	}

	values[0] = Int64GetDatum(market);
	values[1] = Int64GetDatum(transfer);
	values[2] = market_int8_array(accounts, NULL, (int) n);
	values[3] = market_int8_array(amounts, NULL, (int) n);
	values[4] = market_int8_array(costs, NULL, (int) n);
	{
		/* the paid accounts' new balances, and the collateral's */
		Datum	   *ids = palloc(sizeof(Datum) * (nj + 1));
		Datum	   *bal = palloc(sizeof(Datum) * (nj + 1));
		int			k;

		for (k = 0; k < nj; k++)
		{
			ids[k] = j_accounts[k];
			bal[k] = j_after[k];
		}
		ids[nj] = Int64GetDatum(m.collateral);
		bal[nj] = Int64GetDatum(collateral - total);
		values[5] = market_int8_array(ids, NULL, nj + 1);
		values[6] = market_int8_array(bal, NULL, nj + 1);
	}
	market_exec(&pay, values, NULL, SPI_OK_UPDATE);

	initStringInfo(&payload);
	appendStringInfo(&payload, "{\"number\": %d, \"kind\": \"%s\", \"positions\": " UINT64_FORMAT
					 ", \"paid\": %s}", m.number, kind, n, market_micros_to_cstring(total));
	market_event("settled", market, everyone ? 0 : account, payload.data);
	market_unbound_waits(bound);
	SPI_finish();

	return (Datum) 0;
}
