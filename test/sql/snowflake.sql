-- Snowflake ids: positive, strictly increasing, time-ordered, unique.

SELECT count(*) AS ids, count(DISTINCT id) AS distinct_ids,
	   bool_and(id > 0) AS all_positive
  FROM (SELECT market.snowflake() AS id FROM generate_series(1, 10000)) s;

-- Drawn one after another, each id is greater than the one before.
SELECT bool_and(id > prev) AS increasing
  FROM (SELECT id, lag(id) OVER (ORDER BY n) AS prev
		  FROM (SELECT n, market.snowflake() AS id
				  FROM generate_series(1, 10000) n) s) t
 WHERE prev IS NOT NULL;

-- The id carries its time (to the millisecond) and the node id.
SELECT abs(extract(epoch FROM market.snowflake_time(market.snowflake()) - clock_timestamp())) < 2
	   AS time_is_now;
SHOW market.node_id;
-- (make test runs the server with market.node_id = 7)
SELECT (market.snowflake() >> 12) & 1023 AS node_bits;

-- The epoch is 2024-01-01 UTC.
SELECT market.snowflake_time(0) AT TIME ZONE 'UTC' AS epoch;
SELECT market.snowflake_time((1000::bigint << 22) | 5) AT TIME ZONE 'UTC' AS one_second_in;
SELECT market.snowflake_time(-1);

-- node_id is set in postgresql.conf, not per session.
SET market.node_id = 3;
