#!/bin/sh
# The role matrix of test/roles/matrix.txt, cell by cell: each cell is one
# psql connection as the login role, in autocommit (so through COMMIT), on
# a market of its own in the state the row names.  Sourced by
# test/roles/run.sh (common.sh loaded, the login roles created); $DB is a
# database with market installed.  The fixtures are built by the admin
# and operator logins, never by the superuser.

MATRIX=$(dirname "$0")/matrix.txt
COLUMNS="admin oracle oracle_other operator trader trader_other nobody"

matrix_rows() {
	grep -v '^#' "$MATRIX" | grep -v '^[[:space:]]*$'
}

trim() {
	# shellcheck disable=SC2086
	set -f
	echo $1
	set +f
}

# The markdown table of the README, generated from the matrix.
matrix_markdown() {
	echo "| call | admin | oracle, own market | oracle, another market | operator | trader, own account | trader, another's account | no market role |"
	echo "|---|---|---|---|---|---|---|---|"
	matrix_rows | while IFS='|' read -r call fixture sql c1 c2 c3 c4 c5 c6 c7; do
		line="| \`$(trim "$call")\` |"
		for c in "$c1" "$c2" "$c3" "$c4" "$c5" "$c6" "$c7"; do
			case $(trim "$c") in
			yes) w=yes ;;
			deny | grant) w=42501 ;;
			55000) w=55000 ;;
			P0002) w=P0002 ;;
			all) w="all rows" ;;
			own) w="own rows" ;;
			none) w="none of theirs" ;;
			*) w="?$c" ;;
			esac
			line="$line $w |"
		done
		echo "$line"
	done
}

# the login role of column $col, in $role
column_role() {
	case $col in
	admin) role=roles_admin ;;
	oracle) role=roles_oracle ;;
	oracle_other) role=roles_oracle2 ;;
	operator) role=roles_operator ;;
	trader | trader_other) role=roles_alice ;;
	nobody) role=roles_nobody ;;
	esac
}

