SELECT market.deposit((SELECT id FROM bench_accounts WHERE client = 0), 1);
