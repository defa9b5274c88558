#!/bin/sh
# Upgrades: a database made with version 0.1 and holding a live exchange is
# updated with ALTER EXTENSION market UPDATE; its catalog must then equal a
# fresh install of the newest version object by object (catalog.sql lists
# both, normalized, and any line of difference fails), and it must still
# trade and settle.  A second 0.1 database is left at 0.1 and must keep
# working with the new shared library, since one library serves both.
#
# Every workflow runs as the login role that performs it (an admin, an
# operator, an oracle, three traders), connected with a password over TCP
# and through COMMIT; a superuser only creates the databases, the
# extension and the roles, and runs the update.
# Run inside pg_virtualenv by test/suites.sh.
set -u
cd "$(dirname "$0")"
OLD=market_upgrade        # 0.1, updated to the newest version
NEW=market_upgrade_fresh  # the newest version, installed fresh
STAY=market_upgrade_01    # 0.1, never updated
FROM=0.1
TO=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" ../../market.control)
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
# as ROLE in DB: psql with the role's password over TCP; stdin is the SQL
as_role() {
	PGUSER=$1 PGPASSWORD=upgrade psql -X -q -At -v ON_ERROR_STOP=1 -d "$2" 2>"$tmp/err"
}
super() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" 2>"$tmp/err"; }

for db in $OLD $NEW $STAY; do
	dropdb --if-exists $db >/dev/null 2>&1
	createdb $db
done
psql -X -q -v ON_ERROR_STOP=1 -d $OLD >/dev/null <<'SQL'
DO $$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['upgrade_admin', 'upgrade_operator', 'upgrade_oracle',
							 'upgrade_alice', 'upgrade_bob', 'upgrade_carol']
	LOOP
		IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', r, 'upgrade');
		END IF;
	END LOOP;
END
$$;
SQL

# ---------------------------------------------------------------------------
# A live 0.1 exchange: market 1 with an execution and open orders, market 2
# resolved, finalized and partly settled.
# ---------------------------------------------------------------------------
live_01() {
	db=$1
	super $db <<SQL >/dev/null || return 1
CREATE EXTENSION market VERSION '$FROM';
GRANT market_admin TO upgrade_admin;
GRANT market_operator TO upgrade_operator;
GRANT market_oracle TO upgrade_oracle;
GRANT market_trader TO upgrade_alice, upgrade_bob, upgrade_carol;
SQL
	as_role upgrade_operator $db <<'SQL' >/dev/null || return 1
SELECT market.create_account('oracle', 'upgrade_oracle');
SELECT market.deposit(market.create_account(l, ('upgrade_' || l)::regrole), 100)
  FROM unnest(ARRAY['alice', 'bob', 'carol']) l;
SQL
	as_role upgrade_admin $db <<'SQL' >/dev/null || return 1
SELECT market.create_market('upgrade: stays open across the update', ARRAY['YES', 'NO'],
		oracle => (SELECT id FROM market.accounts WHERE label = 'oracle'));
SELECT market.create_market('upgrade: settled across the update', ARRAY['YES', 'NO'],
		oracle => (SELECT id FROM market.accounts WHERE label = 'oracle'));
SQL
	for t in "alice 1 1 buy 10 0.6" "bob 1 1 sell 4 0.5" "carol 1 2 buy 3 0.3" \
			 "alice 2 1 buy 5 0.5" "bob 2 2 buy 5 0.5"; do
		set -- $t
		as_role upgrade_$1 $db <<SQL >/dev/null || return 1
SELECT market.place_order((SELECT id FROM market.accounts WHERE label = '$1'),
		market.outcome_id(market.market_id($2), $3), '$4', $5, $6);
SQL
	done
	as_role upgrade_operator $db <<'SQL' >/dev/null || return 1
SELECT count(*) FROM market.execute(market.market_id(1));
SELECT count(*) FROM market.execute(market.market_id(2));
SQL
	as_role upgrade_oracle $db <<'SQL' >/dev/null || return 1
SELECT market.resolve(market.market_id(2), ARRAY[0.7, 0.3]);
SELECT market.finalize(market.market_id(2));
SQL
	as_role upgrade_alice $db <<'SQL' >/dev/null || return 1
SELECT * FROM market.settle(market.market_id(2), (SELECT id FROM market.accounts WHERE label = 'alice'));
SQL
}

