/*
 * ledger.c
 *	  Accounts and cash crossing the exchange's boundary:
 *	  create_account, deposit, withdraw, balance, available.
 *
 * Design.  market.accounts holds one row per account with its balance and
 * locked (escrow) in micro-units; market.journal holds the entries, one per
 * account a transfer touches, each with the balance after it.  A transfer
 * is written by one INSERT whose entries sum to zero; the statement trigger
 * market.journal_check() verifies that and the balance_after chain, and the
 * deferred trigger market.account_check() verifies at commit that every
 * changed account's balance is its last entry's balance_after.
 *
 * The system accounts "external" (id 1, the world outside) and "house"
 * (id 2, fees) are touched by transactions that must not wait for one
 * another, so they keep no running balance: their row is never updated,
 * their entries carry balance_after NULL, and their balance is the sum of
 * their entries.  This is what keeps deposits to different accounts from
 * queueing on one row; the journal has no foreign key for the same reason
 * (a key-share lock on "external" from every deposit is a hot spot too).
 *
 * Locks.  A deposit or withdrawal takes the row lock of the one account it
 * changes (the UPDATE), and only then draws the transfer id: ids of one
 * account's entries therefore increase in the order the balance changed,
 * which is the order the balance_after chain is checked in.  Calls with an
 * idempotency key lock the account first (SELECT ... FOR UPDATE) so that two
 * calls with the same key on the same account cannot both run: the second
 * waits, then finds the first one's key and returns its result.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "lib/stringinfo.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/json.h"

#include "market.h"
#include "spi_plans.h"

#define MAX_KEY_LENGTH 200

static MarketStatement lock_account = {
	"SELECT kind, owner::pg_catalog.oid FROM market.accounts WHERE id = $1 FOR UPDATE",
	1, {INT8OID}
};

static MarketStatement get_account = {
	"SELECT kind, owner::pg_catalog.oid, balance, locked FROM market.accounts WHERE id = $1",
	1, {INT8OID}
};

static MarketStatement credit_account = {
	"UPDATE market.accounts SET balance = balance + $2"
	" WHERE id = $1 AND kind = 'user' AND balance <= $3 - $2"
	" RETURNING balance",
	3, {INT8OID, INT8OID, INT8OID}
};

static MarketStatement debit_account = {
	"UPDATE market.accounts SET balance = balance - $2"
	" WHERE id = $1 AND kind = 'user' AND balance - locked >= $2"
	" RETURNING balance",
	2, {INT8OID, INT8OID}
};

static MarketStatement insert_external_transfer = {
	"INSERT INTO market.journal (transfer, account, amount, balance_after, kind)"
	" VALUES ($1, 1, -$3, NULL, $5), ($1, $2, $3, $4, $5)",
	5, {INT8OID, INT8OID, INT8OID, INT8OID, TEXTOID}
};

static MarketStatement entry_balance_after = {
	"SELECT balance_after FROM market.journal WHERE transfer = $1 AND account = $2",
	2, {INT8OID, INT8OID}
};

static MarketStatement sum_entries = {
	"SELECT pg_catalog.sum(amount)::pg_catalog.int8 FROM market.journal WHERE account = $1",
	1, {INT8OID}
};

static MarketStatement get_idempotency = {
	"SELECT request, result FROM market.idempotency WHERE account = $1 AND key = $2",
	2, {INT8OID, TEXTOID}
};

static MarketStatement put_idempotency = {
	"INSERT INTO market.idempotency (account, key, request, result) VALUES ($1, $2, $3, $4)",
	4, {INT8OID, TEXTOID, TEXTOID, INT8OID}
};

static MarketStatement insert_account = {
	"INSERT INTO market.accounts (id, label, owner, kind) VALUES ($1, $2, $3::pg_catalog.oid::pg_catalog.regrole, 'user')",
	3, {INT8OID, TEXTOID, OIDOID}
};

typedef struct AccountRow
{
	char	   *kind;
	Oid			owner;
	int64		balance;
	int64		locked;
} AccountRow;

void
market_account_not_found(int64 account)
{
	ereport(ERROR,
			(errcode(ERRCODE_NO_DATA_FOUND),
			 errmsg("account " INT64_FORMAT " does not exist", account)));
}

/* Read an account row; raises P0002 if there is none. */
static AccountRow
account_read(int64 account)
{
	Datum		values[1] = {Int64GetDatum(account)};
	AccountRow	row;
	bool		isnull;

	if (market_exec(&get_account, values, NULL, SPI_OK_SELECT) != 1)
		market_account_not_found(account);
	row.kind = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	row.owner = DatumGetObjectId(market_get_datum(0, 2, &isnull));
	if (isnull)
		row.owner = InvalidOid;
	row.balance = market_get_int64(0, 3, &isnull);
	row.locked = market_get_int64(0, 4, &isnull);
	return row;
}

