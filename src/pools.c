/*
 * pools.c
 *	  Parimutuel pools (SPEC section 10, seed 001): place_commitment, the
 *	  payout distribution each report writes, its payment by settle, and
 *	  rollback_distribution.
 *
 * Design.  A pool has no book and no contracts.  place_commitment moves
 * cash from an account into the market's collateral account (journal kind
 * "commitment") and records it in market.commitments: a "yes" commitment
 * wins if its outcome wins, a "no" one if it loses.
 *
 * Each report (resolve, resolve_value) writes a distribution, status
 * "pending": the pool P (every commitment), the fees floor(P * bps /
 * 10000) for house and creator, and per commitment its result and payout.
 * The winners share P - fees pro-rata to their amounts: each gets
 * floor(amount * (P - fees) / W), W the winners' total, and the residue
 * left by the flooring goes one micro-unit each to the largest remainders
 * (ties to the lower commitment id), so payouts plus fees are exactly P.
 * If nobody won, or the market is cancelled, every commitment is refunded
 * in full and no fee is charged.  Every figure of that computation (base,
 * remainder, rank, bonus) is kept in market.distribution_commitments: the
 * audit trail, which market.distribution_audit recomputes from the
 * commitments alone.
 *
 * A dispute marks the distribution "disputed" (the next report writes a
 * new one); finalization marks it "completed", fixes what each account is
 * owed in market.settlements (keyed by distribution, so a later
 * distribution pays again) and pays the fees at once (journal kind
 * "fee"): the house fee to house, the creator fee straight to the
 * creator's account.  settle then pays the accounts (kind "distribution",
 * or "refund" for a cancellation), claimed one by one or in batches.
 *
 * rollback_distribution reverses what a completed distribution paid, fees
 * included, in one transfer (kind "rollback"), if every payee still has
 * the cash available (else MK001 naming them, and nothing changes); the
 * market goes back from finalized to closed with its report cleared.
 *
 * Locks: every call takes the market's lock first (trade lock for
 * place_commitment, freeze lock for the rest, so they exclude each
 * other), then account rows: place_commitment the trader's row, then the
 * collateral's; a report or cancellation the collateral's (its
 * distribution must share out exactly that balance; under REPEATABLE
 * READ a commitment newer than the snapshot fails it with 40001); finalize and rollback every row of the transfer in id
 * order in one statement (house keeps no running balance and is not
 * locked); settle the batch's rows in id order, then the collateral's.
 * The transfer id is drawn after the locks (see ledger.c).  The
 * collateral row is the pool's one hot row: commitments to one pool
 * queue on it, as they must, since each changes the pool.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/tuplestore.h"

#include "market.h"
#include "pools.h"
#include "spi_plans.h"

static MarketStatement outcome_market = {
	"SELECT o.market, o.number, m.kind"
	"  FROM market.outcomes o JOIN market.markets m ON m.id = o.market"
	" WHERE o.id = $1",
	1, {INT8OID}
};

static MarketStatement lock_account = {
	"SELECT kind, owner::pg_catalog.oid, balance, locked FROM market.accounts"
	" WHERE id = $1 FOR UPDATE",
	1, {INT8OID}
};

static MarketStatement insert_commitment = {
	"INSERT INTO market.commitments (id, market, outcome, account, position, amount, transfer)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7)",
	7, {INT8OID, INT8OID, INT8OID, INT8OID, TEXTOID, INT8OID, INT8OID}
};

/* The accounts of a transfer, locked in id order (house is never locked). */
static MarketStatement lock_accounts = {
	"SELECT id, kind, balance, locked FROM market.accounts"
	" WHERE id OPERATOR(pg_catalog.=) ANY ($1) AND kind <> 'house'"
	" ORDER BY id FOR UPDATE",
	1, {INT8ARRAYOID}
};

static MarketStatement journal = {
	"INSERT INTO market.journal (transfer, account, amount, balance_after, kind, market)"
	" SELECT $1, u.account, u.amount, u.balance_after, $3, $2"
	"   FROM ROWS FROM (pg_catalog.unnest($4::pg_catalog.int8[]), pg_catalog.unnest($5::pg_catalog.int8[]),"
	"                   pg_catalog.unnest($6::pg_catalog.int8[])) AS u(account, amount, balance_after)",
	6, {INT8OID, INT8OID, TEXTOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID}
};

static MarketStatement set_balances = {
	"UPDATE market.accounts a SET balance = u.balance"
	"   FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.int8[]), pg_catalog.unnest($2::pg_catalog.int8[]))"
	"        AS u(id, balance)"
	"  WHERE a.id = u.id",
	2, {INT8ARRAYOID, INT8ARRAYOID}
};

static MarketStatement market_terms = {
	"SELECT fee_bps, creator_fee_bps, creator FROM market.markets WHERE id = $1",
	1, {INT8OID}
};

/* The pool, its size, and W for the winner $2 (NULL: nobody). */
static MarketStatement pool_figures = {
	"SELECT COALESCE(pg_catalog.sum(amount), 0)::pg_catalog.int8, pg_catalog.count(*)::pg_catalog.int4,"
	"       COALESCE(pg_catalog.sum(amount) FILTER (WHERE (position = 'yes') = (outcome = $2)), 0)"
	"         ::pg_catalog.int8"
	"  FROM market.commitments WHERE market = $1",
	2, {INT8OID, INT8OID}
};

/*
 * The split, per commitment: $1 distribution, $2 market, $3 winner, $4
 * refund, $5 what the winners share (pool less fees), $6 W.
 */
