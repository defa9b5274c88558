\set n random(1, :accounts)
SELECT market.withdraw((SELECT id FROM market.accounts WHERE label = 'bench' || :n), 0.5);
