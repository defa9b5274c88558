\set n random(1, :accounts)
SELECT market.deposit((SELECT id FROM market.accounts WHERE label = 'bench' || :n), 1.000001);