static MarketStatement split_pool = {
	"INSERT INTO market.distribution_commitments (distribution, commitment, market, account, outcome,"
	"       position, amount, result, base, remainder, rank, bonus, payout)"
	" SELECT $1, id, $2, account, outcome, position, amount, result, base, remainder, rank, bonus,"
	"        base + bonus"
	"   FROM (SELECT r.*, CASE WHEN r.result = 'won' AND r.rank <= r.residue THEN 1 ELSE 0 END AS bonus"
	"           FROM (SELECT s.*,"
	"                        CASE WHEN s.result = 'won' THEN pg_catalog.row_number() OVER"
	"                             (ORDER BY s.result = 'won' DESC, s.remainder DESC, s.id) END AS rank,"
	"                        $5 - COALESCE(pg_catalog.sum(s.base) FILTER (WHERE s.result = 'won') OVER (), 0)"
	"                          AS residue"
	"                   FROM (SELECT c.*,"
	"                                CASE c.result WHEN 'won'"
	"                                     THEN pg_catalog.div(c.amount::pg_catalog.numeric * $5, $6)::pg_catalog.int8"
	"                                     WHEN 'refunded' THEN c.amount ELSE 0 END AS base,"
	"                                CASE WHEN c.result = 'won'"
	"                                     THEN pg_catalog.mod(c.amount::pg_catalog.numeric * $5, $6)::pg_catalog.int8"
	"                                     ELSE 0 END AS remainder"
	"                           FROM (SELECT id, account, outcome, position, amount,"
	"                                        CASE WHEN $4 THEN 'refunded'"
	"                                             WHEN (position = 'yes') = (outcome = $3) THEN 'won'"
	"                                             ELSE 'lost' END AS result"
	"                                   FROM market.commitments WHERE market = $2) c) s) r) x",
	6, {INT8OID, INT8OID, INT8OID, BOOLOID, INT8OID, INT8OID}
};

static MarketStatement insert_distribution = {
	"INSERT INTO market.distributions (id, market, status, cause, outcome, refund, pool, commitments,"
	"       winning, fee_bps, creator_fee_bps, house_fee, creator, creator_fee, payouts, residue,"
	"       created_by, completed_at)"
	" SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
	"        COALESCE(pg_catalog.sum(payout), 0), COALESCE(pg_catalog.sum(bonus), 0),"
	"        $15::pg_catalog.oid::pg_catalog.regrole,"
	"        CASE WHEN $3 = 'completed' THEN pg_catalog.now() END"
	"   FROM market.distribution_commitments WHERE distribution = $1",
	15, {INT8OID, INT8OID, TEXTOID, TEXTOID, INT8OID, BOOLOID, INT8OID, INT4OID, INT8OID,
		INT4OID, INT4OID, INT8OID, INT8OID, INT8OID, OIDOID}
};

static MarketStatement dispute_pending = {
	"UPDATE market.distributions SET status = $2,"
	"       disputed_at = CASE WHEN $2 = 'disputed' THEN pg_catalog.now() END"
	" WHERE market = $1 AND status = 'pending' RETURNING id",
	2, {INT8OID, TEXTOID}
};

static MarketStatement complete_pending = {
	"UPDATE market.distributions SET status = 'completed', completed_at = pg_catalog.now()"
	" WHERE market = $1 AND status = 'pending'"
	" RETURNING id, house_fee, creator, creator_fee",
	1, {INT8OID}
};

/* What each account is owed: fixed once, keyed by the distribution. */
static MarketStatement fix_owed = {
	"INSERT INTO market.settlements (market, account, kind, amount, cost, distribution)"
	" SELECT $1, account, $3, pg_catalog.sum(payout), pg_catalog.sum(amount), $2"
	"   FROM market.distribution_commitments WHERE distribution = $2"
	"  GROUP BY account",
	3, {INT8OID, INT8OID, TEXTOID}
};

static MarketStatement set_fee_transfer = {
	"UPDATE market.distributions SET fee_transfer = $2 WHERE id = $1",
	2, {INT8OID, INT8OID}
};

static MarketStatement completed_of_market = {
	"SELECT id, cause FROM market.distributions WHERE market = $1 AND status = 'completed'",
	1, {INT8OID}
};

/* The unpaid rows to pay, their accounts locked in id order. */
static MarketStatement due = {
	"SELECT s.account, s.amount, a.balance"
	"  FROM market.settlements s JOIN market.accounts a ON a.id = s.account"
	" WHERE s.market = $1 AND s.distribution = $2 AND s.paid_at IS NULL"
	"   AND ($3 IS NULL OR s.account = $3)"
	" ORDER BY s.account LIMIT $4"
	" FOR UPDATE OF a",
	4, {INT8OID, INT8OID, INT8OID, INT8OID}
};

static MarketStatement lock_collateral = {
	"SELECT balance FROM market.accounts WHERE id = $1 FOR UPDATE",
	1, {INT8OID}
};

static MarketStatement any_row = {
	"SELECT 1 FROM market.settlements WHERE market = $1 AND account = $2 AND distribution = $3",
	3, {INT8OID, INT8OID, INT8OID}
};

/* the batch paid: the unpaid rows up to its last account ($5: one account) */
static MarketStatement mark_paid = {
	"UPDATE market.settlements SET paid_at = pg_catalog.now(), transfer = $3"
	" WHERE market = $1 AND distribution = $2 AND paid_at IS NULL AND account <= $4"
	"   AND ($5 IS NULL OR account = $5)",
	5, {INT8OID, INT8OID, INT8OID, INT8OID, INT8OID}
};

static MarketStatement distribution_market = {
	"SELECT market FROM market.distributions WHERE id = $1",
	1, {INT8OID}
};

static MarketStatement lock_distribution = {
	"SELECT status, cause FROM market.distributions WHERE id = $1 FOR UPDATE",
	1, {INT8OID}
};

/*
 * What a rollback takes back from each account (house, $3, included),
 * netted.  $2 is the distribution's market: with it, settlements_key
 * finds the rows (no index starts with distribution).
 */