# what the live exchange looks like: for the record, and to check it got there
shape() {
	as_role upgrade_operator $1 <<'SQL'
SELECT (SELECT extversion FROM pg_extension WHERE extname = 'market') || ' ' ||
	   (SELECT string_agg(state || ':' || open_orders || ':' || collateral, ' ' ORDER BY number)
		  FROM market.market_overview) || ' executions ' ||
	   (SELECT count(*) FROM market.executions) || ' paid ' ||
	   (SELECT count(*) FROM market.settlements WHERE paid_at IS NOT NULL);
SQL
}

for db in $OLD $STAY; do
	if live_01 $db && [ "$(shape $db)" = "0.1 active:2:4.000000 finalized:0:1.500000 executions 2 paid 1" ]; then
		ok "$db: version 0.1 holds a live exchange built by its roles (open orders, executions, a finalized market partly settled)"
	else
		[ -s "$tmp/err" ] || shape $db >"$tmp/err" 2>&1
		not_ok "$db: building a live 0.1 exchange"
	fi
done

# ---------------------------------------------------------------------------
# The update
# ---------------------------------------------------------------------------
if echo "ALTER EXTENSION market UPDATE" | super $OLD &&
   [ "$(echo "SELECT extversion FROM pg_extension WHERE extname = 'market'" | super $OLD)" = "$TO" ]; then
	ok "ALTER EXTENSION market UPDATE takes $OLD from $FROM to $TO"
else
	not_ok "ALTER EXTENSION market UPDATE to $TO"
fi
if echo "SELECT invariant || ': ' || detail FROM market.check_invariants()" | as_role upgrade_operator $OLD >"$tmp/out" &&
   [ ! -s "$tmp/out" ]; then
	ok "every invariant holds right after the update"
else
	cat "$tmp/out" >>"$tmp/err"
	not_ok "invariants after the update"
fi

# markets made in 0.1 keep closing as they did: no closing auction
if [ "$(echo "SELECT string_agg(number || ':' || closing_auction, ' ' ORDER BY number) FROM market.markets" |
		as_role upgrade_operator $OLD)" = "1:false 2:false" ]; then
	ok "markets made in 0.1 have closing_auction false after the update"
else
	not_ok "closing_auction of the markets made in 0.1"
fi

# and allocate as they did: pro-rata
if [ "$(echo "SELECT string_agg(number || ':' || allocation, ' ' ORDER BY number) FROM market.markets" |
		as_role upgrade_operator $OLD)" = "1:pro_rata 2:pro_rata" ]; then
	ok "markets made in 0.1 have allocation pro_rata after the update"
else
	not_ok "allocation of the markets made in 0.1"
fi

# ---------------------------------------------------------------------------
# The updated catalog equals a fresh install, object by object
# ---------------------------------------------------------------------------
echo "CREATE EXTENSION market" | super $NEW
super $OLD <catalog.sql >"$tmp/updated" && super $NEW <catalog.sql >"$tmp/fresh" ||
	: >"$tmp/fresh"
if [ -s "$tmp/fresh" ] && diff -u "$tmp/fresh" "$tmp/updated" >"$tmp/diff"; then
	ok "the updated catalog equals a fresh install of $TO ($(wc -l <"$tmp/fresh") lines compared)"
else
	[ -f "$tmp/diff" ] && cat "$tmp/diff" >>"$tmp/err"
	not_ok "the updated catalog differs from a fresh install of $TO (- fresh, + updated)"
