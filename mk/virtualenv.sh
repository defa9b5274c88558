#!/bin/sh
# Run a command in a private throwaway PostgreSQL 15 cluster:
#   sh mk/virtualenv.sh [pg_virtualenv options] command...
#
# pg_virtualenv -t keeps the cluster in a directory of its own, but as root
# it still lets pg_createcluster pick the port, and a cluster in another
# directory is invisible to that choice: two runs at once (make test and
# make demo, or two checkouts) would both take 5432 and the second would
# fail.  So the port comes from the kernel (a free one, bound and released)
# unless PGPORT is set already.
set -eu
if [ -z "${PGPORT:-}" ]; then
	for _ in 1 2 3 4 5; do
		PGPORT=$(perl -MIO::Socket::INET -e \
			'print IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1", LocalPort => 0, ReuseAddr => 1)->sockport')
		[ -e "/var/run/postgresql/.s.PGSQL.$PGPORT" ] || break
	done
	export PGPORT
fi
exec pg_virtualenv -t -v 15 "$@"
