/*
 * listen_events.c
 *	  A second session sees market's events: LISTEN market_events in one
 *	  connection, change state in another, and check what arrives.
 *
 *	  1. create_account, deposit and withdraw each arrive as one
 *		 notification, in commit order, naming the right event;
 *	  2. each notification's id is a row of market.events with that name;
 *	  3. a rolled-back deposit sends nothing;
 *	  4. with market.notify off the event row is written but nothing is sent.
 *
 * Connection parameters come from the environment (PGHOST, PGPORT, ...);
 * the database is argv[1].  Prints TAP; exits 1 on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include "libpq-fe.h"

static int	tests = 0;
static int	failures = 0;

static void
check(int ok, const char *what)
{
	tests++;
	if (!ok)
		failures++;
	printf("%sok %d - %s\n", ok ? "" : "not ", tests, what);
}

static PGconn *
connect_to(const char *db)
{
	PGconn	   *conn = PQsetdbLogin(NULL, NULL, NULL, NULL, db, NULL, NULL);

	if (PQstatus(conn) != CONNECTION_OK)
	{
		fprintf(stderr, "connection failed: %s", PQerrorMessage(conn));
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

/* The value of "key" in a flat JSON object text, as a string (quotes off). */
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
	if (*p == '"')
		p++;
	while (*p && *p != '"' && *p != ',' && *p != '}' && i + 1 < outlen)
		out[i++] = *p++;
	out[i] = '\0';
}

int
main(int argc, char **argv)
{
	const char *db = argc > 1 ? argv[1] : "postgres";
	PGconn	   *listener = connect_to(db);
	PGconn	   *actor = connect_to(db);
	const char *expected[] = {"account_created", "deposit", "withdrawal"};
	char		account[32];
	char		sql[512];
	PGnotify   *n;
	int			i;

	run(listener, "LISTEN market_events");

	snprintf(account, sizeof(account), "%s",
			 run(actor, "SELECT market.create_account('listen')"));
	snprintf(sql, sizeof(sql), "SELECT market.deposit(%s, 10)", account);
	run(actor, sql);
	snprintf(sql, sizeof(sql), "SELECT market.withdraw(%s, 4)", account);
	run(actor, sql);

	for (i = 0; i < 3; i++)
	{
		char		name[64];
		char		id[32];
		char		acct[32];
		char		msg[256];

		n = next_notification(listener, 10000);
		snprintf(msg, sizeof(msg), "notification %d arrives on market_events", i + 1);
		check(n != NULL && strcmp(n->relname, "market_events") == 0, msg);
		if (n == NULL)
			break;
		json_field(n->extra, "name", name, sizeof(name));
		json_field(n->extra, "id", id, sizeof(id));
		json_field(n->extra, "account", acct, sizeof(acct));
		snprintf(msg, sizeof(msg), "notification %d is %s (got %s)", i + 1, expected[i], name);
		check(strcmp(name, expected[i]) == 0, msg);
		snprintf(msg, sizeof(msg), "notification %d names the account", i + 1);
		check(strcmp(acct, account) == 0, msg);
		snprintf(sql, sizeof(sql),
				 "SELECT count(*) FROM market.events WHERE id = %s AND name = '%s'", id, name);
		snprintf(msg, sizeof(msg), "notification %d is event row %s", i + 1, id);
		check(strcmp(run(listener, sql), "1") == 0, msg);
		PQfreemem(n);
	}

	/* A rolled-back change sends nothing. */
	run(actor, "BEGIN");
	snprintf(sql, sizeof(sql), "SELECT market.deposit(%s, 1)", account);
	run(actor, sql);
	run(actor, "ROLLBACK");
	n = next_notification(listener, 1000);
	check(n == NULL, "a rolled-back deposit sends no notification");

	/* market.notify = off: the row, but no notification. */
	run(actor, "SET market.notify = off");
	run(actor, sql);
	n = next_notification(listener, 1000);
	check(n == NULL, "with market.notify off nothing is sent");
	snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM market.events WHERE account = %s AND name = 'deposit'",
			 account);
	check(strcmp(run(listener, sql), "2") == 0,
		  "with market.notify off the event row is still written");

	PQfinish(actor);
	PQfinish(listener);
	printf("1..%d\n", tests);
	return failures == 0 ? 0 : 1;
}