matrix_run() {
	cells=$ROLES_TMP/cells
	ids=$ROLES_TMP/ids

	# the fixtures: one market per cell whose row names a state
	n=0
	values=""
	while IFS='|' read -r call fixture rest; do
		fixture=$(trim "$fixture")
		[ "$fixture" = "-" ] && continue
		for col in $COLUMNS; do
			n=$((n + 1))
			values="$values${values:+, }($n, '$fixture')"
		done
	done <<EOF
$(matrix_rows)
EOF

	step roles_operator "matrix: the operator opens and funds alice's and bob's accounts" -d "$DB" <<'SQL'
SELECT market.deposit(market.create_account(l, ('roles_' || l)::regrole), 100000)
  FROM unnest(ARRAY['alice', 'bob']) l;
SQL
	step roles_admin "matrix: the admin creates the oracle accounts and $n + 2 markets" -d "$DB" <<SQL
SELECT market.create_account('oracle', 'roles_oracle');
SELECT market.create_account('oracle2', 'roles_oracle2');
SELECT market.create_market('shared active', ARRAY['YES', 'NO'],
       oracle => (SELECT id FROM market.accounts WHERE label = 'oracle'));
SELECT market.create_market('other oracle2''s', ARRAY['YES', 'NO'],
       oracle => (SELECT id FROM market.accounts WHERE label = 'oracle2'));
SELECT market.create_market('cell ' || n || ' ' || f, ARRAY['YES', 'NO'],
       oracle => (SELECT id FROM market.accounts WHERE label = 'oracle'),
       oracle_kind => CASE f WHEN 'ai' THEN 'ai' ELSE 'manual' END,
       dispute_window => CASE f WHEN 'window' THEN interval '1 hour' ELSE interval '0' END,
       outcome_ranges => CASE f WHEN 'scalar' THEN ARRAY['(,10)'::numrange, '[10,)'] END,
       kind => CASE WHEN f LIKE 'pool%' THEN 'parimutuel' ELSE 'orderbook' END)
  FROM (VALUES $values) v(n, f) ORDER BY n;
SQL
	step roles_operator "matrix: the operator trades alice and bob in every market and leaves their orders" -d "$DB" <<'SQL'
CREATE TEMP VIEW fixture AS
SELECT m.id, split_part(m.description, ' ', 3) AS f,
       (SELECT id FROM market.accounts WHERE label = 'alice') AS alice,
       (SELECT id FROM market.accounts WHERE label = 'bob') AS bob
  FROM market.markets m WHERE (m.description LIKE 'cell %' OR m.description = 'shared active')
   AND m.kind = 'orderbook';
SELECT count(market.place_order(alice, market.outcome_id(id, 1), 'buy', 10, 0.5)) FROM fixture;
SELECT count(market.place_order(bob, market.outcome_id(id, 1), 'sell', 10, 0.5)) FROM fixture;
SELECT count(*) FROM fixture, LATERAL market.execute(fixture.id);
SELECT count(market.place_order(alice, market.outcome_id(id, 1), 'buy', 5, 0.4)) FROM fixture WHERE f <> 'empty';
SELECT count(market.place_order(bob, market.outcome_id(id, 1), 'sell', 5, 0.6)) FROM fixture WHERE f <> 'empty';
-- the pools: alice commits yes on outcome 1, bob yes on outcome 2
SELECT count(market.place_commitment(a.id, market.outcome_id(m.id, CASE a.label WHEN 'alice' THEN 1 ELSE 2 END), 10))
  FROM market.markets m, market.accounts a
 WHERE m.kind = 'parimutuel' AND m.description LIKE 'cell %' AND a.label IN ('alice', 'bob');
SQL
	step roles_operator "matrix: the operator opens spare accounts of alice and bob, each bidding in two markets" -d "$DB" <<'SQL'
SELECT market.deposit(market.create_account(l || '-spare', ('roles_' || l)::regrole), 100)
  FROM unnest(ARRAY['alice', 'bob']) l;
SELECT count(market.place_order(a.id, market.outcome_id(m.id, 1), 'buy', 1, 0.1))
  FROM market.accounts a, market.markets m
 WHERE a.label IN ('alice-spare', 'bob-spare')
   AND m.description IN ('shared active', 'other oracle2''s');
SQL
	step roles_admin "matrix: the admin pauses, resolves, finalizes and cancels the fixtures" -d "$DB" <<SQL
CREATE TEMP VIEW fixture AS
SELECT m.id, split_part(m.description, ' ', 2) AS n, split_part(m.description, ' ', 3) AS f
  FROM market.markets m WHERE m.description LIKE 'cell %';
SELECT count(market.pause_market(id)) FROM fixture WHERE f = 'paused';
SELECT count(market.resolve(id, ARRAY[0.3, 0.7])) FROM fixture
 WHERE f IN ('resolved', 'window', 'ai', 'finalized');
SELECT count(market.finalize(id)) FROM fixture WHERE f = 'finalized';
SELECT count(market.cancel_market(id, 'fixture')) FROM fixture WHERE f = 'cancelled';
SELECT count(market.resolve(id, market.outcome_id(id, 1))) FROM fixture WHERE f IN ('pool_final', 'pool_settled');
SELECT count(market.finalize(id)) FROM fixture WHERE f IN ('pool_final', 'pool_settled');
SELECT count(*) FROM fixture, LATERAL market.settle(fixture.id) WHERE f = 'pool_settled';
SQL
	step roles_operator "matrix: the operator funds a liquidity account of the admin's" -d "$DB" <<'SQL'
SELECT market.deposit(market.create_account('liquidity', 'roles_admin'), 1000);
SQL
	step roles_admin "matrix: the admin backs a shared distribution market" -d "$DB" <<'SQL'
SELECT market.create_distribution_market('shared distribution', 50, 10, 100,
       (SELECT id FROM market.accounts WHERE label = 'liquidity'), 5,
       oracle => (SELECT id FROM market.accounts WHERE label = 'oracle'));
SQL
	step roles_operator "matrix: the operator trades alice and bob in it" -d "$DB" <<'SQL'
SELECT market.trade_distribution(a.id, m.id, 52, 10, 100)
  FROM market.accounts a, market.markets m
 WHERE a.label = 'alice' AND m.description = 'shared distribution';
SELECT market.trade_distribution(a.id, m.id, 49, 9, 100)
  FROM market.accounts a, market.markets m
 WHERE a.label = 'bob' AND m.description = 'shared distribution';
SQL
	as roles_admin -d "$DB" -At -F ' ' >"$ids" <<'SQL'
SELECT 'd', id FROM market.markets WHERE description = 'shared distribution';
SELECT 'l', id FROM market.accounts WHERE label = 'liquidity';
SELECT 'p', p.id FROM market.distribution_positions p JOIN market.accounts a ON a.id = p.account
 WHERE a.label IN ('alice', 'bob') ORDER BY a.label;
SELECT 'a', id FROM market.accounts WHERE label IN ('alice', 'bob') ORDER BY label;
SELECT 's', id FROM market.accounts WHERE label IN ('alice-spare', 'bob-spare') ORDER BY label;
SELECT '-', id, market.outcome_id(id, 1) FROM market.markets WHERE description = 'shared active';
SELECT split_part(description, ' ', 2), id, market.outcome_id(id, 1)
  FROM market.markets WHERE description LIKE 'cell %';
SQL
	alice=$(awk '$1 == "a" { print $2; exit }' "$ids")
	bob=$(awk '$1 == "a" { a++; if (a == 2) print $2 }' "$ids")
	spare_alice=$(awk '$1 == "s" { print $2; exit }' "$ids")
	spare_bob=$(awk '$1 == "s" { a++; if (a == 2) print $2 }' "$ids")
	dist=$(awk '$1 == "d" { print $2; exit }' "$ids")
	liquidity=$(awk '$1 == "l" { print $2; exit }' "$ids")
	dp_alice=$(awk '$1 == "p" { print $2; exit }' "$ids")
	dp_bob=$(awk '$1 == "p" { a++; if (a == 2) print $2 }' "$ids")

	# the cells (few forks per cell: a few hundred of them)
	while read -r key id o; do
		eval "m_$key=$id o1_$key=$o"
	done <<EOF
$(sed 's/^-/shared/' "$ids" | grep -v '^[asdlp] ')
EOF
	n=0
	while IFS='|' read -r call fixture sql c1 c2 c3 c4 c5 c6 c7; do
		call=$(trim "$call")
		fixture=$(trim "$fixture")
		sql=$(echo "$sql" | sed 's/^ *//; s/ *$//')
		set -- $c1 $c2 $c3 $c4 $c5 $c6 $c7
		for col in $COLUMNS; do
			expect=$1
			shift
			column_role
			if [ "$fixture" = "-" ]; then
				key=shared
			else
				n=$((n + 1))
				key=$n
			fi
			eval "m=\$m_$key o1=\$o1_$key"
			acct=$alice owner=roles_alice spare=$spare_alice dp=$dp_alice
			[ "$col" = trader_other ] && acct=$bob owner=roles_bob spare=$spare_bob dp=$dp_bob
			# the cells of a row run at once, each on its own market
			matrix_cell >"$ROLES_TMP/cell.$col" 2>&1 &
		done
		wait
		for col in $COLUMNS; do
			read -r verdict what <"$ROLES_TMP/cell.$col"
			if [ "$verdict" = PASS ]; then
				ok "$what"
			else
				not_ok "$what"
				tail -n +2 "$ROLES_TMP/cell.$col"
			fi
		done
	done <<EOF
$(matrix_rows)
EOF
}

