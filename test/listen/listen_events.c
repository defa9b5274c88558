/*
 * listen_events.c
 *	  What LISTEN market_events delivers, heard by a role that may see
 *	  nothing private.
 *
 *	  A login role with no market role at all ("listen_spy") LISTENs over
 *	  TCP with its own password while other login roles, each connected as
 *	  itself, do a market's whole life through COMMIT: an admin opens the
 *	  market, an operator opens accounts, deposits and withdraws, traders
 *	  place, replace and cancel orders, the operator runs an auction, the
 *	  admin closes the market (cancelling the book), the oracle resolves,
 *	  the admin finalizes and the operator settles.  Then:
 *
 *	  1. every event arrives, once, in commit order, and is a row of
 *		 market.events with the same name and market;
 *	  2. every notification has id, name and market, and none holds an
 *		 account id, an account's cash, escrow or balance, or a member
 *		 named like one (account, amount, balance, escrow, released, paid,
 *		 transfer, owner, label);
 *	  3. the public figures are there: an order's side, price and
 *		 quantity, a replaced order's predecessor, a cancellation's reason,
 *		 an auction's counts, a state change's states, the payout vector;
 *	  4. the listener cannot read market.events (42501);
 *	  5. a trader follows its own private events as the README says:
 *		 LISTEN, then read the rows after the last id seen, as itself;
 *		 row-level security shows its own account's rows only;
 *	  6. a rolled-back deposit sends nothing; with market.notify off the
 *		 row is written but nothing is sent.
 *
 * Connection parameters come from the environment (PGHOST, PGPORT, and the
 * superuser's PGUSER/PGPASSWORD for setup); the login roles connect with
 * their own passwords.  The database is argv[1].  Prints TAP; exits 1 on
 * any failure.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include "libpq-fe.h"

#define MAX_EVENTS 64

static int	tests = 0;
static int	failures = 0;

static void
check(int ok, const char *what)
{
	tests++;
	if (!ok)
		failures++;
	printf("%sok %d - %s\n", ok ? "" : "not ", tests, what);
	fflush(stdout);
}

/* Connect as user (NULL: the environment's) to db. */
static PGconn *
connect_as(const char *db, const char *user)
{
	char		conninfo[256];
	PGconn	   *conn;

	if (user == NULL)
		snprintf(conninfo, sizeof(conninfo), "dbname=%s", db);
	else
		snprintf(conninfo, sizeof(conninfo), "dbname=%s user=%s password=pw-%s",
				 db, user, user);
	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK)
	{
		fprintf(stderr, "connection as %s failed: %s", user ? user : "superuser",
				PQerrorMessage(conn));
		exit(1);
	}
	return conn;
}

static char *
run(PGconn *conn, const char *sql)
{
	PGresult   *res = PQexec(conn, sql);
	static char value[256];

	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
		PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		fprintf(stderr, "%s failed: %s", sql, PQerrorMessage(conn));
		exit(1);
	}
	value[0] = '\0';
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0)
		snprintf(value, sizeof(value), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return value;
}

/* Run a formatted statement; returns the first value, copied to out. */
static void
runf(PGconn *conn, char *out, size_t outlen, const char *fmt, const char *a,
	 const char *b)
{
	char		sql[1024];
	char	   *v;

	snprintf(sql, sizeof(sql), fmt, a, b);
	v = run(conn, sql);
	if (out)
		snprintf(out, outlen, "%s", v);
}

/* Wait up to timeout_ms for the next notification; NULL if none came. */
static PGnotify *
next_notification(PGconn *conn, int timeout_ms)
{
	PGnotify   *n;
	fd_set		fds;
	struct timeval tv;

	for (;;)
	{
		PQconsumeInput(conn);
		if ((n = PQnotifies(conn)) != NULL)
			return n;
		FD_ZERO(&fds);
		FD_SET(PQsocket(conn), &fds);
		tv.tv_sec = timeout_ms / 1000;
		tv.tv_usec = (timeout_ms % 1000) * 1000;
		if (select(PQsocket(conn) + 1, &fds, NULL, NULL, &tv) <= 0)
			return NULL;
	}
}

