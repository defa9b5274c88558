#!/bin/sh
# Install what the build, the tests and the demo need, when it is missing.
# Debian 12 only; needs root (or sudo) and Debian's package mirror.
set -eu

need=""
[ -x /usr/lib/postgresql/15/bin/postgres ]            || need="$need postgresql-15"
[ -x /usr/lib/postgresql/15/bin/pg_config ] &&
  [ -f /usr/include/postgresql/15/server/postgres.h ] || need="$need postgresql-server-dev-15"
[ -f /usr/share/postgresql/15/extension/pgtap.control ] || need="$need postgresql-15-pgtap"
[ -f /usr/share/postgresql/15/extension/pg_cron.control ] || need="$need postgresql-15-cron"
command -v pg_prove >/dev/null 2>&1                   || need="$need libtap-parser-sourcehandler-pgtap-perl"
command -v pg_virtualenv >/dev/null 2>&1              || need="$need postgresql-common"
command -v gcc >/dev/null 2>&1                        || need="$need gcc"
command -v make >/dev/null 2>&1                       || need="$need make"
command -v clang >/dev/null 2>&1                      || need="$need clang"
[ -n "$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] ||
	need="$need libclang-rt-14-dev"

[ -z "$need" ] && exit 0

echo "installing:$need"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $need