static MarketStatement reversal = {
	"SELECT account, -pg_catalog.sum(amount)::pg_catalog.int8 FROM ("
	"  SELECT account, amount FROM market.settlements"
	"   WHERE market = $2 AND distribution = $1 AND paid_at IS NOT NULL AND amount > 0"
	"  UNION ALL SELECT creator, creator_fee FROM market.distributions"
	"   WHERE id = $1 AND creator_fee > 0 AND fee_transfer IS NOT NULL"
	"  UNION ALL SELECT $3, house_fee FROM market.distributions"
	"   WHERE id = $1 AND house_fee > 0 AND fee_transfer IS NOT NULL) r"
	" GROUP BY account ORDER BY account",
	3, {INT8OID, INT8OID, INT8OID}
};

static MarketStatement drop_unpaid = {
	"DELETE FROM market.settlements WHERE market = $2 AND distribution = $1 AND paid_at IS NULL",
	2, {INT8OID, INT8OID}
};

static MarketStatement mark_rolled_back = {
	"UPDATE market.distributions SET status = 'rolled_back', rolled_back_at = pg_catalog.now(),"
	"       rolled_back_by = $2::pg_catalog.oid::pg_catalog.regrole, rollback_reason = $3,"
	"       rollback_transfer = $4"
	" WHERE id = $1",
	4, {INT8OID, OIDOID, TEXTOID, INT8OID}
};

static MarketStatement clear_report = {
	"UPDATE market.markets SET state = 'closed', payouts = NULL, resolved_at = NULL, resolved_by = NULL,"
	"       finalizes_at = NULL, finalized_at = NULL WHERE id = $1",
	1, {INT8OID}
};

static MarketStatement pool_balance = {
	"SELECT m.number, c.balance,"
	"       (SELECT COALESCE(pg_catalog.sum(amount), 0) FROM market.commitments"
	"         WHERE market = m.id)::pg_catalog.int8,"
	"       (SELECT COALESCE(pg_catalog.sum(d.house_fee + d.creator_fee"
	"               + COALESCE((SELECT pg_catalog.sum(s.amount) FROM market.settlements s"
	"                            WHERE s.market = m.id AND s.distribution = d.id"
	"                              AND s.paid_at IS NOT NULL), 0)), 0)"
	"          FROM market.distributions d WHERE d.market = m.id AND d.status = 'completed')"
	"         ::pg_catalog.int8"
	"  FROM market.markets m JOIN market.accounts c ON c.id = m.collateral WHERE m.id = $1",
	1, {INT8OID}
};


bool
market_is_pool(const MarketRow *m)
{
	return strcmp(m->kind, "parimutuel") == 0;
}

void
market_pool_refuse_orders(const MarketRow *m)
{
	if (market_is_pool(m))
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("market %d is a parimutuel pool", m->number),
				 errdetail("A pool has no order book: cash is committed to its outcomes."),
				 errhint("Use market.place_commitment(account, outcome, amount, position).")));
}

void
market_pool_refuse_vector(const MarketRow *m)
{
	if (market_is_pool(m))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("market %d is a parimutuel pool: it resolves to one winner", m->number),
				 errdetail("A pool's distribution pays the winning side of one outcome; a payout vector has no meaning for it."),
				 errhint("Use market.resolve(market, outcome) or market.resolve_value(market, value).")));
}

/* qsort_arg: positions in an array of account ids, by id */
static int
by_account(const void *a, const void *b, void *arg)
{
	const int64 *accounts = (const int64 *) arg;
	int64		x = accounts[*(const int *) a];
	int64		y = accounts[*(const int *) b];

	return x < y ? -1 : x > y ? 1 : 0;
}

/*
 * One transfer of kind "kind" in market m: accounts[i] changes by
 * deltas[i] (distinct accounts; zero deltas are skipped; the deltas sum to
 * zero).  The accounts are locked in id order.  With check_funds, every
 * user account that loses cash must have it available, else MK001 naming
 * every one that has not (what names what: "what").  Returns the transfer
 * id, or 0 if nothing moved.
 */