fi
# and it would see a divergence: change the updated database inside a
# transaction that is rolled back, and every change must show in the diff
{ cat <<'SQL'; cat catalog.sql; echo "ROLLBACK;"; } | super $OLD >"$tmp/changed"
BEGIN;
COMMENT ON FUNCTION market_internal.account_check() IS 'checks an account at commit';
GRANT EXECUTE ON FUNCTION market.balance(bigint) TO market_oracle;
GRANT SELECT (label) ON market.outcomes TO PUBLIC;
ALTER POLICY events_owner ON market.events TO market_trader, market_oracle;
ALTER TABLE market.journal DISABLE TRIGGER journal_check;
ALTER VIEW market.trades SET (security_invoker = false);
ALTER FUNCTION market.withdraw(bigint, numeric, text) SET work_mem = '8MB';
ALTER TABLE market.orders ALTER COLUMN status SET DEFAULT 'filled';
ALTER TABLE market.outcomes ALTER CONSTRAINT outcomes_market_fkey DEFERRABLE;
CREATE INDEX orders_created ON market.orders (created_at);
ALTER EXTENSION market DROP FUNCTION market.snowflake_time(bigint);
SQL
diff "$tmp/fresh" "$tmp/changed" >"$tmp/diff"
missing=""
for probe in '> comment | function market_internal.account_check() | checks' \
	'> function | market.balance(bigint) | .*market_oracle=X' \
	'> column | market.outcomes.label | .*acl =r/' \
	'> policy | market.events events_owner | .*roles market_oracle,market_trader' \
	'> trigger | market.journal journal_check | enabled D' \
	'> view | market.trades | options {security_invoker=false}' \
	'> function | market.withdraw(bigint,numeric,text) | .*work_mem=8MB' \
	"> column | market.orders.status | .*default 'filled'" \
	'> constraint | market.outcomes outcomes_market_fkey | type f, deferrable t' \
	'> index | market.orders_created | ' \
	'< extension dependency | function market.snowflake_time(bigint) -> extension market'; do
	grep -q -- "^$probe" "$tmp/diff" || missing="$missing [$probe]"
done
if [ -z "$missing" ]; then
	ok "the comparison catches a comment, grants, a policy, a trigger, a view option, a function setting, a default, a constraint, an index and a membership that differ"
else
	echo "not in the diff:$missing" >"$tmp/err"
	not_ok "the comparison misses divergences"
fi

# the listing must not pass for having listed nothing
missing=""
for section in 'extension' 'extension config' 'extension dependency' 'schema' 'relation' \
		'column' 'constraint' 'index' 'trigger' 'policy' 'view' 'function' \
		'initial privileges' 'comment' 'system account'; do
	grep -q "^$section | " "$tmp/fresh" || missing="$missing '$section'"
done
for probe in \
	'^column | market.accounts.balance | position 5, type bigint, not null t, default 0,' \
	'^constraint | market.orders orders_gtd_expires | type c, deferrable f' \
	'^index | market.orders_book | valid t' \
	'^trigger | market.accounts account_check | enabled O, deferrable t, initially deferred t' \
	'^policy | market.journal journal_owner | permissive t, command r, roles market_trader' \
	'^view | market.open_orders | options {security_invoker=true}' \
	'^function | market.deposit(bigint,numeric,text) | kind f, owner postgres, security definer t, config search_path=pg_catalog, pg_temp, acl market_operator=X/postgres postgres=X/postgres' \
	'^relation | market.journal | kind r, owner postgres, persistence p, rls t' \
	'^schema | market_internal | ' \
	'^extension config | market.accounts | WHERE kind' \
	'^extension dependency | function market_internal.account_check() -> extension market | deptype e' \
	'^comment | table market.journal | double-entry journal'; do
	grep -q -- "$probe" "$tmp/fresh" || missing="$missing [$probe]"
done
if [ -z "$missing" ]; then
	ok "the listing covers every kind of object (members, columns, constraints, indexes, triggers, policies, views, functions, grants, comments, config tables)"
else
	echo "missing:$missing" >"$tmp/err"
	not_ok "the catalog listing lacks some kinds of object"
fi

