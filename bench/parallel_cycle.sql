-- A batch cycle in the client's own market (bench/parallel.sh): a buy and a
-- sell that cross at 0.50 (ioc), then execute() over the whole book.
\set q random(1, 3)
SELECT market.place_order(m.buyer, m.batch_outcome, 'buy', :q, 0.50, 'ioc')
  FROM par_markets m WHERE m.ix = :client_id;
SELECT market.place_order(m.seller, m.batch_outcome, 'sell', :q, 0.50, 'ioc')
  FROM par_markets m WHERE m.ix = :client_id;
SELECT count(*) FROM market.execute((SELECT batch_market FROM par_markets WHERE ix = :client_id));