static int64
pool_transfer(const MarketRow *m, const char *kind, int n, const int64 *accounts,
			  const int64 *deltas, bool check_funds, const char *what)
{
	Datum	   *ids = palloc(sizeof(Datum) * (n + 1));
	Datum	   *j_accounts = palloc(sizeof(Datum) * (n + 1));
	Datum	   *j_amounts = palloc(sizeof(Datum) * (n + 1));
	Datum	   *j_after = palloc(sizeof(Datum) * (n + 1));
	Datum	   *u_ids = palloc(sizeof(Datum) * (n + 1));
	Datum	   *u_bal = palloc(sizeof(Datum) * (n + 1));
	Datum		values[6];
	char		nulls[6] = {' ', ' ', ' ', ' ', ' ', ' '};
	bool	   *j_nulls;
	int			nz = 0;
	int			nu = 0;
	int			i;
	uint64		k;
	uint64		locked_rows;
	int64		transfer;
	bool		isnull;
	StringInfoData short_of;
	int			nshort = 0;
	int64	   *bal_of;
	bool	   *house;
	int		   *order;
	int			j;

	for (i = 0; i < n; i++)
		if (deltas[i] != 0)
			ids[nz++] = Int64GetDatum(accounts[i]);
	if (nz == 0)
		return 0;

	values[0] = market_int8_array(ids, NULL, nz);
	locked_rows = market_exec_locking(&lock_accounts, values, NULL, SPI_OK_SELECT, m->number);

	/*
	 * Balances by position in accounts[]: the locked rows come in id
	 * order, so walk them beside the positions sorted by account id.
	 */
	bal_of = palloc0(sizeof(int64) * n);
	house = palloc0(sizeof(bool) * n);
	order = palloc(sizeof(int) * n);
	for (i = 0; i < n; i++)
		order[i] = i;
	qsort_arg(order, n, sizeof(int), by_account, (void *) accounts);
	initStringInfo(&short_of);
	k = 0;
	for (j = 0; j < n; j++)
	{
		i = order[j];
		if (deltas[i] == 0)
			continue;
		if (accounts[i] == MARKET_ACCOUNT_HOUSE)
		{
			house[i] = true;
			continue;
		}
		while (k < locked_rows && market_get_int64(k, 1, &isnull) < accounts[i])
			k++;
		if (k >= locked_rows || market_get_int64(k, 1, &isnull) != accounts[i])
			market_account_not_found(accounts[i]);
		bal_of[i] = market_get_int64(k, 3, &isnull);
		if (check_funds && deltas[i] < 0 &&
			strcmp(SPI_getvalue(SPI_tuptable->vals[k], SPI_tuptable->tupdesc, 2), "user") == 0 &&
			bal_of[i] - market_get_int64(k, 4, &isnull) < -deltas[i])
		{
			appendStringInfo(&short_of, "%saccount " INT64_FORMAT " has %s available and must return %s",
							 nshort ? "; " : "", accounts[i],
							 market_micros_to_cstring(bal_of[i] - market_get_int64(k, 4, &isnull)),
							 market_micros_to_cstring(-deltas[i]));
			nshort++;
		}
	}
	if (nshort > 0)
		ereport(ERROR,
				(errcode(ERRCODE_MARKET_INSUFFICIENT_FUNDS),
				 errmsg("insufficient funds to reverse %s", what),
				 errdetail("%s.", short_of.data),
				 errhint("Nothing was changed.  The accounts named must have the cash available (deposit it, or cancel their open orders) before the rollback is tried again.")));

	/* drawn after the account locks: see ledger.c */
	transfer = market_snowflake_next();
	j_nulls = palloc0(sizeof(bool) * nz);
	nz = 0;
	for (i = 0; i < n; i++)
	{
		int64		after;

		if (deltas[i] == 0)
			continue;
		j_accounts[nz] = Int64GetDatum(accounts[i]);
		j_amounts[nz] = Int64GetDatum(deltas[i]);
		if (house[i])
		{
			j_nulls[nz] = true;
			j_after[nz] = (Datum) 0;
		}
		else
		{
			after = market_add_micros(bal_of[i], deltas[i], "a balance after a pool transfer");
			j_after[nz] = Int64GetDatum(after);
			u_ids[nu] = Int64GetDatum(accounts[i]);
			u_bal[nu] = Int64GetDatum(after);
			nu++;
		}
		nz++;
	}
	values[0] = Int64GetDatum(transfer);
	values[1] = Int64GetDatum(m->id);
	values[2] = CStringGetTextDatum(kind);
	values[3] = market_int8_array(j_accounts, NULL, nz);
	values[4] = market_int8_array(j_amounts, NULL, nz);
	values[5] = market_int8_array(j_after, j_nulls, nz);
	market_exec(&journal, values, nulls, SPI_OK_INSERT);
	if (nu > 0)
	{
		values[0] = market_int8_array(u_ids, NULL, nu);
		values[1] = market_int8_array(u_bal, NULL, nu);
		market_exec(&set_balances, values, NULL, SPI_OK_UPDATE);
	}
	return transfer;
}

/*
 * market.place_commitment(account bigint, outcome bigint, amount numeric,
 *		position text, idempotency_key text) -> bigint
 *	  Commit cash to a pool.  The account's owner (a trader) or an operator.
 *	  Locks: the market's trade lock, the account row, then the collateral.
 */
