#!/bin/sh
# make bench: every benchmark of SPEC section 17, each printed as a ratio
# against a baseline measured in the same run (absolute times on a shared
# machine are noise).
#   1. the pure matching core: ns per order on 100,000 and 1,000,000 orders
#   2. deposits and place_order against pgbench's TPC-B, same clients
#   3. execute() on crossing books of 10,000 and 100,000 orders against the
#      set-based floor, and its growth
#   4. execute() with fees against the same book without fees
#   5. settle() of 100,000 positions, and a pool of 100,000 commitments
#      resolved, finalized and settled, against their set-based floors
#   6. distribution markets: a trade's C time, and settle() on 100,000
#      positions against the set-based floor
#   7. continuous trading: placements into auto_execute books of 1,000,
#      10,000 and 100,000 resting orders (price_time and pro_rata) against
#      the 1,000-order rate, crossing placements against TPC-B
#   8. markets in parallel: 1, 2, 4 markets from as many clients, notify on
#      and off, against one market, with the waits sampled
set -eu
cd "$(dirname "$0")/.."
PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
make -s PG_CONFIG="$PG_CONFIG"
make -s PG_CONFIG="$PG_CONFIG" install >/dev/null

echo "== the matching core alone"
cc -std=c99 -O2 -Isrc -o bench/core_bench bench/core_bench.c src/match.c src/escrow.c
bench/core_bench 100000
bench/core_bench 1000000

echo "== the distribution-market arithmetic alone"
cc -std=c99 -O2 -Isrc -o bench/distribution_core bench/distribution_core.c src/distribution_math.c -lm
bench/distribution_core 100000

echo "== throughput against pgbench TPC-B, execute() against the floor, continuous trading, markets in parallel"
sh mk/virtualenv.sh -o shared_preload_libraries=market -o max_connections=100 \
	sh -c 'sh bench/pgbench.sh "$0" && sh bench/execute.sh && sh bench/execute_fees.sh && sh bench/settle.sh && sh bench/pools.sh && sh bench/distribution.sh && sh bench/continuous.sh "$0" && sh bench/parallel.sh "$0"' "$($PG_CONFIG --bindir)"