# ---------------------------------------------------------------------------
# Both the updated database and the 0.1 one keep trading and settle
# ---------------------------------------------------------------------------
trade_and_settle() {
	db=$1
	# bob sells into alice's remaining bid; carol moves her NO bid, which
	# stays on the book
	as_role upgrade_bob $db <<'SQL' >/dev/null || return 1
SELECT market.place_order((SELECT id FROM market.accounts WHERE label = 'bob'),
		market.outcome_id(market.market_id(1), 1), 'sell', 6, 0.55);
SQL
	as_role upgrade_carol $db <<'SQL' >/dev/null || return 1
SELECT market.replace_order((SELECT id FROM market.accounts WHERE label = 'carol'),
		market.outcome_id(market.market_id(1), 2), 'buy', 3, 0.35);
SQL
	[ "$(echo "SELECT sum(quantity) FROM market.execute(market.market_id(1))" |
		as_role upgrade_operator $db)" = "6.000000" ] || { echo "the auction did not match 6" >>"$tmp/err"; return 1; }
	# a market made now, matching inside place_order, then cancelled
	as_role upgrade_admin $db <<'SQL' >/dev/null || return 1
SELECT market.create_market('upgrade: made after', ARRAY['YES', 'NO'], auto_execute => true);
SQL
	for t in "alice 1 0.5" "bob 2 0.5" "carol 1 0.4"; do
		set -- $t
		as_role upgrade_$1 $db <<SQL >/dev/null || return 1
SELECT market.place_order((SELECT id FROM market.accounts WHERE label = '$1'),
		market.outcome_id(market.market_id(3), $2), 'buy', 2, $3);
SQL
	done
	[ "$(echo "SELECT count(*) FROM market.executions WHERE market = market.market_id(3)" |
		as_role upgrade_operator $db)" = "1" ] || { echo "the auto_execute market did not match" >>"$tmp/err"; return 1; }
	echo "SELECT market.cancel_order((SELECT id FROM market.accounts WHERE label = 'carol'), market.market_id(3))" |
		as_role upgrade_carol $db >/dev/null || return 1
	echo "SELECT market.cancel_market(market.market_id(3), 'made to be cancelled')" |
		as_role upgrade_admin $db >/dev/null || return 1
	# the oracle resolves with an open book, the admin upholds a dispute,
	# the oracle reports again (50/50) and finalizes
	echo "SELECT market.resolve(market.market_id(1), market.outcome_id(market.market_id(1), 2))" |
		as_role upgrade_oracle $db >/dev/null || return 1
	echo "SELECT market.dispute(market.market_id(1), 'it was a draw')" |
		as_role upgrade_admin $db >/dev/null || return 1
	as_role upgrade_oracle $db <<'SQL' >/dev/null || return 1
SELECT market.resolve(market.market_id(1), ARRAY[0.5, 0.5]);
SELECT market.finalize(market.market_id(1));
SQL
	# each trader claims its own payout, the operator settles the rest,
	# runs the (now idle) auctions and pays carol out
	for t in alice bob carol; do
		echo "SELECT count(*) FROM market.settle(market.market_id(1), (SELECT id FROM market.accounts WHERE label = '$t'))" |
			as_role upgrade_$t $db >/dev/null || return 1
	done
	echo "SELECT count(*) FROM market.candles(market.market_id(1))" | as_role upgrade_alice $db >/dev/null || return 1
	as_role upgrade_operator $db <<'SQL' >/dev/null || return 1
SELECT count(*) FROM market.settle(market.market_id(2));
SELECT count(*) FROM market.settle(market.market_id(3));
SELECT market.execute_all();
SELECT market.withdraw((SELECT id FROM market.accounts WHERE label = 'carol'), 1);
SQL
}
settled() {
	as_role upgrade_operator $1 <<'SQL'
SELECT (SELECT count(*) FROM market.check_invariants()) || ' ' ||
	   (SELECT string_agg(state || ':' || open_orders || ':' || collateral, ' ' ORDER BY number)
		  FROM market.market_overview) || ' unpaid ' ||
	   (SELECT count(*) FROM market.settlements WHERE paid_at IS NULL) || ' cash ' ||
	   (SELECT sum(balance) FROM market.account_balances WHERE kind = 'user');
SQL
}
for db in $OLD $STAY; do
	if trade_and_settle $db; then
		ok "$db ($(echo "SELECT extversion FROM pg_extension WHERE extname = 'market'" | super $db)): traders cross and replace orders, a new auto_execute market trades and is cancelled, the oracle resolves with an open book, a dispute, a new report, finalize, traders claim payouts, the operator settles, runs execute_all and pays out"
	else
		not_ok "$db: trading and settling"
	fi
	# a market made after the update has a closing auction by default
	if [ $db = $OLD ]; then
		if [ "$(echo "SELECT string_agg(number || ':' || closing_auction, ' ' ORDER BY number) FROM market.markets" |
				as_role upgrade_operator $db)" = "1:false 2:false 3:true" ]; then
			ok "$db: a market made after the update has closing_auction true, the 0.1 ones false"
		else
			not_ok "$db: closing_auction of the markets"
		fi
	fi
	# 300 deposited, 1 withdrawn; all collateral paid out; nothing owed
	s=$(settled $db)
	if [ "$s" = "0 finalized:0:0.000000 finalized:0:0.000000 cancelled:0:0.000000 unpaid 0 cash 299.000000" ]; then
		ok "$db: every market settled, collateral 0, the other 299 back with the traders, check_invariants() empty"
	else
		echo "invariant violations, markets, unpaid, cash: $s" >>"$tmp/err"
		not_ok "$db: the end state"
	fi