PG_FUNCTION_INFO_V1(market_place_commitment);
Datum
market_place_commitment(PG_FUNCTION_ARGS)
{
	int64		account;
	int64		outcome;
	int64		amount;
	char	   *position;
	text	   *key;
	char	   *request = NULL;
	Datum		values[7];
	bool		isnull;
	int64		market;
	int32		outcome_number;
	MarketRow	m;
	char	   *kind;
	Oid			owner;
	int64		balance;
	int64		locked;
	int64		id;
	int64		transfer;
	int64		accounts[2];
	int64		deltas[2];
	int64		pool;
	StringInfoData payload;
	int			bound;

	market_require_role(MARKET_ROLE_OPERATOR | MARKET_ROLE_TRADER, "place commitments");
	account = market_id_arg(fcinfo, 0, "account");
	outcome = market_id_arg(fcinfo, 1, "outcome");
	amount = market_amount_arg(fcinfo, 2, "amount");
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("position must not be null")));
	position = text_to_cstring(PG_GETARG_TEXT_PP(3));
	if (strcmp(position, "yes") != 0 && strcmp(position, "no") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("position must be 'yes' or 'no'"),
				 errdetail("The position given was \"%s\".", position)));
	key = PG_ARGISNULL(4) ? NULL : PG_GETARG_TEXT_PP(4);
	if (key)
		market_check_idempotency_key(key);

	SPI_connect();
	bound = market_bound_waits();
	values[0] = Int64GetDatum(outcome);
	if (market_exec(&outcome_market, values, NULL, SPI_OK_SELECT) != 1)
		market_outcome_not_found(outcome, 0);
	market = market_get_int64(0, 1, &isnull);
	outcome_number = DatumGetInt32(market_get_datum(0, 2, &isnull));

	market_lock(market, MARKET_LOCK_TRADE);
	m = market_fetch(market);
	if (!market_is_pool(&m))
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("market %d is not a parimutuel pool", m.number),
				 errdetail("Commitments are made to markets of kind parimutuel; market %d is of kind %s.",
						   m.number, m.kind),
				 errhint("Trade an order-book market with market.place_order.")));
	if (strcmp(market_effective_state(&m), "active") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("market %d is %s", m.number,
						strcmp(m.state, "active") == 0 ? "closed for commitments" : m.state),
				 errdetail("Commitments are taken only while a pool is active and before its close_at.")));

	values[0] = Int64GetDatum(account);
	if (market_exec(&lock_account, values, NULL, SPI_OK_SELECT) != 1)
		market_account_not_found(account);
	kind = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	owner = DatumGetObjectId(market_get_datum(0, 2, &isnull));
	if (isnull)
		owner = InvalidOid;
	balance = market_get_int64(0, 3, &isnull);
	locked = market_get_int64(0, 4, &isnull);
	if (strcmp(kind, "user") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("account " INT64_FORMAT " is a system account", account),
				 errdetail("System accounts do not commit cash to pools.")));
	market_require_account(account, owner, true, "place commitments");

	if (key)
	{
		int64		earlier;

		request = psprintf("place_commitment outcome " INT64_FORMAT " amount %s position %s",
						   outcome, market_micros_to_cstring(amount), position);
		if (market_idempotency_lookup(account, key, request, &earlier))
		{
			market_unbound_waits(bound);
			SPI_finish();
			PG_RETURN_INT64(earlier);
		}
	}
	if (balance - locked < amount)
		ereport(ERROR,
				(errcode(ERRCODE_MARKET_INSUFFICIENT_FUNDS),
				 errmsg("insufficient funds in account " INT64_FORMAT, account),
				 errdetail("The commitment needs %s; available is %s.",
						   market_micros_to_cstring(amount),
						   market_micros_to_cstring(balance - locked))));

	accounts[0] = account;
	deltas[0] = -amount;
	accounts[1] = m.collateral;
	deltas[1] = amount;
	transfer = pool_transfer(&m, "commitment", 2, accounts, deltas, true, "a commitment");

	id = market_snowflake_next();
	values[0] = Int64GetDatum(id);
	values[1] = Int64GetDatum(market);
	values[2] = Int64GetDatum(outcome);
	values[3] = Int64GetDatum(account);
	values[4] = CStringGetTextDatum(position);
	values[5] = Int64GetDatum(amount);
	values[6] = Int64GetDatum(transfer);
	market_exec(&insert_commitment, values, NULL, SPI_OK_INSERT);
	if (key)
		market_idempotency_record(account, key, request, id);

	/* the pool after it: the collateral's balance while the pool trades */
	values[0] = Int64GetDatum(m.collateral);
	market_exec(&lock_account, values, NULL, SPI_OK_SELECT);
	pool = market_get_int64(0, 3, &isnull);
	initStringInfo(&payload);
	appendStringInfo(&payload,
					 "{\"number\": %d, \"commitment\": \"" INT64_FORMAT "\", \"outcome\": %d,"
					 " \"position\": \"%s\", \"amount\": %s, \"pool\": %s,"
					 " \"transfer\": \"" INT64_FORMAT "\"}",
					 m.number, id, outcome_number, position, market_micros_to_cstring(amount),
					 market_micros_to_cstring(pool), transfer);
	market_event("commitment_placed", market, account, payload.data);
	market_unbound_waits(bound);
	SPI_finish();
	PG_RETURN_INT64(id);
}

/*
 * Write a distribution of pool m: for the winner outcome number
 * winner_number (status pending), or, with winner_number 0, the full
 * refund of a cancellation (status completed).  Returns its id.
 */
static int64
distribute(const MarketRow *m, int32 winner_number, const char *status)
{
	Datum		values[15];
	char		nulls[15];
	bool		isnull;
	int32		fee_bps;
	int32		creator_fee_bps;
	int64		creator = 0;
	int64		winner = 0;
	int64		pool;
	int32		count;
	int64		winning;
	bool		refund;
	int64		house_fee = 0;
	int64		creator_fee = 0;
	int64		id;
	int64		collateral;
	StringInfoData payload;

	/*
	 * The collateral first: every commitment moved cash into it, so under
	 * REPEATABLE READ a commitment committed after this transaction's
	 * snapshot makes the lock fail with 40001 (as check_fixed does for
	 * an order book), and the pool read below must be its balance.
	 */
	values[0] = Int64GetDatum(m->collateral);
	market_exec_locking(&lock_collateral, values, NULL, SPI_OK_SELECT, m->number);
	collateral = market_get_int64(0, 1, &isnull);

	values[0] = Int64GetDatum(m->id);
	market_exec(&market_terms, values, NULL, SPI_OK_SELECT);
	fee_bps = DatumGetInt32(market_get_datum(0, 1, &isnull));
	creator_fee_bps = DatumGetInt32(market_get_datum(0, 2, &isnull));
	creator = market_get_int64(0, 3, &isnull);
	if (isnull)
		creator = 0;
	if (winner_number > 0)
	{
		static MarketStatement outcome_by_number = {
			"SELECT id FROM market.outcomes WHERE market = $1 AND number = $2",
			2, {INT8OID, INT4OID}
		};

		values[1] = Int32GetDatum(winner_number);
		if (market_exec(&outcome_by_number, values, NULL, SPI_OK_SELECT) != 1)
			elog(ERROR, "market %d has no outcome %d", m->number, winner_number);
		winner = market_get_int64(0, 1, &isnull);
	}

	memset(nulls, ' ', sizeof(nulls));
	values[0] = Int64GetDatum(m->id);
	values[1] = Int64GetDatum(winner);
	nulls[1] = winner == 0 ? 'n' : ' ';
	market_exec(&pool_figures, values, nulls, SPI_OK_SELECT);
	pool = market_get_int64(0, 1, &isnull);
	count = DatumGetInt32(market_get_datum(0, 2, &isnull));
	winning = market_get_int64(0, 3, &isnull);
	if (pool != collateral)
		ereport(ERROR,
				(errcode(ERRCODE_MARKET_INVARIANT_VIOLATED),
				 errmsg("pool %d holds %s but its commitments add up to %s", m->number,
						market_micros_to_cstring(collateral), market_micros_to_cstring(pool)),
				 errdetail("A distribution must share out the whole collateral of its pool."),
				 errhint("Nothing was changed.")));

	/* nobody won, or a cancellation: everyone back in full, no fee */
	refund = winner == 0 || winning == 0;
	if (!refund)
	{
		house_fee = (int64) (((int128) pool * fee_bps) / 10000);
		creator_fee = (int64) (((int128) pool * creator_fee_bps) / 10000);
	}

	id = market_snowflake_next();
	memset(nulls, ' ', sizeof(nulls));
	values[0] = Int64GetDatum(id);
	values[1] = Int64GetDatum(m->id);
	values[2] = Int64GetDatum(winner);
	nulls[2] = winner == 0 ? 'n' : ' ';
	values[3] = BoolGetDatum(refund);
	values[4] = Int64GetDatum(pool - house_fee - creator_fee);
	values[5] = Int64GetDatum(winning);
	market_exec(&split_pool, values, nulls, SPI_OK_INSERT);

	memset(nulls, ' ', sizeof(nulls));
	values[0] = Int64GetDatum(id);
	values[1] = Int64GetDatum(m->id);
	values[2] = CStringGetTextDatum(status);
	values[3] = CStringGetTextDatum(winner == 0 ? "cancellation" : "resolution");
	values[4] = Int64GetDatum(winner);
	nulls[4] = winner == 0 ? 'n' : ' ';
	values[5] = BoolGetDatum(refund);
	values[6] = Int64GetDatum(pool);
	values[7] = Int32GetDatum(count);
	values[8] = Int64GetDatum(winning);
	values[9] = Int32GetDatum(fee_bps);
	values[10] = Int32GetDatum(creator_fee_bps);
	values[11] = Int64GetDatum(house_fee);
	values[12] = Int64GetDatum(creator);
	nulls[12] = creator == 0 ? 'n' : ' ';
	values[13] = Int64GetDatum(creator_fee);
	values[14] = ObjectIdGetDatum(market_caller());
	market_exec(&insert_distribution, values, nulls, SPI_OK_INSERT);

	initStringInfo(&payload);
	appendStringInfo(&payload,
					 "{\"number\": %d, \"distribution\": \"" INT64_FORMAT "\", \"status\": \"%s\","
					 " \"outcome\": %d, \"refund\": %s, \"pool\": %s, \"commitments\": %d,"
					 " \"winning\": %s, \"house_fee\": %s, \"creator_fee\": %s}",
					 m->number, id, status, winner_number, refund ? "true" : "false",
					 market_micros_to_cstring(pool), count, market_micros_to_cstring(winning),
					 market_micros_to_cstring(house_fee), market_micros_to_cstring(creator_fee));
	market_event("distribution_written", m->id, 0, payload.data);
	return id;
}