static bool
kind_is_entry_only(const char *kind)
{
	return strcmp(kind, "external") == 0 || strcmp(kind, "house") == 0;
}

/* An account's cash balance, in micro-units. */
static int64
account_balance(int64 account, const AccountRow *row)
{
	Datum		values[1] = {Int64GetDatum(account)};
	bool		isnull;
	int64		sum;

	if (!kind_is_entry_only(row->kind))
		return row->balance;
	market_exec(&sum_entries, values, NULL, SPI_OK_SELECT);
	sum = market_get_int64(0, 1, &isnull);
	return isnull ? 0 : sum;
}

void
market_check_idempotency_key(text *key)
{
	int			len = VARSIZE_ANY_EXHDR(key);

	if (len == 0 || len > MAX_KEY_LENGTH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("idempotency key must be 1 to %d bytes long", MAX_KEY_LENGTH)));
}

/*
 * Look up a key already used on this account.  Returns true and sets
 * *result if the same request was made with it before; raises MK002 if the
 * key was used for a different request; returns false if it is unused.
 */
bool
market_idempotency_lookup(int64 account, text *key, const char *request, int64 *result)
{
	Datum		values[2] = {Int64GetDatum(account), PointerGetDatum(key)};
	char	   *earlier;
	bool		isnull;

	if (market_exec(&get_idempotency, values, NULL, SPI_OK_SELECT) == 0)
		return false;
	earlier = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (strcmp(earlier, request) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_MARKET_IDEMPOTENCY_REUSED),
				 errmsg("idempotency key \"%s\" was already used for a different request",
						text_to_cstring(key)),
				 errdetail("The key was used for \"%s\"; this call is \"%s\".",
						   earlier, request),
				 errhint("Use a new key for a new request.")));
	*result = market_get_int64(0, 2, &isnull);
	return true;
}

void
market_idempotency_record(int64 account, text *key, const char *request, int64 result)
{
	Datum		values[4];

	values[0] = Int64GetDatum(account);
	values[1] = PointerGetDatum(key);
	values[2] = CStringGetTextDatum(request);
	values[3] = Int64GetDatum(result);
	market_exec(&put_idempotency, values, NULL, SPI_OK_INSERT);
}

/*
 * Move cash between "external" and a trader's account: a deposit when
 * deposit is true, else a withdrawal.  Returns the account's new balance.
 */
