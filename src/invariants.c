/*
 * invariants.c
 *	  The ledger's guards: the append-only journal, the commit-time account
 *	  check, and market.check_invariants().
 *
 * Invariants (SPEC section 13) and where each is enforced:
 *	  1. each transfer's entries sum to zero, all balances sum to zero:
 *		 market.journal_check(), a statement trigger on every journal INSERT
 *		 (the sum over all accounts follows from every transfer summing to
 *		 zero and every balance being the sum of its entries);
 *	  2. each account's balance is the sum of its entries: journal_check()
 *		 checks each entry's balance_after against the previous one, and
 *		 account_check() below checks at commit that the balance column is
 *		 the last balance_after;
 *	  3. 0 <= locked <= balance: a CHECK constraint; locked equals the escrow
 *		 of the account's open orders: account_check() at commit;
 *	  4. each market's collateral equals its outstanding complete sets, and
 *		 every outcome has the same supply: holding_check() for every holding
 *		 changed and account_check() for every collateral account changed,
 *		 at commit, once per market.
 *
 * "Once per market": an auction changes thousands of holdings of one
 * market; checking the whole market for each would be quadratic.  Each
 * check remembers the command id it ran at; a later event for the same
 * market in the same transaction is skipped when its row was written
 * before that command (the check saw it), and checked again otherwise
 * (a change after SET CONSTRAINTS ... IMMEDIATE, say).
 *
 * account_check() is a deferred constraint trigger fired for every UPDATE
 * of an account row.  Like the RI triggers it looks only at the latest
 * version of the row (an event for a version that this transaction updated
 * again is skipped), so an account changed many times in one transaction
 * is checked once, against its final state.  It takes no locks: the
 * transaction that changed the row already holds the row lock.
 *
 * check_invariants() rereads everything from scratch and reports every
 * violation instead of stopping at the first; it is what finds a row
 * changed behind the triggers' back.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "catalog/namespace.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/tuplestore.h"

#include "market.h"
#include "pools.h"
#include "spi_plans.h"

/* An account's last balance_after (0 if none) and its open orders' escrow. */
static MarketStatement account_expectations = {
	"SELECT COALESCE((SELECT balance_after FROM market.journal WHERE account = $1"
	"                  ORDER BY transfer DESC LIMIT 1), 0),"
	"       (SELECT COALESCE(pg_catalog.sum(escrow), 0)::pg_catalog.int8"
	"          FROM market.orders WHERE account = $1 AND status = 'open')",
	1, {INT8OID}
};

static MarketStatement market_supply = {
	"SELECT m.number, c.balance,"
	"       pg_catalog.min(COALESCE(s.supply, 0))::pg_catalog.int8,"
	"       pg_catalog.max(COALESCE(s.supply, 0))::pg_catalog.int8"
	"  FROM market.markets m"
	"  JOIN market.accounts c ON c.id = m.collateral"
	"  JOIN market.outcomes o ON o.market = m.id"
	"  LEFT JOIN (SELECT outcome, pg_catalog.sum(quantity) AS supply"
	"               FROM market.holdings WHERE market = $1 GROUP BY outcome) s"
	"         ON s.outcome = o.id"
	" WHERE m.id = $1 AND m.state IN ('active', 'paused', 'closed', 'resolved')"
	" GROUP BY m.number, c.balance",
	1, {INT8OID}
};

/* A finalized or cancelled market: its collateral is what it still owes. */
static MarketStatement market_owed = {
	"SELECT m.number, c.balance,"
	"       (SELECT COALESCE(pg_catalog.sum(s.amount), 0)::pg_catalog.int8 FROM market.settlements s"
	"         WHERE s.market = m.id AND s.paid_at IS NULL)"
	"  FROM market.markets m JOIN market.accounts c ON c.id = m.collateral"
	" WHERE m.id = $1 AND m.state IN ('finalized', 'cancelled')",
	1, {INT8OID}
};

static MarketStatement market_of_collateral = {
	"SELECT id, kind = 'parimutuel' FROM market.markets WHERE collateral = $1",
	1, {INT8OID}
};

typedef struct CheckedMarket
{
	int64		market;			/* hash key */
	LocalTransactionId lxid;
	CommandId	cid;			/* the check saw every row written before this */
} CheckedMarket;