/*
 * The market's state says a distribution exists that this transaction's
 * snapshot does not show: it was written by a transaction that committed
 * after the snapshot was taken (REPEATABLE READ or SERIALIZABLE).
 */
static void
stale_snapshot(const MarketRow *m, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
			 errmsg("could not serialize access to pool %d due to a concurrent change", m->number),
			 errdetail("The transaction's snapshot predates %s, which committed while this call waited for the market.", what),
			 errhint("Retry the transaction.")));
}

/* A report on pool m: its distribution, pending. */
void
market_pool_distribute(const MarketRow *m, int32 winner_number)
{
	distribute(m, winner_number, "pending");
}

static void
distribution_event(const MarketRow *m, const char *name, int64 id, const char *status)
{
	char	   *payload = psprintf("{\"number\": %d, \"distribution\": \"" INT64_FORMAT "\","
								   " \"status\": \"%s\"}", m->number, id, status);

	market_event(name, m->id, 0, payload);
}

/* An admin's dispute withdrew the report: its distribution is disputed. */
void
market_pool_dispute(const MarketRow *m)
{
	Datum		values[2] = {Int64GetDatum(m->id), CStringGetTextDatum("disputed")};
	bool		isnull;

	if (market_exec(&dispute_pending, values, NULL, SPI_OK_UPDATE_RETURNING) == 1)
		distribution_event(m, "distribution_disputed", market_get_int64(0, 1, &isnull), "disputed");
}

/* Fix what each account is owed by distribution id, and pay the fees. */
static void
complete(const MarketRow *m, int64 id, const char *kind, int64 house_fee, int64 creator,
		 int64 creator_fee)
{
	Datum		values[3];
	int64		accounts[3];
	int64		deltas[3];
	int64		fee_transfer;

	values[0] = Int64GetDatum(m->id);
	values[1] = Int64GetDatum(id);
	values[2] = CStringGetTextDatum(kind);
	market_exec(&fix_owed, values, NULL, SPI_OK_INSERT);

	accounts[0] = m->collateral;
	deltas[0] = -(house_fee + creator_fee);
	accounts[1] = MARKET_ACCOUNT_HOUSE;
	deltas[1] = house_fee;
	accounts[2] = creator;
	deltas[2] = creator_fee;
	fee_transfer = pool_transfer(m, "fee", creator_fee > 0 ? 3 : 2, accounts, deltas, false,
								 "the fees");
	if (fee_transfer != 0)
	{
		values[0] = Int64GetDatum(id);
		values[1] = Int64GetDatum(fee_transfer);
		market_exec(&set_fee_transfer, values, NULL, SPI_OK_UPDATE);
	}
	distribution_event(m, "distribution_completed", id, "completed");
}

/* Finalization: the pending distribution is completed and its fees paid. */
void
market_pool_finalize(const MarketRow *m)
{
	Datum		values[1] = {Int64GetDatum(m->id)};
	bool		isnull;
	int64		id;
	int64		house_fee;
	int64		creator;
	int64		creator_fee;

	/*
	 * The market row is read with the latest snapshot, the distributions
	 * with the transaction's: under REPEATABLE READ, a report committed
	 * while this call waited for the freeze lock is not visible.
	 */
	if (market_exec(&complete_pending, values, NULL, SPI_OK_UPDATE_RETURNING) != 1)
		stale_snapshot(m, "its report");
	id = market_get_int64(0, 1, &isnull);
	house_fee = market_get_int64(0, 2, &isnull);
	creator = market_get_int64(0, 3, &isnull);
	if (isnull)
		creator = 0;
	creator_fee = market_get_int64(0, 4, &isnull);
	complete(m, id, "payout", house_fee, creator, creator_fee);
}

