/*
 * auction_write.c
 *	  Writing an auction's result (auction.h): one statement per table.
 *
 * Executions, fills, orders, holdings, positions, last prices, accounts
 * and the journal, each written by one INSERT ... SELECT FROM unnest(...)
 * or UPDATE ... FROM unnest(...) of column buffers (bulk.h), its rows
 * sorted by primary key so each page is visited once.
 *
 * Cash: each execution is one journal transfer, one entry per account
 * whose cash it changed (what the account paid into the match, less the
 * complete sets it redeemed at 1.00) plus the collateral account; its kind
 * is "mint" if collateral grew, "redeem" if it shrank, "trade" otherwise.
 * An execution whose fills paid fees (SPEC 6a) has a second transfer, kind
 * "fee": one entry per paying account (its house and creator fees
 * netted), one for house (no running balance: house is never a hot row)
 * and one for the market's creator-fee account.  Transfer ids are drawn
 * here, after the engine took the account locks, in execution order, so
 * each account's entries follow its balance.  Cost basis counts a fill's
 * fees as part of what it paid.  Every sum is checked: an auction whose
 * amounts would leave the int64 range is refused with 22003 before
 * anything is written.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "auction.h"
#include "bulk.h"
#include "market.h"
#include "positions.h"
#include "spi_plans.h"

/*
 * Every statement reads its rows from parallel arrays.  The unnests are in
 * the SELECT list, which streams them in step; in FROM (ROWS FROM) each
 * array would first be stored whole in a tuplestore of its own, on disk
 * past work_mem.
 */
static MarketStatement insert_executions = {
	"INSERT INTO market.executions (id, market, kind, outcome, quantity, sets, bids, surplus)"
	" SELECT u.id, $1, u.kind, NULLIF(u.outcome, 0), u.quantity * 0.000001, u.sets,"
	"        u.bids * 0.000001, (u.bids - u.sets * 1000000::pg_catalog.int8) * 0.000001"
	"   FROM (SELECT pg_catalog.unnest($2::pg_catalog.int8[]) AS id,"
	"                pg_catalog.unnest($3::pg_catalog.text[]) AS kind,"
	"                pg_catalog.unnest($4::pg_catalog.int4[]) AS outcome,"
	"                pg_catalog.unnest($5::pg_catalog.int8[]) AS quantity,"
	"                pg_catalog.unnest($6::pg_catalog.int4[]) AS sets,"
	"                pg_catalog.unnest($7::pg_catalog.int8[]) AS bids) u"
	" RETURNING id, market, kind, outcome, quantity, sets, bids, surplus, created_at",
	7, {INT8OID, INT8ARRAYOID, TEXTARRAYOID, INT4ARRAYOID, INT8ARRAYOID, INT4ARRAYOID, INT8ARRAYOID}
};

static MarketStatement insert_fills = {
	"INSERT INTO market.fills (execution, order_id, account, market, outcome, side, quantity, price, paid,"
	"                          fee, creator_fee)"
	" SELECT pg_catalog.unnest($2::pg_catalog.int8[]), pg_catalog.unnest($3::pg_catalog.int8[]),"
	"        pg_catalog.unnest($4::pg_catalog.int8[]), $1, pg_catalog.unnest($5::pg_catalog.int8[]),"
	"        pg_catalog.unnest($6::pg_catalog.text[]), pg_catalog.unnest($7::pg_catalog.int8[]),"
	"        pg_catalog.unnest($8::pg_catalog.int8[]), pg_catalog.unnest($9::pg_catalog.int8[]),"
	"        pg_catalog.unnest($10::pg_catalog.int8[]), pg_catalog.unnest($11::pg_catalog.int8[])",
	11, {INT8OID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, TEXTARRAYOID,
		INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID}
};

/* The same on a 0.1 catalog, whose fills have no fee columns (and no fees). */
static MarketStatement insert_fills_01 = {
	"INSERT INTO market.fills (execution, order_id, account, market, outcome, side, quantity, price, paid)"
	" SELECT pg_catalog.unnest($2::pg_catalog.int8[]), pg_catalog.unnest($3::pg_catalog.int8[]),"
	"        pg_catalog.unnest($4::pg_catalog.int8[]), $1, pg_catalog.unnest($5::pg_catalog.int8[]),"
	"        pg_catalog.unnest($6::pg_catalog.text[]), pg_catalog.unnest($7::pg_catalog.int8[]),"
	"        pg_catalog.unnest($8::pg_catalog.int8[]), pg_catalog.unnest($9::pg_catalog.int8[])",
	9, {INT8OID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, TEXTARRAYOID,
		INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID}
};

