# Sourced by the scripts of test/roles: the login roles, their .pgpass,
# and "as ROLE psql-args...", which connects as that role over TCP with a
# password read from the .pgpass (never as the superuser, never SET ROLE).
#
# The roles (cluster-wide, created once by "roles_setup"):
#   roles_admin     market_admin
#   roles_oracle    market_oracle, owns the oracle account of the markets
#   roles_oracle2   market_oracle, owns the oracle account of another market
#   roles_operator  market_operator
#   roles_alice     market_trader, owns her accounts
#   roles_bob       market_trader, owns his accounts
#   roles_nobody    LOGIN, no market role
ROLES="roles_admin roles_oracle roles_oracle2 roles_operator roles_alice roles_bob roles_nobody"

role_grant() {
	case $1 in
	roles_admin) echo market_admin ;;
	roles_oracle | roles_oracle2) echo market_oracle ;;
	roles_operator) echo market_operator ;;
	roles_alice | roles_bob) echo market_trader ;;
	*) echo "" ;;
	esac
}

# psql itself, not Debian's wrapper script (which starts perl each time:
# it doubled the time of the matrix's few hundred connections)
PSQL=$(${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config} --bindir)/psql
ROLES_TMP=${ROLES_TMP:-$(mktemp -d)}
PGPASSFILE_ROLES=$ROLES_TMP/pgpass

# The superuser's part: create the login roles (once per cluster; the
# market roles must exist, so after a CREATE EXTENSION market) and write
# the .pgpass.  Run with the superuser's environment.
roles_setup() {
	for r in $ROLES; do
		g=$(role_grant "$r")
		psql -X -q -v ON_ERROR_STOP=1 -d "$1" -v r="$r" -v g="$g" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'r', 'pw-' || :'r')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'r') \gexec
SELECT format('GRANT %I TO %I', :'g', :'r')
 WHERE :'g' <> '' AND NOT pg_has_role(:'r', :'g', 'MEMBER') \gexec
SQL
	done
	: >"$PGPASSFILE_ROLES"
	chmod 600 "$PGPASSFILE_ROLES"
	for r in $ROLES; do
		echo "*:*:*:$r:pw-$r" >>"$PGPASSFILE_ROLES"
	done
}

# as ROLE [psql arguments]: one connection as ROLE over TCP, autocommit,
# stopping at the first error.  PGPASSWORD (the superuser's) is unset: it
# would override the .pgpass.
as() {
	_r=$1
	shift
	env -u PGPASSWORD PGHOST=localhost PGUSER="$_r" PGPASSFILE="$PGPASSFILE_ROLES" \
		"$PSQL" -X -q -v ON_ERROR_STOP=1 "$@"
}

# TAP
tap_n=0
tap_fail=0
ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $*"
}
not_ok() {
	tap_n=$((tap_n + 1))
	tap_fail=$((tap_fail + 1))
	echo "not ok $tap_n - $*"
}
# step ROLE DESCRIPTION [psql arguments]: SQL on stdin, run as ROLE; its
# output is kept in $out (stdout and stderr), shown on failure.
step() {
	_role=$1
	_desc=$2
	shift 2
	if out=$(as "$_role" "$@" 2>&1); then
		ok "$_desc (as $_role)"
	else
		not_ok "$_desc (as $_role)"
		echo "$out" | sed 's/^/#   /'
	fi
}