/*
 * cancel_market of a pool: a pending report's distribution is cancelled,
 * and a completed distribution refunds every commitment in full.
 */
void
market_pool_cancel(const MarketRow *m)
{
	Datum		values[2] = {Int64GetDatum(m->id), CStringGetTextDatum("cancelled")};
	bool		isnull;
	int64		id;

	if (market_exec(&dispute_pending, values, NULL, SPI_OK_UPDATE_RETURNING) == 1)
		distribution_event(m, "distribution_cancelled", market_get_int64(0, 1, &isnull),
						   "cancelled");
	id = distribute(m, 0, "completed");
	complete(m, id, "refund", 0, 0, 0);
}

/*
 * settle for a pool: pay the unpaid settlements of its completed
 * distribution (one account, or a batch of at most limit, in account
 * order) in one transfer out of the collateral.  The caller holds the
 * freeze lock and has checked the caller's rights and the market's state.
 */
void
market_pool_settle(const MarketRow *m, int64 account, bool everyone, int64 limit,
				   ReturnSetInfo *rsinfo)
{
	Datum		values[6];
	char		nulls[6] = {' ', ' ', ' ', ' ', ' ', ' '};
	bool		isnull;
	int64		distribution;
	const char *kind;
	uint64		n;
	uint64		i;
	Datum	   *j_accounts;
	Datum	   *j_amounts;
	Datum	   *j_after;
	int			nz = 0;
	int64		last = 0;
	int64		collateral;
	int64		total = 0;
	int64		transfer;
	StringInfoData payload;

	values[0] = Int64GetDatum(m->id);
	if (market_exec(&completed_of_market, values, NULL, SPI_OK_SELECT) != 1)
		stale_snapshot(m, "its finalization");	/* as in market_pool_finalize */
	distribution = market_get_int64(0, 1, &isnull);
	kind = strcmp(SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2), "cancellation") == 0
		? "refund" : "distribution";

	values[1] = Int64GetDatum(distribution);
	values[2] = Int64GetDatum(account);
	nulls[2] = everyone ? 'n' : ' ';
	values[3] = Int64GetDatum(limit);
	n = market_exec_locking(&due, values, nulls, SPI_OK_SELECT, m->number);
	if (n == 0)
	{
		if (!everyone)
		{
			values[1] = Int64GetDatum(account);
			values[2] = Int64GetDatum(distribution);
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

	j_accounts = palloc(sizeof(Datum) * (n + 1));
	j_amounts = palloc(sizeof(Datum) * (n + 1));
	j_after = palloc(sizeof(Datum) * (n + 1));
	for (i = 0; i < n; i++)
	{
		Datum		row[2];
		bool		rownulls[2] = {false, false};
		int64		id = market_get_int64(i, 1, &isnull);
		int64		amount = market_get_int64(i, 2, &isnull);

		last = id;
		total = market_add_micros(total, amount, "the total paid by a settlement");
		if (amount > 0)
		{
			j_accounts[nz] = Int64GetDatum(id);
			j_amounts[nz] = Int64GetDatum(amount);
			j_after[nz] = Int64GetDatum(market_add_micros(market_get_int64(i, 3, &isnull), amount,
														  "a balance after its payout"));
			nz++;
		}
		row[0] = Int64GetDatum(id);
		row[1] = NumericGetDatum(market_micros_to_numeric(amount));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, row, rownulls);
	}

	values[0] = Int64GetDatum(m->collateral);
	market_exec(&lock_collateral, values, NULL, SPI_OK_SELECT);
	collateral = market_get_int64(0, 1, &isnull);
	if (total > collateral)
		elog(ERROR, "pool %d owes %s but its collateral holds %s", m->number,
			 market_micros_to_cstring(total), market_micros_to_cstring(collateral));

	/* drawn after the account locks: see ledger.c */
	transfer = 0;
	if (nz > 0)
	{
		transfer = market_snowflake_next();
		j_accounts[nz] = Int64GetDatum(m->collateral);
		j_amounts[nz] = Int64GetDatum(-total);
		j_after[nz] = Int64GetDatum(collateral - total);
		values[0] = Int64GetDatum(transfer);
		values[1] = Int64GetDatum(m->id);
		values[2] = CStringGetTextDatum(kind);
		values[3] = market_int8_array(j_accounts, NULL, nz + 1);
		values[4] = market_int8_array(j_amounts, NULL, nz + 1);
		values[5] = market_int8_array(j_after, NULL, nz + 1);
		market_exec(&journal, values, NULL, SPI_OK_INSERT);
		values[0] = market_int8_array(j_accounts, NULL, nz + 1);
		values[1] = market_int8_array(j_after, NULL, nz + 1);
		market_exec(&set_balances, values, NULL, SPI_OK_UPDATE);
	}

	memset(nulls, ' ', sizeof(nulls));
	values[0] = Int64GetDatum(m->id);
	values[1] = Int64GetDatum(distribution);
	values[2] = Int64GetDatum(transfer);
	nulls[2] = transfer == 0 ? 'n' : ' ';
	values[3] = Int64GetDatum(last);
	values[4] = Int64GetDatum(account);
	nulls[4] = everyone ? 'n' : ' ';
	market_exec(&mark_paid, values, nulls, SPI_OK_UPDATE);

	initStringInfo(&payload);
	appendStringInfo(&payload, "{\"number\": %d, \"kind\": \"%s\", \"distribution\": \""
					 INT64_FORMAT "\", \"positions\": " UINT64_FORMAT ", \"paid\": %s}",
					 m->number, kind, distribution, n, market_micros_to_cstring(total));
	market_event("settled", m->id, everyone ? 0 : account, payload.data);
}

