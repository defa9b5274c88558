/*
 * pools.h
 *	  Parimutuel pools (SPEC section 10): the hooks the shared files call.
 *
 * A market of kind 'parimutuel' has no book: cash is committed to it by
 * place_commitment (pools.c), and each resolution writes a payout
 * distribution instead of fixing payouts per contract.  resolution.c,
 * settlement.c, orders.c and invariants.c call these at one point each,
 * when the market is a pool.
 */
#ifndef MARKET_POOLS_H
#define MARKET_POOLS_H

#include "funcapi.h"

#include "market.h"

extern bool market_is_pool(const MarketRow *m);

/* orders.c: order functions refuse a pool (42809) */
extern void market_pool_refuse_orders(const MarketRow *m);

/* resolution.c, with the market's freeze lock held */
extern void market_pool_refuse_vector(const MarketRow *m);
extern void market_pool_distribute(const MarketRow *m, int32 winner_number);
extern void market_pool_dispute(const MarketRow *m);
extern void market_pool_finalize(const MarketRow *m);
extern void market_pool_cancel(const MarketRow *m);

/* settlement.c: pay the pool's completed distribution */
extern void market_pool_settle(const MarketRow *m, int64 account, bool everyone,
							   int64 limit, ReturnSetInfo *rsinfo);

/* invariants.c: invariant 4 for a pool, at commit (inside SPI) */
extern void market_pool_check(int64 market);

/*
 * check_invariants' rows for pools: a pool's collateral is its
 * commitments less what its completed distributions paid; each
 * distribution's payouts and fees add up to its pool, which is the pool's
 * commitments; a completed distribution's settlements add up to its
 * payouts; every commitment has one row per distribution.
 */
#define MARKET_POOL_INVARIANTS_SQL \
" UNION ALL" \
" SELECT 'pool_collateral'," \
"        format('market %s (pool): collateral %s, commitments %s less paid %s', m.number," \
"               c.balance * 0.000001, k.total * 0.000001, p.paid * 0.000001)" \
"   FROM market.markets m JOIN market.accounts c ON c.id = m.collateral," \
"        LATERAL (SELECT coalesce(sum(amount), 0) AS total FROM market.commitments" \
"                  WHERE market = m.id) k," \
"        LATERAL (SELECT coalesce(sum(d.house_fee + d.creator_fee" \
"                        + coalesce((SELECT sum(s.amount) FROM market.settlements s" \
"                                     WHERE s.distribution = d.id AND s.paid_at IS NOT NULL), 0)), 0) AS paid" \
"                   FROM market.distributions d WHERE d.market = m.id AND d.status = 'completed') p" \
"  WHERE m.kind = 'parimutuel' AND c.balance <> k.total - p.paid" \
" UNION ALL" \
" SELECT 'distribution_exact'," \
"        format('distribution %s: payouts %s + fees %s, pool %s, commitments %s', d.id," \
"               x.payouts * 0.000001, (d.house_fee + d.creator_fee) * 0.000001, d.pool * 0.000001," \
"               k.total * 0.000001)" \
"   FROM market.distributions d," \
"        LATERAL (SELECT coalesce(sum(payout), 0) AS payouts, count(*) AS n" \
"                   FROM market.distribution_commitments WHERE distribution = d.id) x," \
"        LATERAL (SELECT coalesce(sum(amount), 0) AS total, count(*) AS n" \
"                   FROM market.commitments WHERE market = d.market) k" \
"  WHERE x.payouts + d.house_fee + d.creator_fee <> d.pool OR x.payouts <> d.payouts" \
"     OR d.pool <> k.total OR x.n <> k.n" \
" UNION ALL" \
" SELECT 'distribution_paid_once'," \
"        format('distribution %s (%s): settlements %s, payouts %s', d.id, d.status," \
"               coalesce(s.owed, 0) * 0.000001, d.payouts * 0.000001)" \
"   FROM market.distributions d" \
"   LEFT JOIN LATERAL (SELECT sum(amount) AS owed, sum(amount) FILTER (WHERE paid_at IS NOT NULL) AS paid" \
"                        FROM market.settlements WHERE distribution = d.id) s ON true" \
"  WHERE (d.status = 'completed' AND coalesce(s.owed, 0) <> d.payouts)" \
"     OR (d.status IN ('pending', 'disputed', 'cancelled') AND s.owed IS NOT NULL)" \
"     OR coalesce(s.paid, 0) > d.payouts"

#endif							/* MARKET_POOLS_H */
