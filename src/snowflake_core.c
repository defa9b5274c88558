/*
 * snowflake_core.c
 *	  Pure arithmetic of snowflake ids; see snowflake_core.h.
 *
 * No PostgreSQL calls here: the unit tests link this file alone.
 */
#include "snowflake_core.h"

#define SEQ_MASK	((UINT64_C(1) << SNOWFLAKE_SEQ_BITS) - 1)
#define NODE_MASK	((UINT64_C(1) << SNOWFLAKE_NODE_BITS) - 1)

uint64_t
snowflake_advance(uint64_t last, int64_t now_ms)
{
	uint64_t	first_of_now;

	if (now_ms < 0)
		now_ms = 0;
	first_of_now = (uint64_t) now_ms << SNOWFLAKE_SEQ_BITS;
	return first_of_now > last ? first_of_now : last + 1;
}

int64_t
snowflake_compose(uint64_t state, int node)
{
	uint64_t	ms = state >> SNOWFLAKE_SEQ_BITS;
	uint64_t	seq = state & SEQ_MASK;

	return (int64_t) ((ms << (SNOWFLAKE_NODE_BITS + SNOWFLAKE_SEQ_BITS)) |
					  (((uint64_t) node & NODE_MASK) << SNOWFLAKE_SEQ_BITS) |
					  seq);
}

int64_t
snowflake_ms(int64_t id)
{
	return (int64_t) ((uint64_t) id >> (SNOWFLAKE_NODE_BITS + SNOWFLAKE_SEQ_BITS));
}

int
snowflake_node(int64_t id)
{
	return (int) (((uint64_t) id >> SNOWFLAKE_SEQ_BITS) & NODE_MASK);
}

int
snowflake_sequence(int64_t id)
{
	return (int) ((uint64_t) id & SEQ_MASK);
}
