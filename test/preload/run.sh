#!/bin/sh
# Without preloading: a server that does not have market in
# shared_preload_libraries refuses CREATE EXTENSION market, and ALTER
# EXTENSION market UPDATE from 0.1, with 55000 and a hint naming
# shared_preload_libraries and the configuration file to edit (its path,
# for a user who may read it); nothing is left behind.  Loading the library
# with LOAD or session_preload_libraries does not count.  A database at 0.1
# keeps the old behaviour: it installs, and its first id raises the same
# error.
# Run by test/run.sh inside a second throwaway cluster, started by
# pg_virtualenv WITHOUT shared_preload_libraries (the main suites' cluster
# preloads market, where CREATE EXTENSION works).
set -u
cd "$(dirname "$0")"
DB=market_nopreload
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); echo "not ok $n - $1"; fail=1
	[ -s "$tmp/err" ] && sed 's/^/# /' "$tmp/err"
	return 0
}
# psql as the superuser, errors in full (SQLSTATE, detail, hint) on stderr
super() { psql -X -q -At -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d $DB "$@"; }
# does $tmp/out hold the refusal, with the hint naming the file $1?
refused() {
	grep -q '^ERROR:  55000: market must be loaded via shared_preload_libraries$' "$tmp/out" &&
	grep -qF "HINT:  Add market to shared_preload_libraries in $1 and restart the server." "$tmp/out"
}
# what the extension would have made: its schemas, the extension, roles
leftovers() {
	super -c "SELECT (SELECT count(*) FROM pg_namespace WHERE nspname IN ('market', 'market_internal')) || ' ' ||
					 (SELECT count(*) FROM pg_extension WHERE extname = 'market') || ' ' ||
					 (SELECT count(*) FROM pg_roles WHERE rolname LIKE 'market\_%')"
}

dropdb --if-exists $DB >/dev/null 2>&1
createdb $DB

# the cluster really is without preloading
spl=$(super -c "SHOW shared_preload_libraries")
conf=$(super -c "SHOW config_file")
if [ -n "$conf" ] && ! echo "$spl" | grep -q market; then
	ok "this cluster does not preload market (shared_preload_libraries = '$spl'), its configuration file is $conf"
else
	echo "shared_preload_libraries = '$spl', config_file = '$conf'" >"$tmp/err"
	not_ok "the cluster for this test must not preload market"
fi

# ---------------------------------------------------------------------------
# CREATE EXTENSION refuses, and leaves nothing behind
# ---------------------------------------------------------------------------
if super -c "CREATE EXTENSION market" >"$tmp/out" 2>&1; then
	cp "$tmp/out" "$tmp/err"
	not_ok "CREATE EXTENSION market succeeded without preloading"
elif refused "$conf"; then
	ok "CREATE EXTENSION market refuses: 55000, the hint names shared_preload_libraries and $conf"
else
	cp "$tmp/out" "$tmp/err"
	not_ok "CREATE EXTENSION market fails, but not with 55000 and the hint naming the file"
fi
if [ "$(leftovers)" = "0 0 0" ]; then
	ok "nothing was created: no schema market or market_internal, no extension, no market_* role"
else
	echo "schemas, extension, roles: $(leftovers)" >"$tmp/err"
	not_ok "the refused CREATE EXTENSION left objects behind"
fi
# CREATE EXTENSION ... CASCADE or a named version: the same
if super -c "CREATE EXTENSION market VERSION '0.2' CASCADE" >"$tmp/out" 2>&1 || ! refused "$conf"; then
	cp "$tmp/out" "$tmp/err"
	not_ok "CREATE EXTENSION market VERSION '0.2' CASCADE without preloading"
else
	ok "CREATE EXTENSION market VERSION '0.2' CASCADE refuses the same way"
fi
# loading the library some other way is not preloading it
if super -c "LOAD 'market'" -c "CREATE EXTENSION market" >"$tmp/out" 2>&1 || ! refused "$conf"; then
	cp "$tmp/out" "$tmp/err"
	not_ok "LOAD 'market' then CREATE EXTENSION market"
else
	ok "LOAD 'market' first: CREATE EXTENSION market still refuses"
fi
if PGOPTIONS="-c session_preload_libraries=market" super -c "CREATE EXTENSION market" >"$tmp/out" 2>&1 ||
   ! refused "$conf"; then
	cp "$tmp/out" "$tmp/err"
	not_ok "session_preload_libraries = market, then CREATE EXTENSION market"
else
	ok "with session_preload_libraries = market: CREATE EXTENSION market still refuses"
fi
if [ "$(leftovers)" != "0 0 0" ]; then
	echo "schemas, extension, roles: $(leftovers)" >"$tmp/err"
	not_ok "the refusals left objects behind"
fi

# ---------------------------------------------------------------------------
# 0.1 keeps its behaviour: it installs, its first id refuses; the update to
# the newest version refuses and leaves it at 0.1
# ---------------------------------------------------------------------------
if super -c "CREATE EXTENSION market VERSION '0.1'" >"$tmp/err" 2>&1 &&
   [ "$(super -c "SELECT extversion FROM pg_extension WHERE extname = 'market'")" = "0.1" ]; then
	ok "CREATE EXTENSION market VERSION '0.1' installs as it always did"
else
	not_ok "CREATE EXTENSION market VERSION '0.1' without preloading"
fi
if super -c "ALTER EXTENSION market UPDATE" >"$tmp/out" 2>&1; then
	cp "$tmp/out" "$tmp/err"
	not_ok "ALTER EXTENSION market UPDATE succeeded without preloading"
elif refused "$conf" &&
	 [ "$(super -c "SELECT extversion FROM pg_extension WHERE extname = 'market'")" = "0.1" ] &&
	 [ "$(super -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'market_internal'")" = "0" ]; then
	ok "ALTER EXTENSION market UPDATE refuses the same way and leaves the database at 0.1"
else
	cp "$tmp/out" "$tmp/err"
	not_ok "ALTER EXTENSION market UPDATE fails, but not as it should"
fi
# the 0.1 functions give the same refusal at their first id: to the
# superuser with the file's path, to an operator with the file's name only
if super -c "SELECT market.create_account('first')" >"$tmp/out" 2>&1 || ! refused "$conf"; then
	cp "$tmp/out" "$tmp/err"
	not_ok "0.1: the first id without preloading, as the superuser"
else
	ok "0.1: the first id refuses with the same error, its hint naming $conf"
fi
super >/dev/null 2>"$tmp/err" <<'SQL'
DROP ROLE IF EXISTS nopreload_operator;
CREATE ROLE nopreload_operator LOGIN PASSWORD 'nopreload' IN ROLE market_operator;
SQL
if PGUSER=nopreload_operator PGPASSWORD=nopreload \
		super -c "SELECT market.create_account('first')" >"$tmp/out" 2>&1 ||
   ! refused "postgresql.conf" || grep -qF "$conf" "$tmp/out"; then
	cp "$tmp/out" "$tmp/err"
	not_ok "0.1: the first id without preloading, as an operator"
else
	ok "0.1: an operator (who may not read config_file) gets the hint with postgresql.conf, not the path"
fi

echo "1..$n"
if [ $fail = 0 ]; then
	dropdb $DB
	psql -X -q -d postgres -c "DROP ROLE nopreload_operator" \
		-c "DROP ROLE market_admin, market_operator, market_trader, market_oracle"
fi
exit $fail