static MarketStatement update_orders = {
	"UPDATE market.orders o SET quantity = u.quantity, escrow = u.escrow,"
	"       status = CASE WHEN u.quantity > 0 THEN 'open'"
	"                     WHEN u.trimmed > 0 THEN 'cancelled' ELSE 'filled' END,"
	"       cancel_reason = CASE WHEN u.quantity = 0 AND u.trimmed > 0 THEN 'dust' END,"
	"       closed_at = CASE WHEN u.quantity = 0 THEN pg_catalog.now() END"
	"  FROM (SELECT pg_catalog.unnest($1::pg_catalog.int8[]) AS id,"
	"               pg_catalog.unnest($2::pg_catalog.int8[]) AS quantity,"
	"               pg_catalog.unnest($3::pg_catalog.int8[]) AS escrow,"
	"               pg_catalog.unnest($4::pg_catalog.int8[]) AS trimmed) u"
	" WHERE o.id = u.id",
	4, {INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID}
};

static MarketStatement upsert_holdings = {
	"INSERT INTO market.holdings AS h (account, outcome, market, quantity, cost)"
	" SELECT pg_catalog.unnest($2::pg_catalog.int8[]), pg_catalog.unnest($3::pg_catalog.int8[]), $1,"
	"        pg_catalog.unnest($4::pg_catalog.int8[]), pg_catalog.unnest($5::pg_catalog.int8[])"
	" ON CONFLICT (account, outcome) DO UPDATE SET quantity = EXCLUDED.quantity, cost = EXCLUDED.cost",
	5, {INT8OID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID}
};

static MarketStatement upsert_positions = {
	"INSERT INTO market.positions AS p (account, market, realized)"
	" SELECT pg_catalog.unnest($2::pg_catalog.int8[]), $1, pg_catalog.unnest($3::pg_catalog.int8[])"
	" ON CONFLICT (account, market) DO UPDATE"
	"   SET realized = p.realized + EXCLUDED.realized, updated_at = pg_catalog.now()",
	3, {INT8OID, INT8ARRAYOID, INT8ARRAYOID}
};

static MarketStatement set_last_prices = {
	"UPDATE market.outcomes o SET last_price = u.price"
	"  FROM (SELECT pg_catalog.unnest($1::pg_catalog.int8[]) AS id,"
	"               pg_catalog.unnest($2::pg_catalog.int8[]) AS price) u"
	" WHERE o.id = u.id",
	2, {INT8ARRAYOID, INT8ARRAYOID}
};

static MarketStatement update_accounts = {
	"UPDATE market.accounts a SET balance = u.balance, locked = u.locked"
	"  FROM (SELECT pg_catalog.unnest($1::pg_catalog.int8[]) AS id,"
	"               pg_catalog.unnest($2::pg_catalog.int8[]) AS balance,"
	"               pg_catalog.unnest($3::pg_catalog.int8[]) AS locked) u"
	" WHERE a.id = u.id",
	3, {INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID}
};

/* house (account 2) keeps no running balance: its entries carry NULL */
static MarketStatement insert_journal = {
	"INSERT INTO market.journal (transfer, account, amount, balance_after, kind, market, execution)"
	" SELECT u.transfer, u.account, u.amount,"
	"        CASE WHEN u.account = 2 THEN NULL ELSE u.balance_after END, u.kind, $1, u.execution"
	"   FROM (SELECT pg_catalog.unnest($2::pg_catalog.int8[]) AS transfer,"
	"                pg_catalog.unnest($3::pg_catalog.int8[]) AS account,"
	"                pg_catalog.unnest($4::pg_catalog.int8[]) AS amount,"
	"                pg_catalog.unnest($5::pg_catalog.int8[]) AS balance_after,"
	"                pg_catalog.unnest($6::pg_catalog.text[]) AS kind,"
	"                pg_catalog.unnest($7::pg_catalog.int8[]) AS execution) u",
	7, {INT8OID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, INT8ARRAYOID, TEXTARRAYOID, INT8ARRAYOID}
};

static const char *const kind_names[] = {"direct", "synthetic", "merge"};

/*
 * Checked sums of write_results: an auction whose amounts would leave the
 * int64 range is refused with 22003 before anything is written.
 */
