\set acct random(1, :accounts)
SELECT market.deposit((SELECT id FROM market.accounts WHERE label = 'trader' || :acct), 1);
