/*
 * test_snowflake.c
 *	  Unit tests of the snowflake arithmetic (src/snowflake_core.c).
 */
#include <inttypes.h>
#include <stdint.h>

#include "snowflake_core.h"
#include "unit.h"

int
main(void)
{
	uint64_t	s;
	uint64_t	prev;
	int64_t		id;
	int64_t		previd;
	int			i;
	int			monotonic = 1;

	/* A fresh millisecond starts at sequence 0. */
	s = snowflake_advance(0, 1000);
	CHECK(s == (UINT64_C(1000) << 12), "first id of a millisecond has sequence 0");

	/* The same millisecond counts up. */
	CHECK(snowflake_advance(s, 1000) == s + 1, "second id in the same ms takes the next sequence");

	/* The clock going backwards never yields a smaller state. */
	CHECK(snowflake_advance(s, 999) == s + 1, "a clock that steps back still advances the state");
	CHECK(snowflake_advance(s, -5) == s + 1, "a clock before the epoch still advances the state");

	/* 4096 ids in one millisecond borrow the next one, still unique. */
	prev = snowflake_advance(0, 7);
	for (i = 0; i < 5000; i++)
	{
		s = snowflake_advance(prev, 7);
		if (s <= prev)
			monotonic = 0;
		prev = s;
	}
	CHECK(monotonic, "5000 ids in one millisecond are strictly increasing");
	CHECK((prev >> 12) == 8, "the 4097th id of a millisecond borrows the next millisecond (got ms %" PRIu64 ")", prev >> 12);

	/* Composition and decomposition. */
	id = snowflake_compose((UINT64_C(123456789) << 12) | 42, 513);
	CHECK(id > 0, "ids are positive");
	CHECK(snowflake_ms(id) == 123456789, "ms survives composition");
	CHECK(snowflake_node(id) == 513, "node survives composition");
	CHECK(snowflake_sequence(id) == 42, "sequence survives composition");

	/* The largest time still gives a positive id. */
	id = snowflake_compose((uint64_t) SNOWFLAKE_MAX_MS << 12 | 4095, SNOWFLAKE_MAX_NODE);
	CHECK(id > 0 && id == INT64_MAX, "the last representable id is INT64_MAX");

	/* Time order: a later state gives a larger id whatever the node. */
	previd = snowflake_compose(UINT64_C(5000) << 12 | 4095, SNOWFLAKE_MAX_NODE);
	id = snowflake_compose(UINT64_C(5001) << 12, 0);
	CHECK(id > previd, "an id of a later millisecond sorts after every id of an earlier one");

	/* Within a node, ids follow the state order. */
	monotonic = 1;
	prev = 0;
	previd = 0;
	for (i = 0; i < 10000; i++)
	{
		prev = snowflake_advance(prev, 100 + i / 3000);
		id = snowflake_compose(prev, 7);
		if (id <= previd)
			monotonic = 0;
		previd = id;
	}
	CHECK(monotonic, "ids of one node are strictly increasing with the state");

	return UNIT_DONE();
}