static int64
external_transfer(int64 account, int64 amount, bool deposit, text *key)
{
	const char *kind = deposit ? "deposit" : "withdrawal";
	char	   *request = NULL;
	Datum		values[5];
	int64		balance;
	int64		transfer;
	bool		isnull;
	StringInfoData payload;

	if (key != NULL)
	{
		int64		earlier;

		market_check_idempotency_key(key);
		request = psprintf("%s %s", kind, market_micros_to_cstring(amount));
		values[0] = Int64GetDatum(account);
		if (market_exec(&lock_account, values, NULL, SPI_OK_SELECT) != 1)
			market_account_not_found(account);
		if (market_idempotency_lookup(account, key, request, &earlier))
		{
			values[0] = Int64GetDatum(earlier);
			values[1] = Int64GetDatum(account);
			if (market_exec(&entry_balance_after, values, NULL, SPI_OK_SELECT) != 1)
				elog(ERROR, "journal entry of transfer " INT64_FORMAT " is missing", earlier);
			return market_get_int64(0, 1, &isnull);
		}
	}

	values[0] = Int64GetDatum(account);
	values[1] = Int64GetDatum(amount);
	values[2] = Int64GetDatum(PG_INT64_MAX);
	if (market_exec(deposit ? &credit_account : &debit_account,
					values, NULL, SPI_OK_UPDATE_RETURNING) != 1)
	{
		AccountRow	row = account_read(account);

		if (strcmp(row.kind, "user") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("account " INT64_FORMAT " is a system account", account),
					 errdetail("Cash moves in and out of system accounts only by the exchange's own transfers.")));
		if (deposit)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("deposit would make the balance of account " INT64_FORMAT " too large",
							account)));
		ereport(ERROR,
				(errcode(ERRCODE_MARKET_INSUFFICIENT_FUNDS),
				 errmsg("insufficient funds in account " INT64_FORMAT, account),
				 errdetail("Available is %s; the withdrawal needs %s.",
						   market_micros_to_cstring(row.balance - row.locked),
						   market_micros_to_cstring(amount))));
	}
	balance = market_get_int64(0, 1, &isnull);

	/* Drawn after the row lock: see the header comment. */
	transfer = market_snowflake_next();
	values[0] = Int64GetDatum(transfer);
	values[1] = Int64GetDatum(account);
	values[2] = Int64GetDatum(deposit ? amount : -amount);
	values[3] = Int64GetDatum(balance);
	values[4] = CStringGetTextDatum(kind);
	market_exec(&insert_external_transfer, values, NULL, SPI_OK_INSERT);

	if (key != NULL)
		market_idempotency_record(account, key, request, transfer);

	initStringInfo(&payload);
	appendStringInfo(&payload,
					 "{\"amount\": %s, \"balance\": %s, \"transfer\": \"" INT64_FORMAT "\"}",
					 market_micros_to_cstring(amount),
					 market_micros_to_cstring(balance), transfer);
	market_event(kind, 0, account, payload.data);

	return balance;
}

static Datum
cash_call(FunctionCallInfo fcinfo, bool deposit)
{
	int64		account;
	int64		amount;
	text	   *key;
	int64		balance;

	market_require_role(MARKET_ROLE_OPERATOR, deposit ? "deposit" : "withdraw");
	account = market_id_arg(fcinfo, 0, "account");
	amount = market_amount_arg(fcinfo, 1, "amount");
	key = PG_ARGISNULL(2) ? NULL : PG_GETARG_TEXT_PP(2);

	SPI_connect();
	balance = external_transfer(account, amount, deposit, key);
	SPI_finish();

	PG_RETURN_NUMERIC(market_micros_to_numeric(balance));
}

/*
 * market.deposit(account bigint, amount numeric, idempotency_key text)
 *	  -> numeric, the account's new balance.  Operators only.
 */
PG_FUNCTION_INFO_V1(market_deposit);
Datum
market_deposit(PG_FUNCTION_ARGS)
{
	return cash_call(fcinfo, true);
}

/*
 * market.withdraw(account bigint, amount numeric, idempotency_key text)
 *	  -> numeric, the account's new balance.  Operators only; never more
 *	  than the account's available cash.
 */
PG_FUNCTION_INFO_V1(market_withdraw);
Datum
market_withdraw(PG_FUNCTION_ARGS)
{
	return cash_call(fcinfo, false);
}

/*
 * market.create_account(label text, owner regrole) -> bigint
 *	  Admins and operators may create accounts for any owner (or none); a
 *	  trader creates accounts for itself (owner NULL means the caller) or for
 *	  a role whose privileges it has.
 */
