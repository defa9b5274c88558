SET market.notify = off;
SELECT market.deposit((SELECT id FROM bench_accounts WHERE client = :client_id), 1);
