\set acct random(1, :accounts)
\set mkt random(1, 2)
\set outcome random(1, 2)
\set p random(30, 70)
SELECT trade((SELECT id FROM market.accounts WHERE label = 'trader' || :acct),
		market.outcome_id(market.market_id(:mkt), :outcome),
		CASE WHEN :p % 2 = 0 THEN 'buy' ELSE 'sell' END, 1 + :p % 5, :p / 100.0);
