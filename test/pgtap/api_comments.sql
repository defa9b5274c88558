-- Discovery in psql: \df+ market.*, \dv+ and \d+ teach the API.  Every
-- function of schema market (each overload), every table and view, and
-- every column of those has a comment; the description lists what lacks
-- one.  Comments are one-line summaries starting in lower case, as
-- PostgreSQL's own catalog comments do.
\ir common.psql

SELECT plan(7);

SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY 1)
			 FROM pg_proc p
			WHERE p.pronamespace = 'market'::regnamespace
			  AND coalesce(btrim(obj_description(p.oid, 'pg_proc')), '') = ''),
	NULL, 'every function of schema market, every overload, has a comment (else: those listed)');

SELECT is((SELECT array_agg(c.oid::regclass::text ORDER BY 1)
			 FROM pg_class c
			WHERE c.relnamespace = 'market'::regnamespace AND c.relkind IN ('r', 'p')
			  AND coalesce(btrim(obj_description(c.oid, 'pg_class')), '') = ''),
	NULL, 'every table of schema market has a comment (else: those listed)');

SELECT is((SELECT array_agg(c.oid::regclass::text ORDER BY 1)
			 FROM pg_class c
			WHERE c.relnamespace = 'market'::regnamespace AND c.relkind IN ('v', 'm')
			  AND coalesce(btrim(obj_description(c.oid, 'pg_class')), '') = ''),
	NULL, 'every view of schema market has a comment (else: those listed)');

SELECT is((SELECT array_agg(c.oid::regclass::text || '.' || a.attname ORDER BY 1)
			 FROM pg_class c
			 JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
			WHERE c.relnamespace = 'market'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
			  AND coalesce(btrim(col_description(c.oid, a.attnum)), '') = ''),
	NULL, 'every column of every table and view of schema market has a comment (else: those listed)');

-- the checks look at something: the API as the manual lists it
SELECT cmp_ok((SELECT count(*) FROM pg_proc WHERE pronamespace = 'market'::regnamespace),
	'>=', 27::bigint, 'schema market holds the 27 functions of the manual, or more');
SELECT cmp_ok((SELECT count(*) FROM pg_class c
				 JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
				WHERE c.relnamespace = 'market'::regnamespace AND c.relkind IN ('r', 'v')),
	'>=', 223::bigint, 'the tables and views of schema market have their 223 columns, or more');

-- the style: one line, lower case first (an acronym such as OHLC aside)
SELECT is((SELECT array_agg(pg_describe_object(d.classoid, d.objoid, d.objsubid) ORDER BY 1)
			 FROM pg_description d
			 LEFT JOIN pg_proc p ON d.classoid = 'pg_proc'::regclass AND p.oid = d.objoid
			 LEFT JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid
			WHERE (p.pronamespace = 'market'::regnamespace OR c.relnamespace = 'market'::regnamespace)
			  AND (d.description ~ '[\n\r]'
				   OR d.description ~ '^[A-Z][a-z]')),
	NULL, 'every comment of the API is one line starting in lower case (else: those listed)');

SELECT * FROM finish();
ROLLBACK;
