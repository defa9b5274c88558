-- A crossing placement in the client's own auto_execute market
-- (bench/parallel.sh): 1 to 3 contracts, ioc, at the touch.
\set q random(1, 3)
\set s random(0, 1)
SELECT market.place_order(m.taker, m.auto_outcome, CASE :s WHEN 0 THEN 'buy' ELSE 'sell' END,
		:q, CASE :s WHEN 0 THEN 0.51 ELSE 0.49 END, 'ioc')
  FROM par_markets m WHERE m.ix = :client_id;
