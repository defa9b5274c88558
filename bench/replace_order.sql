\set p random(1, 40)
SELECT market.replace_order((SELECT id FROM bench_accounts WHERE client = :client_id),
		market.outcome_id(market.market_id(1), 1), 'buy', 1, :p / 100.0);
