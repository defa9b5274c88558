/*
 * fees.c
 *	  Creator fees of order-book markets (SPEC section 6a): paying what a
 *	  market's creator-fee account accrued to its creator.
 *
 * Each fill's fees are charged by the auction (auction_write.c): house fees to
 * "house", which keeps no running balance, and creator fees to the
 * market's own creator-fee account (markets.creator_fees), a row only the
 * market's auctions touch.  So neither house nor the creator's own account
 * becomes a row that serializes unrelated markets.  When the market is
 * finalized or cancelled, market_pay_creator_fees() moves the whole
 * balance to the creator in one transfer of kind "fee"; the market never
 * trades again, so the account stays at zero and the creator is paid
 * exactly once.
 *
 * Locks.  The creator-fee account is a row of its market alone, taken
 * under the market's freeze lock.  The creator's account is an ordinary
 * user account (the creator may trade in other markets, whose auctions lock
 * it with other traders in id order), so it follows the global rule of
 * locks.c: the user rows a call changes are locked in one statement in id
 * order.  finalize() changes no other user row, so the payout's own lock
 * is that statement; settle, finalizing on the way, locks the creator with
 * the holders it then pays (market_lock_settle_batch), and cancel_market
 * with the book's accounts (market_lock_book), before anything else, so
 * that the payout here finds the creator's row already locked.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "market.h"
#include "spi_plans.h"

static MarketStatement lock_balance = {
	"SELECT balance FROM market.accounts WHERE id = $1 FOR UPDATE",
	1, {INT8OID}
};

static MarketStatement set_balance = {
	"UPDATE market.accounts SET balance = $2 WHERE id = $1",
	2, {INT8OID, INT8OID}
};

static MarketStatement insert_payout = {
	"INSERT INTO market.journal (transfer, account, amount, balance_after, kind, market)"
	" VALUES ($1, $2, $3, $4, 'fee', $7), ($1, $5, -$3, $6, 'fee', $7)",
	7, {INT8OID, INT8OID, INT8OID, INT8OID, INT8OID, INT8OID, INT8OID}
};

/*
 * Pay a market's accrued creator fees to its creator.  The caller holds
 * the market's freeze lock and is finalizing or cancelling it, inside SPI.
 */
void
market_pay_creator_fees(const MarketRow *m)
{
	Datum		values[7];
	bool		isnull;
	int64		accrued;
	int64		creator_balance;
	int64		after;

	if (m->creator_fees == 0)
		return;
	values[0] = Int64GetDatum(m->creator_fees);
	if (market_exec(&lock_balance, values, NULL, SPI_OK_SELECT) != 1)
		elog(ERROR, "creator-fee account of market %d is missing", m->number);
	accrued = market_get_int64(0, 1, &isnull);
	if (accrued == 0)
		return;
	if (m->creator == 0)
		elog(ERROR, "market %d accrued creator fees but has no creator", m->number);

	values[0] = Int64GetDatum(m->creator);
	if (market_exec(&lock_balance, values, NULL, SPI_OK_SELECT) != 1)
		market_account_not_found(m->creator);
	creator_balance = market_get_int64(0, 1, &isnull);
	if (pg_add_s64_overflow(creator_balance, accrued, &after))
		market_out_of_range(psprintf("the balance of account " INT64_FORMAT, m->creator));

	values[0] = Int64GetDatum(market_snowflake_next());
	values[1] = Int64GetDatum(m->creator);
	values[2] = Int64GetDatum(accrued);
	values[3] = Int64GetDatum(after);
	values[4] = Int64GetDatum(m->creator_fees);
	values[5] = Int64GetDatum(0);
	values[6] = Int64GetDatum(m->id);
	market_exec(&insert_payout, values, NULL, SPI_OK_INSERT);

	values[0] = Int64GetDatum(m->creator);
	values[1] = Int64GetDatum(after);
	market_exec(&set_balance, values, NULL, SPI_OK_UPDATE);
	values[0] = Int64GetDatum(m->creator_fees);
	values[1] = Int64GetDatum(0);
	market_exec(&set_balance, values, NULL, SPI_OK_UPDATE);
}
