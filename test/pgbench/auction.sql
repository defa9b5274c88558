\set mkt random(1, 2)
SELECT count(*) FROM market.execute(market.market_id(:mkt));