done

# ---------------------------------------------------------------------------
# Fees (SPEC 6a): 0.1 accepted fee_bps and creator_fee_bps but charged
# nothing, and booked orders without a fee reserve.  The update reserves
# it, or cancels the order, with its reason, where the account cannot
# cover it; from then on the market charges its fees and pays its creator.
# A database left at 0.1 keeps 0.1's behaviour with the new library: no
# fee, no reserve.
# ---------------------------------------------------------------------------
FEES_OLD=market_upgrade_fees
FEES_STAY=market_upgrade_fees_01
fees_01() {
	db=$1
	dropdb --if-exists $db >/dev/null 2>&1
	createdb $db
	super $db <<SQL >/dev/null || return 1
CREATE EXTENSION market VERSION '$FROM';
GRANT market_admin TO upgrade_admin;
GRANT market_operator TO upgrade_operator;
GRANT market_trader TO upgrade_alice, upgrade_bob, upgrade_carol;
SQL
	# alice has 100, bob 31, carol 100; market 1 charges 1% + 0.5%, market 3 1%
	as_role upgrade_operator $db <<'SQL' >/dev/null || return 1
SELECT market.create_account('creator');
SELECT market.deposit(market.create_account(l, ('upgrade_' || l)::regrole), d)
  FROM (VALUES ('alice', 100), ('bob', 31), ('carol', 100)) v(l, d);
SQL
	as_role upgrade_admin $db <<'SQL' >/dev/null || return 1
SELECT market.create_market('upgrade: fees', ARRAY['YES', 'NO'], fee_bps => 100,
		creator => (SELECT id FROM market.accounts WHERE label = 'creator'), creator_fee_bps => 50);
SELECT market.create_market('upgrade: no fees', ARRAY['YES', 'NO']);
SELECT market.create_market('upgrade: fees too', ARRAY['YES', 'NO'], fee_bps => 100);
SQL
	# alice bids 0.60 for 100 YES (escrow 60, she can add 0.75); bob asks
	# 0.70 for 100 YES (escrow 30) and bids 0.50 for 1.5 YES in market 3
	# (escrow 0.75), leaving 0.25: he cannot add the first order's 0.45,
	# and once it is cancelled its 30 cover the second's 0.0075; carol
	# bids in the market without fees
	for t in "alice 1 buy 100 0.6" "bob 1 sell 100 0.7" "bob 3 buy 1.5 0.5" "carol 2 buy 10 0.5"; do
		set -- $t
		as_role upgrade_$1 $db <<SQL >/dev/null || return 1
SELECT market.place_order((SELECT id FROM market.accounts WHERE label = '$1'),
		market.outcome_id(market.market_id($2), 1), '$3', $4, $5);
SQL
	done
}
fees_book() {
	as_role upgrade_operator $1 <<'SQL'
SELECT string_agg(a.label || ':' || o.status || ':' || coalesce(o.cancel_reason, '-') || ':' ||
				  o.escrow * 0.000001 || ':' || a.locked * 0.000001, ' ' ORDER BY a.label, o.id)
  FROM market.orders o JOIN market.accounts a ON a.id = o.account;
SQL
}
fees_trade() {
	db=$1
	# carol sells alice her 100 YES at 0.60; the market is then cancelled
	as_role upgrade_carol $db <<'SQL' >/dev/null || return 1
SELECT market.place_order((SELECT id FROM market.accounts WHERE label = 'carol'),
		market.outcome_id(market.market_id(1), 1), 'sell', 100, 0.6);
SQL
	as_role upgrade_operator $db <<'SQL' >/dev/null || return 1
SELECT count(*) FROM market.execute(market.market_id(1));
SQL
	as_role upgrade_admin $db <<'SQL' >/dev/null || return 1
SELECT market.cancel_market(market.market_id(1), 'paying the creator');
SQL
	as_role upgrade_operator $db <<'SQL'
SELECT (SELECT count(*) FROM market.check_invariants()) || ' ' ||
	   (SELECT string_agg(label || ':' || balance, ' ' ORDER BY label)
		  FROM market.account_balances WHERE label IN ('alice', 'carol', 'creator', 'house'));
SQL
}
for db in $FEES_OLD $FEES_STAY; do
	if fees_01 $db &&
	   [ "$(fees_book $db)" = "alice:open:-:60.000000:60.000000 bob:open:-:30.000000:30.750000 bob:open:-:0.750000:30.750000 carol:open:-:5.000000:5.000000" ]; then
		ok "$db: version 0.1 books orders in a market with fees without a fee reserve"
	else
		[ -s "$tmp/err" ] || fees_book $db >"$tmp/err" 2>&1
		not_ok "$db: building the 0.1 fee fixture"
	fi