/*
 * The value of "key" in a JSON object text, as a string (quotes off); the
 * keys this test asks for occur once in a notification.  Arrays are
 * returned whole.  Empty when the key is missing.
 */
static void
json_field(const char *json, const char *key, char *out, size_t outlen)
{
	char		pattern[64];
	const char *p;
	size_t		i = 0;

	snprintf(pattern, sizeof(pattern), "\"%s\": ", key);
	out[0] = '\0';
	if ((p = strstr(json, pattern)) == NULL)
		return;
	p += strlen(pattern);
	if (*p == '[')
	{
		while (*p && *p != ']' && i + 2 < outlen)
			out[i++] = *p++;
		out[i++] = ']';
	}
	else
	{
		if (*p == '"')
			p++;
		while (*p && *p != '"' && *p != ',' && *p != '}' && i + 1 < outlen)
			out[i++] = *p++;
	}
	out[i] = '\0';
}

static int
has_key(const char *json, const char *key)
{
	char		pattern[64];

	snprintf(pattern, sizeof(pattern), "\"%s\": ", key);
	return strstr(json, pattern) != NULL;
}

/* The first notification named name, from the given index; NULL if none. */
static const char *
find_event(char **got, int n, const char *name, int from)
{
	char		field[64];
	int			i;

	for (i = from; i < n; i++)
	{
		json_field(got[i], "name", field, sizeof(field));
		if (strcmp(field, name) == 0)
			return got[i];
	}
	return NULL;
}

static int
field_is(const char *json, const char *key, const char *want)
{
	char		field[256];

	if (json == NULL)
		return 0;
	json_field(json, key, field, sizeof(field));
	return strcmp(field, want) == 0;
}

static int
field_number_is(const char *json, const char *key, double want)
{
	char		field[256];

	if (json == NULL)
		return 0;
	json_field(json, key, field, sizeof(field));
	return field[0] != '\0' && atof(field) == want;
}