static HTAB *checked_markets = NULL;

/*
 * A subtransaction that rolls back may have undone changes a check saw, or
 * a check that failed and was caught: forget every check, so the events
 * that fire again at commit check again.
 */
static void
forget_checks(SubXactEvent event, SubTransactionId mySubid,
			  SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB && checked_markets != NULL)
	{
		hash_destroy(checked_markets);
		checked_markets = NULL;
	}
}

/* The command that wrote the trigger's row, or InvalidCommandId. */
static CommandId
row_command(TupleTableSlot *slot)
{
	bool		should_free;
	HeapTuple	tuple;
	CommandId	cid;

	if (slot == NULL || TTS_EMPTY(slot))
		return InvalidCommandId;
	tuple = ExecFetchSlotHeapTuple(slot, false, &should_free);
	cid = TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetRawXmin(tuple->t_data))
		? HeapTupleHeaderGetCmin(tuple->t_data) : InvalidCommandId;
	if (should_free)
		heap_freetuple(tuple);
	return cid;
}

/* Whether a check of this transaction saw the row written by "written". */
static bool
market_supply_seen(int64 market, CommandId written)
{
	CheckedMarket *entry;
	bool		found;

	if (checked_markets == NULL || written == InvalidCommandId)
		return false;
	entry = hash_search(checked_markets, &market, HASH_FIND, &found);
	return found && entry->lxid == MyProc->lxid && written < entry->cid;
}

/*
 * Invariant 4 for one market, unless a check in this transaction already
 * saw the row written by command "written".  Call inside SPI.
 */
