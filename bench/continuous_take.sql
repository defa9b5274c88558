-- A crossing placement (bench/continuous.sh): 1 to 3 contracts, ioc, bought
-- at the best ask (0.51) or sold at the best bid (0.49).
\set q random(1, 3)
\set s random(0, 1)
SELECT market.place_order(t.account, :outcome, CASE :s WHEN 0 THEN 'buy' ELSE 'sell' END,
		:q, CASE :s WHEN 0 THEN 0.51 ELSE 0.49 END, 'ioc')
  FROM takers t WHERE t.client = :client_id;
