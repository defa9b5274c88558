INSERT INTO ids SELECT market.snowflake() FROM generate_series(1, 100);