static void
check_market_supply(int64 market, CommandId written)
{
	CheckedMarket *entry;
	bool		found;
	Datum		values[1] = {Int64GetDatum(market)};
	bool		isnull;
	int32		number;
	int64		collateral;
	int64		low;
	int64		high;
	CommandId	checked_at;

	if (checked_markets == NULL)
	{
		static bool registered = false;
		HASHCTL		ctl;

		if (!registered)
		{
			RegisterSubXactCallback(forget_checks, NULL);
			registered = true;
		}
		ctl.keysize = sizeof(int64);
		ctl.entrysize = sizeof(CheckedMarket);
		ctl.hcxt = TopMemoryContext;
		checked_markets = hash_create("market checked markets", 64, &ctl,
									  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	entry = hash_search(checked_markets, &market, HASH_FIND, &found);
	if (found && entry->lxid == MyProc->lxid &&
		written != InvalidCommandId && written < entry->cid)
		return;
	checked_at = GetCurrentCommandId(false);

	if (market_exec(&market_supply, values, NULL, SPI_OK_SELECT) != 1)
	{
		market_distribution_check(market);	/* no outcomes: maybe one of these */
		if (market_exec(&market_owed, values, NULL, SPI_OK_SELECT) == 1)
		{
			number = DatumGetInt32(market_get_datum(0, 1, &isnull));
			collateral = market_get_int64(0, 2, &isnull);
			low = market_get_int64(0, 3, &isnull);
			if (collateral != low)
				ereport(ERROR,
						(errcode(ERRCODE_MARKET_INVARIANT_VIOLATED),
						 errmsg("collateral of market %d does not match what it owes", number),
						 errdetail("The collateral is %s; unpaid settlements come to %s.",
								   market_micros_to_cstring(collateral),
								   market_micros_to_cstring(low))));
		}
		entry = hash_search(checked_markets, &market, HASH_ENTER, &found);
		entry->lxid = MyProc->lxid;
		entry->cid = checked_at;
		return;
	}
	number = DatumGetInt32(market_get_datum(0, 1, &isnull));
	collateral = market_get_int64(0, 2, &isnull);
	low = market_get_int64(0, 3, &isnull);
	high = market_get_int64(0, 4, &isnull);
	if (low != high)
		ereport(ERROR,
				(errcode(ERRCODE_MARKET_INVARIANT_VIOLATED),
				 errmsg("outcomes of market %d have different supplies", number),
				 errdetail("Supplies range from %s to %s contracts.",
						   market_micros_to_cstring(low), market_micros_to_cstring(high))));
	if (collateral != low)
		ereport(ERROR,
				(errcode(ERRCODE_MARKET_INVARIANT_VIOLATED),
				 errmsg("collateral of market %d does not match its complete sets", number),
				 errdetail("The collateral is %s; %s complete sets are outstanding.",
						   market_micros_to_cstring(collateral), market_micros_to_cstring(low))));

	/* passed: remember it, so later events of rows it saw are skipped */
	entry = hash_search(checked_markets, &market, HASH_ENTER, &found);
	entry->lxid = MyProc->lxid;
	entry->cid = checked_at;
}

/*
 * market.holding_check() trigger: AFTER INSERT OR UPDATE OR DELETE ON
 * market.holdings, deferred to commit, for each row.
 */
PG_FUNCTION_INFO_V1(market_holding_check);
Datum
market_holding_check(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleTableSlot *slot;
	bool		isnull;
	int64		market;
	CommandId	written = InvalidCommandId;
	MarketIdentity caller;

	market_require_trigger(fcinfo, "holding_check", true);

	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		slot = trigdata->tg_newslot;
	else
		slot = trigdata->tg_trigslot;
	if (!TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
	{
		if (!table_tuple_satisfies_snapshot(trigdata->tg_relation, slot, SnapshotSelf))
			return PointerGetDatum(NULL);	/* a later version has its own event */
		written = row_command(slot);
	}
	market = DatumGetInt64(slot_getattr(slot, 3, &isnull));
	/* most events of an auction's holdings: no SPI, no change of user */
	if (market_supply_seen(market, written))
		return PointerGetDatum(NULL);

	market_become_owner(trigdata->tg_relation, &caller);
	SPI_connect();
	check_market_supply(market, written);
	SPI_finish();
	market_restore_identity(&caller);
	return PointerGetDatum(NULL);
}

/*
 * market.account_check() trigger: AFTER UPDATE ON market.accounts,
 * deferred to commit, for each row.
 */
PG_FUNCTION_INFO_V1(market_account_check);
Datum
market_account_check(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleTableSlot *slot;
	Relation	rel;
	bool		isnull;
	int64		account;
	char	   *kind;
	int64		balance;
	int64		locked;
	int64		expected;
	int64		escrow;
	Datum		values[1];
	MarketIdentity caller;

	market_require_trigger(fcinfo, "account_check", true);

	rel = trigdata->tg_relation;
	slot = trigdata->tg_newslot;

	/* Only the latest version of the row counts; see the header comment. */
	if (!table_tuple_satisfies_snapshot(rel, slot, SnapshotSelf))
		return PointerGetDatum(NULL);

	account = DatumGetInt64(slot_getattr(slot, 1, &isnull));
	kind = TextDatumGetCString(slot_getattr(slot, 4, &isnull));
	balance = DatumGetInt64(slot_getattr(slot, 5, &isnull));
	locked = DatumGetInt64(slot_getattr(slot, 6, &isnull));

	/* external and house keep their balance in the journal alone */
	if (strcmp(kind, "external") == 0 || strcmp(kind, "house") == 0)
		return PointerGetDatum(NULL);

	market_become_owner(rel, &caller);
	SPI_connect();
	if (strcmp(kind, "collateral") == 0)
	{
		values[0] = Int64GetDatum(account);
		if (market_exec(&market_of_collateral, values, NULL, SPI_OK_SELECT) == 1)
		{
			if (DatumGetBool(market_get_datum(0, 2, &isnull)))
				market_pool_check(market_get_int64(0, 1, &isnull));
			else
				check_market_supply(market_get_int64(0, 1, &isnull), row_command(slot));
		}
	}
	values[0] = Int64GetDatum(account);
	market_exec(&account_expectations, values, NULL, SPI_OK_SELECT);
	expected = market_get_int64(0, 1, &isnull);
	escrow = market_get_int64(0, 2, &isnull);
	if (balance != expected)
		ereport(ERROR,
				(errcode(ERRCODE_MARKET_INVARIANT_VIOLATED),
				 errmsg("balance of account " INT64_FORMAT " does not match its journal",
						account),
				 errdetail("The balance is %s; the journal says %s.",
						   market_micros_to_cstring(balance),
						   market_micros_to_cstring(expected))));
	if (locked != escrow)
		ereport(ERROR,
				(errcode(ERRCODE_MARKET_INVARIANT_VIOLATED),
				 errmsg("locked cash of account " INT64_FORMAT " does not match the escrow of its open orders",
						account),
				 errdetail("Locked is %s; the open orders need %s.",
						   market_micros_to_cstring(locked),
						   market_micros_to_cstring(escrow))));
	SPI_finish();
	market_restore_identity(&caller);

	return PointerGetDatum(NULL);
}

/*
 * market.journal_append_only() trigger: BEFORE UPDATE OR DELETE for each
 * row, and BEFORE TRUNCATE, on market.journal.
 */
PG_FUNCTION_INFO_V1(market_journal_append_only);
Datum
market_journal_append_only(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	const char *what;

	market_require_trigger(fcinfo, "journal_append_only", false);

	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		what = "UPDATE";
	else if (TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		what = "DELETE";
	else
		what = "TRUNCATE";

	ereport(ERROR,
			(errcode(ERRCODE_MARKET_JOURNAL_APPEND_ONLY),
			 errmsg("the journal is append-only"),
			 errdetail("%s on market.journal is not allowed.", what),
			 errhint("Correct a mistake with a new transfer that reverses it.")));
	PG_RETURN_NULL();
}

/*
 * Every check, as one query returning (invariant, detail) rows.  Amounts
 * are shown in cash units.
 */
static const char *const invariants_sql_fmt =
"WITH sums AS ("
"  SELECT account, sum(amount) AS total FROM market.journal GROUP BY account"
"), escrow AS ("
"  SELECT account, sum(escrow) AS total FROM market.orders WHERE status = 'open' GROUP BY account"
"), balances AS ("
"  SELECT a.id, a.kind, a.balance, a.locked, coalesce(s.total, 0) AS journal,"
"         coalesce(e.total, 0) AS escrow,"
"         CASE WHEN a.kind IN ('external', 'house') THEN coalesce(s.total, 0)"
"              ELSE a.balance END AS effective"
"    FROM market.accounts a LEFT JOIN sums s ON s.account = a.id"
"    LEFT JOIN escrow e ON e.account = a.id"
")"
" SELECT 'transfer_balanced'::text,"
"        format('transfer %s: entries sum to %s', transfer, sum(amount) * 0.000001)"
"   FROM market.journal GROUP BY transfer HAVING sum(amount) <> 0"
" UNION ALL"
" SELECT 'ledger_balanced',"
"        format('all balances sum to %s', sum(effective) * 0.000001)"
"   FROM balances HAVING sum(effective) <> 0"
" UNION ALL"
" SELECT 'entry_account_exists',"
"        format('transfer %s has an entry for account %s, which does not exist',"
"               j.transfer, j.account)"
"   FROM market.journal j LEFT JOIN market.accounts a ON a.id = j.account"
"  WHERE a.id IS NULL"
" UNION ALL"
" SELECT 'balance_matches_journal',"
"        format('account %s: balance %s, journal %s', id, balance * 0.000001,"
"               journal * 0.000001)"
"   FROM balances WHERE kind NOT IN ('external', 'house') AND balance <> journal"
" UNION ALL"
" SELECT 'system_balance_in_journal',"
"        format('account %s (%s) has balance %s and locked %s in its row',"
"               id, kind, balance * 0.000001, locked * 0.000001)"
"   FROM balances WHERE kind IN ('external', 'house') AND (balance <> 0 OR locked <> 0)"
" UNION ALL"
" SELECT 'balance_after_chain',"
"        format('account %s, transfer %s: balance_after %s, running total %s',"
"               account, transfer, coalesce((balance_after * 0.000001)::text, 'NULL'),"
"               running * 0.000001)"
"   FROM (SELECT j.account, j.transfer, j.balance_after, a.kind,"
"                sum(j.amount) OVER (PARTITION BY j.account ORDER BY j.transfer) AS running"
"           FROM market.journal j JOIN market.accounts a ON a.id = j.account) c"
"  WHERE CASE WHEN kind IN ('external', 'house') THEN balance_after IS NOT NULL"
"             ELSE balance_after IS DISTINCT FROM running END"
" UNION ALL"
" SELECT 'locked_within_balance',"
"        format('account %s: locked %s, balance %s', id, locked * 0.000001,"
"               balance * 0.000001)"
"   FROM balances WHERE locked < 0 OR locked > balance"
" UNION ALL"
" SELECT 'locked_matches_escrow',"
"        format('account %s: locked %s, open orders need %s', id,"
"               locked * 0.000001, escrow * 0.000001)"
"   FROM balances WHERE locked <> escrow"
" UNION ALL"
" SELECT 'order_escrow',"
"        format('order %s: escrow %s, its %s of %s at %s needs %s', o.id, o.escrow * 0.000001,"
"               o.side, o.quantity * 0.000001, o.price * 0.000001, f.need * 0.000001)"
"   FROM market.orders o JOIN market.markets m ON m.id = o.market"
"   LEFT JOIN market.holdings h ON h.account = o.account AND h.outcome = o.outcome,"
"        LATERAL (SELECT CASE WHEN o.side = 'buy'"
"                        THEN ceil(o.quantity::numeric * o.price / 1000000)"
"                        ELSE ceil(greatest(0, o.quantity - coalesce(h.quantity, 0))::numeric"
"                                  * (1000000 - o.price) / 1000000) END"
"                   + ceil(@FEE_BPS@::numeric"
"                          * least(CASE WHEN o.side = 'buy' THEN o.price ELSE 1000000 - o.price END, 500000)"
"                          * o.quantity / 10000000000) AS need) f"
"  WHERE o.status = 'open' AND o.escrow <> f.need"
" UNION ALL"
" SELECT 'outcome_supplies_equal',"
"        format('market %s: outcome supplies range from %s to %s', m.number,"
"               min(coalesce(s.supply, 0)) * 0.000001, max(coalesce(s.supply, 0)) * 0.000001)"
"   FROM market.markets m JOIN market.outcomes o ON o.market = m.id"
"   LEFT JOIN (SELECT outcome, sum(quantity) AS supply FROM market.holdings GROUP BY outcome) s"
"          ON s.outcome = o.id"
"  WHERE m.state IN ('active', 'paused', 'closed', 'resolved')"
"  GROUP BY m.number HAVING min(coalesce(s.supply, 0)) <> max(coalesce(s.supply, 0))"
" UNION ALL"
" SELECT 'collateral_matches_sets',"
"        format('market %s: collateral %s, complete sets outstanding %s', m.number,"
"               c.balance * 0.000001, coalesce(s.supply, 0) * 0.000001)"
"   FROM market.markets m JOIN market.accounts c ON c.id = m.collateral"
"   LEFT JOIN LATERAL (SELECT sum(h.quantity) AS supply FROM market.holdings h"
"                       WHERE h.outcome = (SELECT o.id FROM market.outcomes o"
"                                           WHERE o.market = m.id AND o.number = 1)) s ON true"
"  WHERE m.state IN ('active', 'paused', 'closed', 'resolved') AND m.kind = 'orderbook'"
"    AND c.balance <> coalesce(s.supply, 0)"
" UNION ALL"
" SELECT 'collateral_matches_payouts',"
"        format('market %s (%s): collateral %s, unpaid settlements %s', m.number, m.state,"
"               c.balance * 0.000001, coalesce(s.owed, 0) * 0.000001)"
"   FROM market.markets m JOIN market.accounts c ON c.id = m.collateral"
"   LEFT JOIN LATERAL (SELECT sum(amount) AS owed FROM market.settlements"
"                       WHERE market = m.id AND paid_at IS NULL) s ON true"
"  WHERE m.state IN ('finalized', 'cancelled') AND c.balance <> coalesce(s.owed, 0)"
" UNION ALL"
" SELECT 'settled_once',"
"        format('market %s, account %s: settled but still holds contracts', s.market, s.account)"
"   FROM market.settlements s JOIN market.holdings h ON h.market = s.market AND h.account = s.account"
"  WHERE s.paid_at IS NOT NULL AND h.quantity > 0"
" UNION ALL"
" SELECT 'book_does_not_cross',"
"        format('market %s (auto_execute): outcome %s has a bid of %s at or above an ask of %s',"
"               m.number, o.number, b.price * 0.000001, a.price * 0.000001)"
"   FROM market.markets m JOIN market.outcomes o ON o.market = m.id,"
"        LATERAL (SELECT max(price) AS price FROM market.orders"
"                  WHERE outcome = o.id AND side = 'buy' AND status = 'open') b,"
"        LATERAL (SELECT min(price) AS price FROM market.orders"
"                  WHERE outcome = o.id AND side = 'sell' AND status = 'open') a"
"  WHERE m.auto_execute AND m.state = 'active' AND b.price >= a.price"
" UNION ALL"
" SELECT 'position_cost_basis',"
"        format('account %s in market %s: holdings cost %s, paid in %s plus realized %s',"
"               p.account, m.number, c.cost * 0.000001, -coalesce(j.net, 0) * 0.000001,"
"               p.realized * 0.000001)"
"   FROM market.positions p JOIN market.markets m ON m.id = p.market,"
"        LATERAL (SELECT coalesce(sum(h.cost), 0) AS cost FROM market.holdings h"
"                  WHERE h.account = p.account AND h.market = p.market) c,"
"        LATERAL (SELECT sum(e.amount) AS net FROM market.journal e"
"                  WHERE e.account = p.account AND e.market = p.market"
"                    AND NOT (e.kind = 'fee' AND e.execution IS NULL)) j"
"  WHERE c.cost <> -coalesce(j.net, 0) + p.realized"
"@CREATOR_FEES@"
" UNION ALL"
" SELECT 'holding_not_negative',"
"        format('account %s holds %s of outcome %s', account, quantity * 0.000001, outcome)"
"   FROM market.holdings WHERE quantity < 0";

/*
 * Creator fees (0.2 catalogs): a finalized or cancelled market has paid
 * its creator everything its creator-fee account accrued.
 */
static const char *const creator_fees_sql =
" UNION ALL"
" SELECT 'creator_fees_paid',"
"        format('market %s (%s): its creator-fee account still holds %s', m.number, m.state,"
"               c.balance * 0.000001)"
"   FROM market.markets m JOIN market.accounts c ON c.id = m.creator_fees"
"  WHERE m.state IN ('finalized', 'cancelled') AND c.balance <> 0";

/*
 * market.check_invariants() -> TABLE(invariant text, detail text)
 *	  Every violation found; no rows means healthy.  Admins and operators.
 */
PG_FUNCTION_INFO_V1(market_check_invariants);
Datum
market_check_invariants(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	uint64		i;
	int			ret;
	const char *invariants_sql;

	market_require_role(MARKET_ROLE_ADMIN | MARKET_ROLE_OPERATOR, "check invariants");
	InitMaterializedSRF(fcinfo, 0);

	/*
	 * Escrow includes the fee reserve of both rates (SPEC 6a); a 0.1
	 * catalog charges no fees, so its orders reserve none.
	 */
	{
		bool		fees = market_has_fees();
		const char *at = strstr(invariants_sql_fmt, "@FEE_BPS@");
		const char *at2 = strstr(at, "@CREATOR_FEES@");
		StringInfoData sql;

		initStringInfo(&sql);
		appendBinaryStringInfo(&sql, invariants_sql_fmt, at - invariants_sql_fmt);
		appendStringInfoString(&sql, fees ? "(m.fee_bps + m.creator_fee_bps)" : "0");
		at += strlen("@FEE_BPS@");
		appendBinaryStringInfo(&sql, at, at2 - at);
		if (fees)
			appendStringInfoString(&sql, creator_fees_sql);
		appendStringInfoString(&sql, at2 + strlen("@CREATOR_FEES@"));
		invariants_sql = sql.data;
	}
	SPI_connect();
	/* a 0.1 catalog has no pools: the same library serves it */
	ret = SPI_execute(psprintf("%s%s ORDER BY 1, 2", invariants_sql,
							   OidIsValid(get_relname_relid("commitments",
															get_namespace_oid("market", false)))
							   ? MARKET_POOL_INVARIANTS_SQL : ""),
					  true, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "check_invariants query failed: %s", SPI_result_code_string(ret));
	for (i = 0; i < SPI_processed; i++)
	{
		Datum		values[2];
		bool		nulls[2];

		values[0] = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &nulls[0]);
		values[1] = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &nulls[1]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	market_distribution_invariants(rsinfo);
	SPI_finish();

	return (Datum) 0;
}
