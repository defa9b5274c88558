-- One chunk of the resting orders of bench/continuous.sh: CONT_CHUNK orders
-- of one market, placed through market.place_order in one transaction, in
-- account order (chunks of different markets share accounts: locked in one
-- order, they cannot deadlock).
SELECT count(market.place_order(p.account, p.outcome, p.side, p.quantity, p.price))
  FROM (SELECT * FROM plan WHERE chunk = (SELECT nextval('chunk_seq')) ORDER BY account) p;