done
if echo "ALTER EXTENSION market UPDATE" | super $FEES_OLD &&
   b=$(fees_book $FEES_OLD) &&
   [ "$b" = "alice:open:-:60.750000:60.750000 bob:cancelled:no cash for the fee reserve:0.000000:0.757500 bob:open:-:0.757500:0.757500 carol:open:-:5.000000:5.000000" ]; then
	ok "the update reserves alice's fee (60.75), cancels bob's first order, whose 0.45 he cannot cover (reason stated, escrow released), reserves his second order's 0.0075 from the escrow released, and leaves the market without fees alone"
else
	echo "book: ${b:-}" >>"$tmp/err"
	not_ok "the update's fee reserve"
fi
if [ "$(echo "SELECT count(*) FROM market.check_invariants()" | as_role upgrade_operator $FEES_OLD)" = "0" ] &&
   [ "$(echo "SELECT string_agg(number || ':' || (creator_fees IS NOT NULL), ' ' ORDER BY number) FROM market.markets" |
		as_role upgrade_operator $FEES_OLD)" = "1:true 2:false 3:false" ]; then
	ok "after the update every invariant holds, and the 0.1 market with a creator fee has its creator-fee account"
else
	not_ok "invariants and creator-fee accounts after the update"
fi
# updated: alice pays 60.60, carol 40.60; house 0.80; the creator 0.40 at
# cancellation.  Left at 0.1: no fee at all.
if s=$(fees_trade $FEES_OLD) &&
   [ "$s" = "0 alice:39.400000 carol:59.400000 creator:0.400000 house:0.800000" ]; then
	ok "$FEES_OLD: the 0.1 market charges its fees after the update, and pays its creator when cancelled"
else
	echo "invariants, balances: ${s:-}" >>"$tmp/err"
	not_ok "$FEES_OLD: fees after the update"
fi
if s=$(fees_trade $FEES_STAY) &&
   [ "$s" = "0 alice:40.000000 carol:60.000000 creator:0.000000 house:0.000000" ]; then
	ok "$FEES_STAY: left at 0.1, the new library charges no fee, as 0.1 did"
else
	echo "invariants, balances: ${s:-}" >>"$tmp/err"
	not_ok "$FEES_STAY: no fees at 0.1"
fi
[ $fail = 0 ] && [ -z "${UPGRADE_KEEP:-}" ] && for db in $FEES_OLD $FEES_STAY; do dropdb $db; done

echo "1..$n"
[ $fail = 0 ] && [ -z "${UPGRADE_KEEP:-}" ] && for db in $OLD $NEW $STAY; do dropdb $db; done
exit $fail