# One cell: $role runs $sql (or the read of a table) and must give $expect.
# Prints PASS or FAIL and a description, then the output on failure.
matrix_cell() {
	case $sql in
	read\ *)
		set -- $sql
		table=$2 column=$3
		case $column:$role in
		-:* | *:roles_oracle | *:roles_oracle2 | *:roles_nobody)
			q="SELECT count(*), 0 FROM $table" ;;
		*)
			# alice's own accounts are the ones she may see: count what
			# is not one of them (bob's, the system accounts', ...)
			q="SELECT count(*), count(*) FILTER (WHERE NOT coalesce($column IN (
			          SELECT id FROM market.accounts WHERE owner = 'roles_alice'::regrole), false))
			     FROM $table" ;;
		esac
		;;
	*) q=$sql ;;
	esac
	what="$col: $call -> $expect"
	# in the background subshell already: no env(1), no pipe
	unset PGPASSWORD
	res=$(PGHOST=localhost PGUSER=$role PGPASSFILE=$PGPASSFILE_ROLES \
		"$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$DB" -At -F ' ' -v VERBOSITY=verbose \
		-v m="$m" -v o1="$o1" -v acct="$acct" -v spare="$spare" -v owner="$owner" \
		-v d="$dist" -v dp="$dp" -v liquidity="$liquidity" 2>&1 <<EOF
$q
EOF
)
	rc=$?
	state=
	case $res in
	*"ERROR:  "[0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z]:*)
		state=${res#*ERROR:  }
		state=${state%%:*} ;;
	esac
	pgdenied=false
	case $res in
	*"ERROR:  42501: permission denied for "[ftvs]*) pgdenied=true ;;
	esac
	hint=false
	case $res in
	*"HINT:  "*) hint=true ;;
	esac
	good=false
	set -f
	set -- $res
	case $expect in
	yes) [ $rc = 0 ] && good=true ;;
	deny) [ "$state" = 42501 ] && ! $pgdenied && $hint && good=true ;;
	grant) [ "$state" = 42501 ] && $pgdenied && good=true ;;
	55000) [ "$state" = 55000 ] && good=true ;;
	P0002)
		# as if absent: the message names the position and no account
		case $res in
		*"does not exist"*) [ "$state" = P0002 ] && good=true ;;
		esac
		case $res in
		*"account"*"$acct"*) good=false ;;
		esac
		;;
	all)
		# public: some rows; private: rows of other accounts too
		if [ "$column" = "-" ]; then
			[ $rc = 0 ] && [ "${1:-0}" -gt 0 ] && good=true
		else
			[ $rc = 0 ] && [ "${2:-0}" -gt 0 ] && good=true
		fi
		;;
	own) [ $rc = 0 ] && [ "${1:-0}" -gt 0 ] && [ "${2:-1}" = 0 ] && good=true ;;
	none) [ $rc = 0 ] && [ "${2:-1}" = 0 ] && good=true ;;
	esac
	if $good; then
		echo "PASS $what"
	else
		echo "FAIL $what (as $role; exit $rc${state:+, SQLSTATE $state}, hint $hint)"
		echo "$res" | sed 's/^/#   /'
	fi
}