/*
 * market.rollback_distribution(distribution bigint, reason text)
 *	  Admins.  Reverse every payout and fee a completed distribution paid,
 *	  in one transfer of kind rollback; the market goes back from
 *	  finalized to closed, its report cleared.  Locks: the market's freeze
 *	  lock, the distribution row, then the accounts in id order.
 */
PG_FUNCTION_INFO_V1(market_rollback_distribution);
Datum
market_rollback_distribution(PG_FUNCTION_ARGS)
{
	int64		id;
	char	   *reason;
	Datum		values[4];
	bool		isnull;
	int64		market;
	MarketRow	m;
	char	   *status;
	char	   *cause;
	uint64		n;
	uint64		i;
	int64	   *accounts;
	int64	   *deltas;
	int64		total = 0;
	int64		transfer;
	int			bound;
	StringInfoData payload;

	market_require_role(MARKET_ROLE_ADMIN, "roll back distributions");
	id = market_id_arg(fcinfo, 0, "distribution");
	reason = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (reason == NULL || reason[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a rollback needs a reason")));
	reason = text_to_cstring(market_clean_text(PG_GETARG_TEXT_PP(1), "reason"));

	SPI_connect();
	bound = market_bound_waits();
	values[0] = Int64GetDatum(id);
	if (market_exec(&distribution_market, values, NULL, SPI_OK_SELECT) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("distribution " INT64_FORMAT " does not exist", id)));
	market = market_get_int64(0, 1, &isnull);
	market_lock(market, MARKET_LOCK_FREEZE);
	m = market_fetch(market);

	values[0] = Int64GetDatum(id);
	market_exec(&lock_distribution, values, NULL, SPI_OK_SELECT);
	status = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	cause = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	if (strcmp(status, "rolled_back") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("distribution " INT64_FORMAT " is already rolled back", id),
				 errdetail("A distribution is reversed once; its market was returned to closed for a new report.")));
	if (strcmp(status, "completed") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("distribution " INT64_FORMAT " is %s", id, status),
				 errdetail("Only a completed distribution, one that finalization made payable, can be rolled back.")));
	if (strcmp(cause, "cancellation") == 0 || strcmp(m.state, "finalized") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("distribution " INT64_FORMAT " refunds cancelled market %d", id, m.number),
				 errdetail("The refunds of a cancelled market are final.")));

	values[0] = Int64GetDatum(id);
	values[1] = Int64GetDatum(market);
	values[2] = Int64GetDatum(MARKET_ACCOUNT_HOUSE);
	n = market_exec(&reversal, values, NULL, SPI_OK_SELECT);
	accounts = palloc(sizeof(int64) * (n + 1));
	deltas = palloc(sizeof(int64) * (n + 1));
	for (i = 0; i < n; i++)
	{
		accounts[i] = market_get_int64(i, 1, &isnull);
		deltas[i] = market_get_int64(i, 2, &isnull);
		total = market_add_micros(total, -deltas[i], "the total a rollback reverses");
	}
	accounts[n] = m.collateral;
	deltas[n] = total;
	transfer = pool_transfer(&m, "rollback", (int) n + 1, accounts, deltas, true,
							 psprintf("the distribution of market %d", m.number));

	values[0] = Int64GetDatum(id);
	values[1] = Int64GetDatum(market);
	market_exec(&drop_unpaid, values, NULL, SPI_OK_DELETE);
	{
		char		nulls[4] = {' ', ' ', ' ', ' '};

		values[0] = Int64GetDatum(id);
		values[1] = ObjectIdGetDatum(market_caller());
		values[2] = CStringGetTextDatum(reason);
		values[3] = Int64GetDatum(transfer);
		nulls[3] = transfer == 0 ? 'n' : ' ';
		market_exec(&mark_rolled_back, values, nulls, SPI_OK_UPDATE);
	}
	values[0] = Int64GetDatum(market);
	market_exec(&clear_report, values, NULL, SPI_OK_UPDATE);
	market_write_state(&m, "closed", "market_reopened", reason);

	initStringInfo(&payload);
	appendStringInfo(&payload, "{\"number\": %d, \"distribution\": \"" INT64_FORMAT "\","
					 " \"status\": \"rolled_back\", \"reversed\": %s, \"reason\": ",
					 m.number, id, market_micros_to_cstring(total));
	escape_json(&payload, reason);
	appendStringInfoChar(&payload, '}');
	market_event("distribution_rolled_back", market, 0, payload.data);
	market_unbound_waits(bound);
	SPI_finish();
	PG_RETURN_VOID();
}

/*
 * Invariant 4 for a pool, at commit: its collateral is its commitments
 * less what its completed distributions paid (fees and settlements).
 */
void
market_pool_check(int64 market)
{
	Datum		values[1] = {Int64GetDatum(market)};
	bool		isnull;
	int64		collateral;
	int64		committed;
	int64		paid;

	if (market_exec(&pool_balance, values, NULL, SPI_OK_SELECT) != 1)
		return;
	collateral = market_get_int64(0, 2, &isnull);
	committed = market_get_int64(0, 3, &isnull);
	paid = market_get_int64(0, 4, &isnull);
	if (collateral != committed - paid)
		ereport(ERROR,
				(errcode(ERRCODE_MARKET_INVARIANT_VIOLATED),
				 errmsg("collateral of pool %d does not match its commitments",
						DatumGetInt32(market_get_datum(0, 1, &isnull))),
				 errdetail("The collateral is %s; the commitments, %s, less what was paid, %s, leave %s.",
						   market_micros_to_cstring(collateral),
						   market_micros_to_cstring(committed),
						   market_micros_to_cstring(paid),
						   market_micros_to_cstring(committed - paid))));
}
