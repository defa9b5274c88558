/*
 * snowflake_core.h
 *	  The arithmetic of market's 64-bit time-ordered identifiers.
 *
 * A snowflake is, from the most significant bit down:
 *
 *	  1 bit	  always 0, so ids are positive bigints
 *	 41 bits  milliseconds since SNOWFLAKE_EPOCH_UNIX_MS (2024-01-01 UTC)
 *	 10 bits  node id (GUC market.node_id, 0-1023)
 *	 12 bits  sequence within the millisecond
 *
 * The generator state shared by every backend of a server is one 64-bit
 * word, "ms << 12 | sequence", advanced with compare-and-swap.  This file
 * holds only the pure arithmetic, so it can be unit tested without a
 * server; snowflake.c owns the shared memory and the SQL functions.
 */
#ifndef MARKET_SNOWFLAKE_CORE_H
#define MARKET_SNOWFLAKE_CORE_H

#include <stdint.h>

#define SNOWFLAKE_EPOCH_UNIX_MS	INT64_C(1704067200000)	/* 2024-01-01 */
#define SNOWFLAKE_TIME_BITS		41
#define SNOWFLAKE_NODE_BITS		10
#define SNOWFLAKE_SEQ_BITS		12
#define SNOWFLAKE_MAX_NODE		((1 << SNOWFLAKE_NODE_BITS) - 1)
#define SNOWFLAKE_MAX_MS		((INT64_C(1) << SNOWFLAKE_TIME_BITS) - 1)

/*
 * The state that follows "last" when the clock reads now_ms (milliseconds
 * since the snowflake epoch): the first sequence number of now_ms if the
 * clock has moved past the last state's millisecond, else last + 1.  The
 * result is always greater than last, so ids never repeat and never go
 * backwards, even if the wall clock does; more than 4096 ids in one
 * millisecond borrow the next millisecond's numbers.
 */
extern uint64_t snowflake_advance(uint64_t last, int64_t now_ms);

/* The id for a generator state and a node id. */
extern int64_t snowflake_compose(uint64_t state, int node);

/* The parts of an id. */
extern int64_t snowflake_ms(int64_t id);	/* ms since the snowflake epoch */
extern int	snowflake_node(int64_t id);
extern int	snowflake_sequence(int64_t id);

#endif							/* MARKET_SNOWFLAKE_CORE_H */