static int64
checked_add(int64 a, int64 b, const char *what, int64 account)
{
	int64		sum;

	if (unlikely(pg_add_s64_overflow(a, b, &sum)))
		market_out_of_range(account != 0
							? psprintf("%s of account " INT64_FORMAT, what, account)
							: what);
	return sum;
}

/* Write the auction's result; the executions' rows go to out (if not NULL). */
void
auction_write(Auction *au, Tuplestorestate *out, TupleDesc outdesc,
			  int64 *collateral_balance, int64 creator_fees_balance)
{
	MatchBook  *b = &au->book;
	Column		x_id = {0}, x_kind = {0}, x_outcome = {0}, x_qty = {0}, x_sets = {0}, x_bids = {0};
	Column		f_exec = {0}, f_order = {0}, f_account = {0}, f_outcome = {0}, f_side = {0},
				f_qty = {0}, f_price = {0}, f_paid = {0}, f_fee = {0}, f_cfee = {0};
	Column		o_id = {0}, o_qty = {0}, o_escrow = {0}, o_trim = {0};
	Column		h_account = {0}, h_outcome = {0}, h_qty = {0};
	Column		a_id = {0}, a_balance = {0}, a_locked = {0};
	Column		j_transfer = {0}, j_account = {0}, j_amount = {0}, j_after = {0}, j_kind = {0},
				j_exec = {0};
	int64	   *exec_ids;
	int64	   *net;			/* per account, for the execution being written */
	PositionLot *lots;			/* cost basis replayed, [account * N + outcome] */
	int64	   *realized;		/* per account */
	int64	   *last_price;		/* per outcome, -1 if no fill */
	Column		p_account = {0}, p_realized = {0}, l_id = {0}, l_price = {0}, h_cost = {0};
	int			N = au->n_outcomes;
	int64		collateral = *collateral_balance;
	int64		creator_fees = creator_fees_balance;
	int64	   *fee_net;		/* per account: the fees it paid in this execution */
	bool		with_fees = market_has_fees();
	int			i,
				k;
	Datum		values[11];
	uint64		n;

	exec_ids = palloc(sizeof(int64) * (b->n_executions + 1));
	net = palloc_extended(sizeof(int64) * (b->n_accounts + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	fee_net = palloc_extended(sizeof(int64) * (b->n_accounts + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	realized = palloc_extended(sizeof(int64) * (b->n_accounts + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	last_price = palloc(sizeof(int64) * N);
	for (i = 0; i < N; i++)
		last_price[i] = -1;
	lots = palloc_extended(sizeof(PositionLot) * ((size_t) b->n_accounts * N + 1), MCXT_ALLOC_HUGE);
	for (i = 0; i < b->n_accounts * N; i++)
	{
		lots[i].quantity = au->input.holdings[i];
		lots[i].cost = au->costs[i];
	}

	for (i = 0; i < b->n_executions; i++)
	{
		MatchExecution *x = &b->executions[i];
		int64		transfer;
		int64		minted;
		int64		collateral_net;
		int64		house_fees = 0;
		int64		exec_creator_fees = 0;
		const char *jkind;

		if (pg_mul_s64_overflow((int64) x->sets, x->quantity, &minted))
			market_out_of_range("the complete sets minted by an auction");
		collateral_net = minted;
		exec_ids[i] = market_snowflake_next();
		column_push(&x_id, Int64GetDatum(exec_ids[i]));
		column_push(&x_kind, CStringGetTextDatum(kind_names[x->kind]));
		column_push(&x_outcome, Int32GetDatum(x->outcome >= 0 ? x->outcome + 1 : 0));
		column_push(&x_qty, Int64GetDatum(x->quantity));
		column_push(&x_sets, Int32GetDatum(x->sets));
		column_push(&x_bids, Int64GetDatum(x->bids));

		/* fills, and each account's net cash in this execution */
		for (k = x->first_fill; k < x->first_fill + x->n_fills; k++)
		{
			MatchFill  *f = &b->fills[k];
			MatchOrder *o = &b->orders[f->order];
			int64		per_unit = (int64) (((__int128) f->paid * 2 * MICROS_PER_UNIT + f->quantity) /
											(2 * (__int128) f->quantity));

			column_push(&f_exec, Int64GetDatum(exec_ids[i]));
			column_push(&f_order, Int64GetDatum(o->id));
			column_push(&f_account, Int64GetDatum(b->accounts[o->account].id));
			column_push(&f_outcome, Int64GetDatum(au->outcome_ids[o->outcome]));
			column_push(&f_side, CStringGetTextDatum(o->is_buy ? "buy" : "sell"));
			column_push(&f_qty, Int64GetDatum(f->quantity));
			column_push(&f_price, Int64GetDatum(o->is_buy ? per_unit : MICROS_PER_UNIT - per_unit));
			column_push(&f_paid, Int64GetDatum(f->paid));
			column_push(&f_fee, Int64GetDatum(f->fee));
			column_push(&f_cfee, Int64GetDatum(f->creator_fee));
			net[o->account] = checked_add(net[o->account], -f->paid, "the cash paid",
										  b->accounts[o->account].id);
			fee_net[o->account] = checked_add(fee_net[o->account], -(f->fee + f->creator_fee),
											  "the fees paid", b->accounts[o->account].id);
			house_fees = checked_add(house_fees, f->fee, "the house fees", 0);
			exec_creator_fees = checked_add(exec_creator_fees, f->creator_fee, "the creator fees", 0);
			/* cost basis: what the fill paid into the match and its fees */
			if (!position_fill(&lots[(size_t) o->account * N], N, o->outcome, o->is_buy,
							   f->quantity, f->paid + f->fee + f->creator_fee))
				market_out_of_range(psprintf("the holdings or cost basis of account " INT64_FORMAT,
											 b->accounts[o->account].id));
			last_price[o->outcome] = o->is_buy ? per_unit : MICROS_PER_UNIT - per_unit;
		}
		for (k = x->first_redemption; k < x->first_redemption + x->n_redemptions; k++)
		{
			MatchRedemption *r = &b->redemptions[k];
			int64		id = b->accounts[r->account].id;
			int64		released;

			net[r->account] = checked_add(net[r->account], r->sets, "the cash redeemed", id);
			collateral_net = checked_add(collateral_net, -r->sets, "the collateral's net cash", 0);
			if (!position_redeem(&lots[(size_t) r->account * N], N, r->sets, &released))
				market_out_of_range(psprintf("the cost released by account " INT64_FORMAT, id));
			realized[r->account] = checked_add(realized[r->account], r->sets - released,
											   "the realized P&L", id);
		}

		/* one transfer: the parties and the collateral */
		transfer = market_snowflake_next();
		jkind = collateral_net > 0 ? "mint" : collateral_net < 0 ? "redeem" : "trade";
		for (k = x->first_fill; k < x->first_fill + x->n_fills; k++)
		{
			int			a = b->orders[b->fills[k].order].account;

			if (net[a] == 0)
				continue;
			au->balance[a] = checked_add(au->balance[a], net[a], "the balance",
										 b->accounts[a].id);
			column_push(&j_transfer, Int64GetDatum(transfer));
			column_push(&j_account, Int64GetDatum(b->accounts[a].id));
			column_push(&j_amount, Int64GetDatum(net[a]));
			column_push(&j_after, Int64GetDatum(au->balance[a]));
			column_push(&j_kind, CStringGetTextDatum(jkind));
			column_push(&j_exec, Int64GetDatum(exec_ids[i]));
			net[a] = 0;
		}
		if (collateral_net != 0)
		{
			collateral = checked_add(collateral, collateral_net, "the balance",
									 au->collateral);
			column_push(&j_transfer, Int64GetDatum(transfer));
			column_push(&j_account, Int64GetDatum(au->collateral));
			column_push(&j_amount, Int64GetDatum(collateral_net));
			column_push(&j_after, Int64GetDatum(collateral));
			column_push(&j_kind, CStringGetTextDatum(jkind));
			column_push(&j_exec, Int64GetDatum(exec_ids[i]));
		}

		/* the fee transfer: the payers, house and the creator-fee account */
		if (house_fees == 0 && exec_creator_fees == 0)
			continue;
		if (exec_creator_fees > 0 && au->creator_fees == 0)
			elog(ERROR, "market %d charges a creator fee but has no creator-fee account", au->number);
		transfer = market_snowflake_next();
		for (k = x->first_fill; k < x->first_fill + x->n_fills; k++)
		{
			int			a = b->orders[b->fills[k].order].account;

			if (fee_net[a] == 0)
				continue;
			au->balance[a] = checked_add(au->balance[a], fee_net[a], "the balance",
										 b->accounts[a].id);
			column_push(&j_transfer, Int64GetDatum(transfer));
			column_push(&j_account, Int64GetDatum(b->accounts[a].id));
			column_push(&j_amount, Int64GetDatum(fee_net[a]));
			column_push(&j_after, Int64GetDatum(au->balance[a]));
			column_push(&j_kind, CStringGetTextDatum("fee"));
			column_push(&j_exec, Int64GetDatum(exec_ids[i]));
			fee_net[a] = 0;
		}
		if (house_fees > 0)
		{
			column_push(&j_transfer, Int64GetDatum(transfer));
			column_push(&j_account, Int64GetDatum(MARKET_ACCOUNT_HOUSE));
			column_push(&j_amount, Int64GetDatum(house_fees));
			column_push(&j_after, Int64GetDatum(0));	/* written as NULL */
			column_push(&j_kind, CStringGetTextDatum("fee"));
			column_push(&j_exec, Int64GetDatum(exec_ids[i]));
		}
		if (exec_creator_fees > 0)
		{
			creator_fees = checked_add(creator_fees, exec_creator_fees, "the balance",
									   au->creator_fees);
			column_push(&j_transfer, Int64GetDatum(transfer));
			column_push(&j_account, Int64GetDatum(au->creator_fees));
			column_push(&j_amount, Int64GetDatum(exec_creator_fees));
			column_push(&j_after, Int64GetDatum(creator_fees));
			column_push(&j_kind, CStringGetTextDatum("fee"));
			column_push(&j_exec, Int64GetDatum(exec_ids[i]));
		}
	}

	/* orders, holdings and accounts that changed */
	for (i = 0; i < b->n_orders; i++)
	{
		MatchOrder *o = &b->orders[i];
		MatchOrder *was = &au->input.orders[i];

		if (o->quantity == was->quantity && o->escrow == was->escrow)
			continue;
		column_push(&o_id, Int64GetDatum(o->id));
		column_push(&o_qty, Int64GetDatum(o->quantity));
		column_push(&o_escrow, Int64GetDatum(o->escrow));
		column_push(&o_trim, Int64GetDatum(o->trimmed));
	}
	for (i = 0; i < b->n_accounts; i++)
	{
		MatchOrder *o = &b->orders[b->accounts[i].order];
		MatchOrder *was = &au->input.orders[b->accounts[i].order];
		int			j;

		for (j = 0; j < au->n_outcomes; j++)
		{
			size_t		h = (size_t) i * au->n_outcomes + j;

			/* the replay must land where the core did */
			if (lots[h].quantity != b->holdings[h])
				elog(ERROR, "cost basis replay of account " INT64_FORMAT " disagrees with its holdings",
					 b->accounts[i].id);
			if (b->holdings[h] == au->input.holdings[h] && lots[h].cost == au->costs[h])
				continue;
			column_push(&h_account, Int64GetDatum(b->accounts[i].id));
			column_push(&h_outcome, Int64GetDatum(au->outcome_ids[j]));
			column_push(&h_qty, Int64GetDatum(b->holdings[h]));
			column_push(&h_cost, Int64GetDatum(lots[h].cost));
		}
		if (auction_participant(b, i))
		{
			column_push(&p_account, Int64GetDatum(b->accounts[i].id));
			column_push(&p_realized, Int64GetDatum(realized[i]));
		}
		if (b->accounts[i].cash_delta == 0 && o->escrow == was->escrow)
			continue;
		if (!au->is_locked[i])
			elog(ERROR, "account " INT64_FORMAT " changed by the auction was not locked",
				 b->accounts[i].id);
		column_push(&a_id, Int64GetDatum(b->accounts[i].id));
		column_push(&a_balance, Int64GetDatum(au->balance[i]));
		column_push(&a_locked, Int64GetDatum(checked_add(au->locked[i], o->escrow - was->escrow,
													  "the locked cash", b->accounts[i].id)));
	}
	column_push(&a_id, Int64GetDatum(au->collateral));
	column_push(&a_balance, Int64GetDatum(collateral));
	column_push(&a_locked, Int64GetDatum(0));
	*collateral_balance = collateral;
	if (creator_fees != creator_fees_balance)
	{
		column_push(&a_id, Int64GetDatum(au->creator_fees));
		column_push(&a_balance, Int64GetDatum(creator_fees));
		column_push(&a_locked, Int64GetDatum(0));
	}

	{
		Column	   *o_rest[] = {&o_qty, &o_escrow, &o_trim};
		Column	   *h_rest[] = {&h_qty, &h_cost};
		Column	   *a_rest[] = {&a_balance, &a_locked};

		columns_sort(&o_id, NULL, o_rest, 3);
		columns_sort(&h_account, &h_outcome, h_rest, 2);
		columns_sort(&a_id, NULL, a_rest, 2);
	}

	values[0] = Int64GetDatum(au->market);
	values[1] = column_array(&x_id, INT8OID);
	values[2] = column_array(&x_kind, TEXTOID);
	values[3] = column_array(&x_outcome, INT4OID);
	values[4] = column_array(&x_qty, INT8OID);
	values[5] = column_array(&x_sets, INT4OID);
	values[6] = column_array(&x_bids, INT8OID);
	{
		char		nulls[7] = {' ', ' ', ' ', ' ', ' ', ' ', ' '};

		n = market_exec(&insert_executions, values, nulls, SPI_OK_INSERT_RETURNING);
	}
	if (out && outdesc->natts != SPI_tuptable->tupdesc->natts)
		elog(ERROR, "market.executions does not have the columns execute() returns");
	for (i = 0; out && i < (int) n; i++)
	{
		Datum		row[9];
		bool		rownulls[9];

		if (SPI_tuptable->tupdesc->natts != 9)
			elog(ERROR, "unexpected columns returned by the executions insert");
		heap_deform_tuple(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, row, rownulls);
		tuplestore_putvalues(out, outdesc, row, rownulls);
	}

	values[1] = column_array(&f_exec, INT8OID);
	values[2] = column_array(&f_order, INT8OID);
	values[3] = column_array(&f_account, INT8OID);
	values[4] = column_array(&f_outcome, INT8OID);
	values[5] = column_array(&f_side, TEXTOID);
	values[6] = column_array(&f_qty, INT8OID);
	values[7] = column_array(&f_price, INT8OID);
	values[8] = column_array(&f_paid, INT8OID);
	values[9] = column_array(&f_fee, INT8OID);
	values[10] = column_array(&f_cfee, INT8OID);
	market_exec(with_fees ? &insert_fills : &insert_fills_01, values, NULL, SPI_OK_INSERT);

	values[0] = column_array(&o_id, INT8OID);
	values[1] = column_array(&o_qty, INT8OID);
	values[2] = column_array(&o_escrow, INT8OID);
	values[3] = column_array(&o_trim, INT8OID);
	market_exec(&update_orders, values, NULL, SPI_OK_UPDATE);

	if (h_account.n > 0)
	{
		values[0] = Int64GetDatum(au->market);
		values[1] = column_array(&h_account, INT8OID);
		values[2] = column_array(&h_outcome, INT8OID);
		values[3] = column_array(&h_qty, INT8OID);
		values[4] = column_array(&h_cost, INT8OID);
		market_exec(&upsert_holdings, values, NULL, SPI_OK_INSERT);
	}

	if (p_account.n > 0)
	{
		values[0] = Int64GetDatum(au->market);
		values[1] = column_array(&p_account, INT8OID);
		values[2] = column_array(&p_realized, INT8OID);
		market_exec(&upsert_positions, values, NULL, SPI_OK_INSERT);
	}

	for (i = 0; i < N; i++)
		if (last_price[i] >= 0)
		{
			column_push(&l_id, Int64GetDatum(au->outcome_ids[i]));
			column_push(&l_price, Int64GetDatum(last_price[i]));
		}
	values[0] = column_array(&l_id, INT8OID);
	values[1] = column_array(&l_price, INT8OID);
	market_exec(&set_last_prices, values, NULL, SPI_OK_UPDATE);

	values[0] = column_array(&a_id, INT8OID);
	values[1] = column_array(&a_balance, INT8OID);
	values[2] = column_array(&a_locked, INT8OID);
	market_exec(&update_accounts, values, NULL, SPI_OK_UPDATE);

	if (j_transfer.n > 0)
	{
		values[0] = Int64GetDatum(au->market);
		values[1] = column_array(&j_transfer, INT8OID);
		values[2] = column_array(&j_account, INT8OID);
		values[3] = column_array(&j_amount, INT8OID);
		values[4] = column_array(&j_after, INT8OID);
		values[5] = column_array(&j_kind, TEXTOID);
		values[6] = column_array(&j_exec, INT8OID);
		market_exec(&insert_journal, values, NULL, SPI_OK_INSERT);
	}
}