PG_FUNCTION_INFO_V1(market_create_account);
Datum
market_create_account(PG_FUNCTION_ARGS)
{
	Oid			owner = PG_ARGISNULL(1) ? InvalidOid : PG_GETARG_OID(1);
	text	   *label = NULL;
	int64		id;
	Datum		values[3];
	char		nulls[3] = {' ', ' ', ' '};
	StringInfoData payload;

	market_require_role(MARKET_ROLE_ADMIN | MARKET_ROLE_OPERATOR | MARKET_ROLE_TRADER,
						"create accounts");
	if (!PG_ARGISNULL(0))
		label = market_clean_text(PG_GETARG_TEXT_PP(0), "label");
	if (OidIsValid(owner) && GetUserNameFromId(owner, true) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("role with OID %u does not exist", owner),
				 errhint("Name the owner as a role name, for example 'alice'::regrole.")));
	if (!market_caller_has(MARKET_ROLE_ADMIN | MARKET_ROLE_OPERATOR))
	{
		/*
		 * A trader's account is its own: owned by itself or by a role it is
		 * a member of.  Never by one of the extension's roles, which every
		 * trader (or every operator) has: that account would be everyone's.
		 */
		if (!OidIsValid(owner))
			owner = market_caller();
		else if (!is_member_of_role(market_caller(), owner) ||
				 market_is_extension_role(owner))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied to create an account owned by role \"%s\"",
							GetUserNameFromId(owner, false)),
					 errdetail("A trader may create accounts only for itself."),
					 errhint("Omit owner, or ask a member of market_operator or market_admin to create the account.")));
	}

	SPI_connect();
	id = market_snowflake_next();
	values[0] = Int64GetDatum(id);
	values[1] = PointerGetDatum(label);
	values[2] = ObjectIdGetDatum(owner);
	if (label == NULL)
		nulls[1] = 'n';
	if (!OidIsValid(owner))
		nulls[2] = 'n';
	market_exec(&insert_account, values, nulls, SPI_OK_INSERT);

	initStringInfo(&payload);
	appendStringInfoString(&payload, "{\"label\": ");
	if (label == NULL)
		appendStringInfoString(&payload, "null");
	else
		escape_json(&payload, text_to_cstring(label));
	appendStringInfoString(&payload, ", \"owner\": ");
	if (OidIsValid(owner))
		escape_json(&payload, GetUserNameFromId(owner, false));
	else
		appendStringInfoString(&payload, "null");
	appendStringInfoChar(&payload, '}');
	market_event("account_created", 0, id, payload.data);
	SPI_finish();

	PG_RETURN_INT64(id);
}

static Datum
balance_call(FunctionCallInfo fcinfo, bool available)
{
	int64		account = market_id_arg(fcinfo, 0, "account");
	AccountRow	row;
	int64		result;

	market_require_role(MARKET_ROLE_ADMIN | MARKET_ROLE_OPERATOR | MARKET_ROLE_TRADER,
						"read balances");
	SPI_connect();
	row = account_read(account);
	market_require_account(account, row.owner, false, "read the balance");
	result = account_balance(account, &row);
	if (available)
		result -= row.locked;
	SPI_finish();

	PG_RETURN_NUMERIC(market_micros_to_numeric(result));
}

/*
 * market.balance(account bigint) -> numeric
 *	  All the cash the account owns, escrow included.
 */
PG_FUNCTION_INFO_V1(market_balance);
Datum
market_balance(PG_FUNCTION_ARGS)
{
	return balance_call(fcinfo, false);
}

/*
 * market.available(account bigint) -> numeric
 *	  balance - locked: what new orders and withdrawals may use.
 */
PG_FUNCTION_INFO_V1(market_available);
Datum
market_available(PG_FUNCTION_ARGS)
{
	return balance_call(fcinfo, true);
}
