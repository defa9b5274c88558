-- A non-crossing placement (bench/continuous.sh): the client's maker moves
-- its resting order to a random level of its own side of the book, through
-- replace_order, so the book keeps its size.
\set lvl random(0, :levels - 1)
SELECT market.replace_order(p.account, p.outcome, p.side, p.quantity,
		CASE p.side WHEN 'buy' THEN 0.49 - :lvl * 0.01 ELSE 0.51 + :lvl * 0.01 END)
  FROM plan p WHERE p.market = :market AND p.i = :client_id + 1;