int
main(int argc, char **argv)
{
	const char *db = argc > 1 ? argv[1] : "postgres";
	static const char *const expected[] = {
		"account_created", "market_created", "account_created", "account_created",
		"deposit", "deposit", "withdrawal",
		"order_placed", "order_replaced", "order_placed", "auction",
		"order_placed", "order_cancelled", "order_placed",
		"order_cancelled", "market_closed", "market_resolved", "market_finalized",
		"settled"
	};
	const int	n_expected = sizeof(expected) / sizeof(expected[0]);

	/*
	 * Substrings no public notification may hold: filled in below with the
	 * account ids; then amounts of cash, escrow and balances of the
	 * accounts; then member names of private detail.
	 */
	const char *secrets[32];
	int			n_secrets = 0;
	static const char *const private_keys[] = {
		"account", "amount", "balance", "escrow", "released", "paid", "transfer",
		"owner", "label", "time_in_force", "description"
	};

	PGconn	   *su = connect_as(db, NULL);
	PGconn	   *spy;
	PGconn	   *admin;
	PGconn	   *op;
	PGconn	   *oracle;
	PGconn	   *alice;
	PGconn	   *bob;
	PGconn	   *alice_ears;
	char		oracle_acct[32];
	char		alice_acct[32];
	char		bob_acct[32];
	char		market[32];
	char		yes[32];
	char		no[32];
	char		first_order[32];
	char		value[256];
	char		msg[512];
	char	   *got[MAX_EVENTS];
	int			n_got = 0;
	int			alice_heard = 0;
	PGnotify   *n;
	PGresult   *res;
	int			i;
	int			ok;

	/* Setup, the only superuser work: the login roles. */
	run(su, "DO $$ DECLARE r text; BEGIN"
		" FOREACH r IN ARRAY ARRAY['listen_spy', 'listen_admin', 'listen_op',"
		"   'listen_oracle', 'listen_alice', 'listen_bob'] LOOP"
		"   IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN"
		"     EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', r, 'pw-' || r);"
		"   END IF;"
		" END LOOP; END $$");
	run(su, "GRANT market_admin TO listen_admin");
	run(su, "GRANT market_operator TO listen_op");
	run(su, "GRANT market_oracle TO listen_oracle");
	run(su, "GRANT market_trader TO listen_alice, listen_bob");
	check(strcmp(run(su, "SELECT count(*) FROM pg_auth_members m"
					 " JOIN pg_roles r ON r.oid = m.member"
					 " WHERE r.rolname = 'listen_spy'"), "0") == 0,
		  "the listener is a login role with no role at all");

	spy = connect_as(db, "listen_spy");
	admin = connect_as(db, "listen_admin");
	op = connect_as(db, "listen_op");
	oracle = connect_as(db, "listen_oracle");
	alice = connect_as(db, "listen_alice");
	bob = connect_as(db, "listen_bob");
	alice_ears = connect_as(db, "listen_alice");
	check(strcmp(run(spy, "SELECT current_user || ' ' || inet_server_addr() IS NOT NULL"),
				 "t") == 0,
		  "the listener connected as itself over TCP with its password");
	run(spy, "LISTEN market_events");
	run(alice_ears, "LISTEN market_events");

	/* A market's life, each step committed by the role that does it. */
	runf(admin, oracle_acct, sizeof(oracle_acct),
		 "SELECT market.create_account('oracle', 'listen_oracle')", NULL, NULL);
	runf(admin, market, sizeof(market),
		 "SELECT market.create_market('Will the listener learn anything?',"
		 " ARRAY['YES', 'NO'], oracle => %s)", oracle_acct, NULL);
	runf(admin, yes, sizeof(yes), "SELECT market.outcome_id(%s, 1)", market, NULL);
	runf(admin, no, sizeof(no), "SELECT market.outcome_id(%s, 2)", market, NULL);
	runf(op, alice_acct, sizeof(alice_acct),
		 "SELECT market.create_account('alice', 'listen_alice')", NULL, NULL);
	runf(op, bob_acct, sizeof(bob_acct),
		 "SELECT market.create_account('bob', 'listen_bob')", NULL, NULL);
	runf(op, NULL, 0, "SELECT market.deposit(%s, 1234.567891)", alice_acct, NULL);
	runf(op, NULL, 0, "SELECT market.deposit(%s, 876.543219)", bob_acct, NULL);
	runf(op, value, sizeof(value), "SELECT market.withdraw(%s, 7.654321)", alice_acct, NULL);
	check(strcmp(value, "1226.913570") == 0, "the operator's withdrawal committed");
	runf(alice, first_order, sizeof(first_order),
		 "SELECT market.place_order(%s, %s, 'buy', 10, 0.61)", alice_acct, yes);
	runf(alice, NULL, 0, "SELECT market.replace_order(%s, %s, 'buy', 12, 0.63)",
		 alice_acct, yes);
	runf(bob, NULL, 0, "SELECT market.place_order(%s, %s, 'buy', 12, 0.41)", bob_acct, no);
	runf(op, value, sizeof(value), "SELECT count(*) FROM market.execute(%s)", market, NULL);
	check(strcmp(value, "1") == 0, "the operator's auction made one execution");
	runf(bob, NULL, 0, "SELECT market.place_order(%s, %s, 'buy', 5, 0.20)", bob_acct, no);
	runf(bob, NULL, 0, "SELECT market.cancel_order(%s, %s)", bob_acct, market);
	runf(bob, NULL, 0, "SELECT market.place_order(%s, %s, 'buy', 5, 0.21)", bob_acct, no);
	runf(admin, NULL, 0, "SELECT market.close_market(%s)", market, NULL);
	runf(oracle, NULL, 0, "SELECT market.resolve(%s, %s)", market, yes);
	runf(admin, NULL, 0, "SELECT market.finalize(%s)", market, NULL);
	runf(op, value, sizeof(value), "SELECT count(*) FROM market.settle(%s)", market, NULL);
	check(strcmp(value, "2") == 0, "the operator settled both holders");

	/* Everything the listener heard. */
	while (n_got < MAX_EVENTS && (n = next_notification(spy, 2000)) != NULL)
	{
		got[n_got++] = strdup(n->extra);
		PQfreemem(n);
	}
	snprintf(msg, sizeof(msg), "the listener heard %d events (got %d)", n_expected, n_got);
	check(n_got == n_expected, msg);
	ok = n_got == n_expected;
	for (i = 0; ok && i < n_got; i++)
		if (!field_is(got[i], "name", expected[i]))
		{
			fprintf(stderr, "# event %d: expected %s: %s\n", i + 1, expected[i], got[i]);
			ok = 0;
		}
	check(ok, "they arrive in commit order, each with its name");
	runf(su, value, sizeof(value), "SELECT count(*) FROM market.events", NULL, NULL);
	snprintf(msg, sizeof(msg), "one notification per event row (%s rows)", value);
	check(atoi(value) == n_got, msg);

	/* 1 and 2: the envelope, and nothing private. */
	secrets[n_secrets++] = oracle_acct;
	secrets[n_secrets++] = alice_acct;
	secrets[n_secrets++] = bob_acct;
	secrets[n_secrets++] = "1234.567891";	/* deposits */
	secrets[n_secrets++] = "876.543219";
	secrets[n_secrets++] = "7.654321";	/* withdrawal */
	secrets[n_secrets++] = "1226.91357";	/* alice's balance after it */
	secrets[n_secrets++] = "6.1";	/* alice's first escrow */
	secrets[n_secrets++] = "7.56";	/* her replaced order's */
	secrets[n_secrets++] = "4.92";	/* bob's */
	secrets[n_secrets++] = "1.05";	/* bob's cancelled escrow (5 x 0.21) */
	secrets[n_secrets++] = "listen_";	/* owners' names */
	for (i = 0; i < n_got; i++)
	{
		char		id[32];
		char		name[64];
		char		mkt[32];
		char		sql[512];
		int			j;
		int			clean = 1;

		json_field(got[i], "id", id, sizeof(id));
		json_field(got[i], "name", name, sizeof(name));
		json_field(got[i], "market", mkt, sizeof(mkt));
		snprintf(msg, sizeof(msg), "%s has id, name and market: %s", name, got[i]);
		check(id[0] != '\0' && name[0] != '\0' && has_key(got[i], "market"), msg);
		snprintf(sql, sizeof(sql),
				 "SELECT count(*) FROM market.events WHERE id = %s AND name = '%s'"
				 " AND market IS NOT DISTINCT FROM %s",
				 id[0] ? id : "0", name, strcmp(mkt, "null") == 0 ? "NULL" : mkt);
		snprintf(msg, sizeof(msg), "%s %s is the event row with that name and market", name, id);
		check(strcmp(run(su, sql), "1") == 0, msg);

		for (j = 0; j < n_secrets; j++)
			if (strstr(got[i], secrets[j]) != NULL)
			{
				fprintf(stderr, "# %s holds %s\n", got[i], secrets[j]);
				clean = 0;
			}
		for (j = 0; j < (int) (sizeof(private_keys) / sizeof(private_keys[0])); j++)
			if (has_key(got[i], private_keys[j]))
			{
				fprintf(stderr, "# %s has a member %s\n", got[i], private_keys[j]);
				clean = 0;
			}
		snprintf(msg, sizeof(msg), "%s %s holds no account id, cash, escrow or balance",
				 name, id);
		check(clean, msg);
	}

	/* 3: what is public is there. */
	if (n_got == n_expected)
	{
		const char *e;

		for (i = 4; i <= 6; i++)
		{
			snprintf(msg, sizeof(msg), "%s carries no market and an empty payload",
					 expected[i]);
			check(field_is(got[i], "market", "null") && strstr(got[i], "\"payload\": {}") != NULL,
				  msg);
		}
		check(field_is(got[0], "market", "null") && strstr(got[0], "\"payload\": {}") != NULL,
			  "account_created carries no market and an empty payload");
		check(strstr(got[18], "\"payload\": {}") != NULL && field_is(got[18], "market", market),
			  "settled carries its market and nothing else");

		e = got[1];
		check(field_is(e, "market", market) && field_number_is(e, "outcomes", 2) &&
			  has_key(e, "number") && field_number_is(e, "tick_size", 0.01),
			  "market_created shows the market, its number, outcomes and tick size");
		e = got[7];
		check(field_is(e, "market", market) && field_is(e, "order", first_order) &&
			  field_number_is(e, "outcome", 1) && field_is(e, "side", "buy") &&
			  field_number_is(e, "price", 0.61) && field_number_is(e, "quantity", 10),
			  "order_placed shows the order, outcome, side, price and quantity");
		e = got[8];
		check(field_is(e, "replaces", first_order) && field_is(e, "side", "buy") &&
			  field_number_is(e, "price", 0.63) && field_number_is(e, "quantity", 12),
			  "order_replaced shows the new order and the one it replaces");
		e = got[9];
		check(field_number_is(e, "outcome", 2) && field_number_is(e, "price", 0.41),
			  "bob's order_placed shows outcome 2 at 0.41");
		e = got[10];
		check(field_is(e, "market", market) && field_number_is(e, "executions", 1) &&
			  field_number_is(e, "filled", 24) && field_number_is(e, "trimmed", 0) &&
			  field_number_is(e, "expired", 0) && field_number_is(e, "ioc_cancelled", 0),
			  "auction shows its executions, contracts filled and orders trimmed");
		check(field_is(got[12], "reason", "cancelled") && has_key(got[12], "order"),
			  "order_cancelled by its trader shows the order and the reason");
		check(field_is(got[14], "reason", "market closed") && has_key(got[14], "order"),
			  "order_cancelled by the close (set-based) shows the order and the reason");
		check(field_is(got[15], "from", "active") && field_is(got[15], "to", "closed"),
			  "market_closed shows the states");
		check(field_is(got[16], "payouts", "[1.000000, 0.000000]"),
			  "market_resolved shows the payout vector");
		check(field_is(got[17], "from", "resolved") && field_is(got[17], "to", "finalized"),
			  "market_finalized shows the states");
		e = find_event(got, n_got, "deposit", 0);
		check(e != NULL && strstr(e, "\"market\": null, \"payload\": {}}") != NULL,
			  "a deposit is only its id and name");
	}

	/* 4: the listener reads no event row. */
	res = PQexec(spy, "SELECT count(*) FROM market.events");
	check(PQresultStatus(res) == PGRES_FATAL_ERROR &&
		  strcmp(PQresultErrorField(res, PG_DIAG_SQLSTATE), "42501") == 0,
		  "the listener may not SELECT market.events (42501)");
	PQclear(res);

	/* 5: alice follows her own account's events: LISTEN, then read rows. */
	while ((n = next_notification(alice_ears, 500)) != NULL)
	{
		alice_heard++;
		PQfreemem(n);
	}
	snprintf(msg, sizeof(msg), "a trader hears the same public feed (%d)", alice_heard);
	check(alice_heard == n_got, msg);
	runf(alice_ears, value, sizeof(value),
		 "SELECT count(*) FILTER (WHERE account IS DISTINCT FROM %s)"
		 " || ' ' || count(*) FILTER (WHERE name = 'deposit'"
		 "    AND payload->>'balance' = '1234.567891')"
		 " || ' ' || count(*) FILTER (WHERE name = 'withdrawal'"
		 "    AND payload->>'balance' = '1226.913570')"
		 " FROM market.events WHERE id > 0", alice_acct, NULL);
	check(strcmp(value, "0 1 1") == 0,
		  "reading market.events, a trader sees its own deposit and withdrawal with "
		  "their balances and no one else's rows");
	runf(alice_ears, value, sizeof(value), "SELECT max(id) FROM market.events", NULL, NULL);
	{
		char		last_seen[256];

		snprintf(last_seen, sizeof(last_seen), "%s", value);
		runf(op, NULL, 0, "SELECT market.deposit(%s, 3)", bob_acct, NULL);
		runf(op, NULL, 0, "SELECT market.deposit(%s, 2)", alice_acct, NULL);
		n = next_notification(alice_ears, 10000);
		check(n != NULL, "the trader is woken by a notification");
		if (n)
			PQfreemem(n);
		n = next_notification(alice_ears, 10000);
		if (n)
			PQfreemem(n);
		runf(alice_ears, value, sizeof(value),
			 "SELECT coalesce(string_agg(name || ' ' || (payload->>'amount') || ' '"
			 "                  || (payload->>'balance'), ', ' ORDER BY id), 'none')"
			 "       = 'deposit 2.000000 ' || market.balance(%s)"
			 " FROM market.events WHERE id > %s", alice_acct, last_seen);
		check(strcmp(value, "t") == 0,
			  "rows after the last id seen are its own new deposit only, with its balance");
	}

	/* 6: a rolled-back change sends nothing. */
	while ((n = next_notification(spy, 200)) != NULL)
		PQfreemem(n);
	run(op, "BEGIN");
	runf(op, NULL, 0, "SELECT market.deposit(%s, 1)", alice_acct, NULL);
	run(op, "ROLLBACK");
	n = next_notification(spy, 1000);
	check(n == NULL, "a rolled-back deposit sends no notification");

	/* market.notify = off: the row, but no notification. */
	run(op, "SET market.notify = off");
	runf(op, NULL, 0, "SELECT market.deposit(%s, 1)", alice_acct, NULL);
	n = next_notification(spy, 1000);
	check(n == NULL, "with market.notify off nothing is sent");
	runf(su, value, sizeof(value),
		 "SELECT count(*) FROM market.events WHERE account = %s AND name = 'deposit'",
		 alice_acct, NULL);
	check(strcmp(value, "3") == 0, "with market.notify off the event row is still written");

	/*
	 * 7: a distribution market's trade shows the market's Normal before
	 * and after, never the account, its collateral (the size) or its fee.
	 */
	run(op, "SET market.notify = on");
	{
		char		liq[32];
		char		dm[32];
		char	   *trade = NULL;
		int			clean = 1;
		int			j;

		runf(op, liq, sizeof(liq), "SELECT market.create_account('liquidity', 'listen_admin')",
			 NULL, NULL);
		runf(op, NULL, 0, "SELECT market.deposit(%s, 500)", liq, NULL);
		runf(admin, dm, sizeof(dm),
			 "SELECT market.create_distribution_market('listen: rainfall', 50, 10, 100, %s, 5)",
			 liq, NULL);
		while ((n = next_notification(spy, 500)) != NULL)
			PQfreemem(n);
		runf(alice, NULL, 0, "SELECT market.trade_distribution(%s, %s, 60, 10, 100)",
			 alice_acct, dm);
		while (trade == NULL && (n = next_notification(spy, 5000)) != NULL)
		{
			if (field_is(n->extra, "name", "trade"))
				trade = strdup(n->extra);
			PQfreemem(n);
		}
		check(trade != NULL && field_is(trade, "market", dm) && has_key(trade, "old") &&
			  has_key(trade, "new") && has_key(trade, "position") && has_key(trade, "number"),
			  "a distribution trade's notification shows the market, the position and the old and new Normal");
		if (trade != NULL)
		{
			if (strstr(trade, alice_acct) != NULL || strstr(trade, liq) != NULL ||
				strstr(trade, "39.515647") != NULL)
				clean = 0;
			for (j = 0; j < (int) (sizeof(private_keys) / sizeof(private_keys[0])); j++)
				if (has_key(trade, private_keys[j]))
					clean = 0;
			if (has_key(trade, "size") || has_key(trade, "fee"))
				clean = 0;
			if (!clean)
				fprintf(stderr, "# %s\n", trade);
			free(trade);
		}
		check(clean, "a distribution trade's notification holds no account id, size (the collateral 39.515647) or fee");
	}

	for (i = 0; i < n_got; i++)
		free(got[i]);
	PQfinish(alice_ears);
	PQfinish(bob);
	PQfinish(alice);
	PQfinish(oracle);
	PQfinish(op);
	PQfinish(admin);
	PQfinish(spy);
	PQfinish(su);
	printf("1..%d\n", tests);
	return failures == 0 ? 0 : 1;
}
