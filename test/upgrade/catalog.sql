-- test/upgrade/catalog.sql: a normalized listing of everything the market
-- extension puts into a database, for comparing an updated database with a
-- fresh install (test/upgrade/run.sh diffs the listings of the two).
--
-- One row per object or property, "section | name" then the value, sorted.
-- No OID appears: objects are named (pg_describe_object, regprocedure,
-- regclass with search_path = pg_catalog, so fully qualified), and ACLs are
-- printed as aclitems, which name roles.  Roles are cluster-wide, so both
-- databases of a run name the same ones.
--
-- Normalizations (what is equal although stored differently):
--   * ACLs: the items sorted, and a NULL ACL (the default) spelt out as
--     acldefault(); the order of GRANTs does not matter, what they grant does.
--   * columns: compared by name.  Their position is the rank among the live
--     columns, not attnum: an update that drops a column leaves a hole in
--     attnum that a fresh install does not have, and nothing sees it.  The
--     order of the live columns is compared (SELECT *, the row type that
--     execute() returns, COPY without a column list all see it): a column an
--     update adds with ALTER TABLE ADD COLUMN goes last, so the full install
--     script puts it last too.
--   * proconfig and column options: sorted.  The server this was written on
--     keeps a per-table number "pg_attver=..." in attoptions, which no
--     script sets: it is left out.
-- Everything else is compared as PostgreSQL prints it back.
SET search_path = pg_catalog;
SET client_min_messages = warning;

CREATE FUNCTION pg_temp.acl(a aclitem[], kind "char", owner oid) RETURNS text
	LANGUAGE sql STABLE
	AS $$ SELECT coalesce(string_agg(i::text, ' ' ORDER BY i::text), '(none)')
			FROM unnest(coalesce(a, acldefault(kind, owner))) i $$;

WITH ext AS (
	SELECT * FROM pg_extension WHERE extname = 'market'
), ns AS (
	-- the extension's schema, its member schemas, and market_internal
	SELECT n.oid, n.nspname FROM pg_namespace n
	 WHERE n.oid = (SELECT extnamespace FROM ext)
		OR n.nspname IN ('market', 'market_internal')
		OR EXISTS (SELECT FROM pg_depend d, ext
					WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid
					  AND d.refclassid = 'pg_extension'::regclass
					  AND d.refobjid = ext.oid AND d.deptype = 'e')
), rel AS (
	SELECT c.*, c.oid::regclass::text AS name FROM pg_class c
	 WHERE c.relnamespace IN (SELECT oid FROM ns) AND c.relkind <> 't'
), fn AS (
	SELECT p.*, p.oid::regprocedure::text AS name FROM pg_proc p
	 WHERE p.pronamespace IN (SELECT oid FROM ns)
), listing(section, name, value) AS (
	-- the extension itself
	SELECT 'extension', extname::text,
		   format('version %s, owner %s, schema %s, relocatable %s', extversion,
				  extowner::regrole, extnamespace::regnamespace, extrelocatable)
	  FROM ext
	UNION ALL
	SELECT 'extension config', t.cfg::regclass::text, coalesce(t.cond, '(none)')
	  FROM ext, unnest(ext.extconfig, ext.extcondition) t(cfg, cond)
	UNION ALL
	-- which objects belong to the extension, and what else it depends on
	SELECT 'extension dependency',
		   pg_describe_object(d.classid, d.objid, d.objsubid) || ' -> ' ||
		   pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid),
		   'deptype ' || d.deptype::text
	  FROM pg_depend d, ext
	 WHERE (d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid)
		OR (d.classid = 'pg_extension'::regclass AND d.objid = ext.oid)
	UNION ALL
	-- schemas
	SELECT 'schema', n.nspname,
		   format('owner %s, acl %s', n.nspowner::regrole,
				  pg_temp.acl(n.nspacl, 'n', n.nspowner))
	  FROM pg_namespace n WHERE n.oid IN (SELECT oid FROM ns)
	UNION ALL
	-- tables, views, sequences, indexes, types of the schemas
	SELECT 'relation', r.name,
		   format('kind %s, owner %s, persistence %s, rls %s, force rls %s, replident %s, options %s, acl %s, partkey %s',
				  r.relkind, r.relowner::regrole, r.relpersistence, r.relrowsecurity,
				  r.relforcerowsecurity, r.relreplident, coalesce(r.reloptions::text, '(none)'),
				  pg_temp.acl(r.relacl, (CASE r.relkind WHEN 'S' THEN 's' ELSE 'r' END)::"char", r.relowner),
				  coalesce(pg_get_partkeydef(r.oid), '(none)'))
	  FROM rel r
	UNION ALL
	SELECT 'column', r.name || '.' || a.attname,
		   format('position %s, type %s, not null %s, default %s, identity %s, generated %s, collation %s, storage %s, options %s, acl %s',
				  rank() OVER (PARTITION BY a.attrelid ORDER BY a.attnum),
				  format_type(a.atttypid, a.atttypmod), a.attnotnull,
				  coalesce(pg_get_expr(ad.adbin, ad.adrelid), '(none)'),
				  coalesce(nullif(a.attidentity, ''), '-'), coalesce(nullif(a.attgenerated, ''), '-'),
				  CASE WHEN a.attcollation <> 0 THEN a.attcollation::regcollation::text ELSE '-' END,
				  a.attstorage,
				  coalesce((SELECT string_agg(o, ',' ORDER BY o) FROM unnest(a.attoptions) o
							 WHERE o NOT LIKE 'pg\_attver=%'), '(none)'),
				  coalesce(pg_temp.acl(a.attacl, 'c', r.relowner), '(none)'))
	  FROM rel r
	  JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
	  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
	 WHERE r.relkind <> 'i' AND r.relkind <> 'I'
	UNION ALL
	SELECT 'constraint', CASE WHEN c.conrelid <> 0 THEN c.conrelid::regclass::text
							  ELSE c.contypid::regtype::text END || ' ' || c.conname,
		   format('type %s, deferrable %s, deferred %s, validated %s, no inherit %s, index %s: %s',
				  c.contype, c.condeferrable, c.condeferred, c.convalidated, c.connoinherit,
				  CASE WHEN c.conindid <> 0 THEN c.conindid::regclass::text ELSE '(none)' END,
				  pg_get_constraintdef(c.oid))
	  FROM pg_constraint c
	 WHERE c.connamespace IN (SELECT oid FROM ns)
	UNION ALL
	SELECT 'index', i.indexrelid::regclass::text,
		   format('valid %s, clustered %s, replident %s: %s', i.indisvalid, i.indisclustered,
				  i.indisreplident, pg_get_indexdef(i.indexrelid))
	  FROM pg_index i WHERE i.indrelid IN (SELECT oid FROM rel)
	UNION ALL
	SELECT 'trigger', t.tgrelid::regclass::text || ' ' || t.tgname,
		   format('enabled %s, deferrable %s, initially deferred %s: %s', t.tgenabled,
				  t.tgdeferrable, t.tginitdeferred, pg_get_triggerdef(t.oid))
	  FROM pg_trigger t WHERE t.tgrelid IN (SELECT oid FROM rel) AND NOT t.tgisinternal
	UNION ALL
	SELECT 'rule', r.ev_class::regclass::text || ' ' || r.rulename,
		   format('enabled %s: %s', r.ev_enabled, pg_get_ruledef(r.oid))
	  FROM pg_rewrite r
	 WHERE r.ev_class IN (SELECT oid FROM rel) AND r.rulename <> '_RETURN'
	UNION ALL
	SELECT 'policy', p.polrelid::regclass::text || ' ' || p.polname,
		   format('permissive %s, command %s, roles %s, using %s, with check %s',
				  p.polpermissive, p.polcmd,
				  (SELECT string_agg(x, ',' ORDER BY x)
					 FROM unnest(p.polroles) r,
						  LATERAL (SELECT CASE WHEN r = 0 THEN 'public' ELSE r::regrole::text END) l(x)),
				  coalesce(pg_get_expr(p.polqual, p.polrelid), '(none)'),
				  coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '(none)'))
	  FROM pg_policy p WHERE p.polrelid IN (SELECT oid FROM rel)
	UNION ALL
	SELECT 'view', r.name,
		   format('options %s:%s', coalesce(r.reloptions::text, '(none)'),
				  pg_get_viewdef(r.oid, true))
	  FROM rel r WHERE r.relkind IN ('v', 'm')
	UNION ALL
	SELECT 'sequence', s.seqrelid::regclass::text,
		   format('type %s, start %s, increment %s, min %s, max %s, cache %s, cycle %s, owned by %s',
				  s.seqtypid::regtype, s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
				  s.seqcache, s.seqcycle,
				  coalesce((SELECT pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid)
							  FROM pg_depend d
							 WHERE d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
							   AND d.deptype IN ('a', 'i') AND d.refclassid = 'pg_class'::regclass),
						   '(none)'))
	  FROM pg_sequence s WHERE s.seqrelid IN (SELECT oid FROM rel)
	UNION ALL
	SELECT 'type', t.oid::regtype::text,
		   format('type %s, owner %s, acl %s, not null %s, default %s, base %s, labels %s',
				  t.typtype, t.typowner::regrole, pg_temp.acl(t.typacl, 'T', t.typowner),
				  t.typnotnull, coalesce(t.typdefault, '(none)'),
				  CASE WHEN t.typbasetype <> 0 THEN format_type(t.typbasetype, t.typtypmod) END,
				  (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
					 FROM pg_enum e WHERE e.enumtypid = t.oid))
	  FROM pg_type t WHERE t.typnamespace IN (SELECT oid FROM ns)
	UNION ALL
	-- functions: the whole definition, and what pg_get_functiondef leaves out
	SELECT 'function', f.name,
		   format('kind %s, owner %s, security definer %s, config %s, acl %s%s', f.prokind,
				  f.proowner::regrole, f.prosecdef,
				  coalesce((SELECT string_agg(c, ', ' ORDER BY c) FROM unnest(f.proconfig) c), '(none)'),
				  pg_temp.acl(f.proacl, 'f', f.proowner),
				  CASE WHEN f.prokind IN ('f', 'p', 'w') THEN ':' || chr(10) || pg_get_functiondef(f.oid) ELSE '' END)
	  FROM fn f
	UNION ALL
	SELECT 'event trigger', e.evtname,
		   format('event %s, function %s, enabled %s, tags %s, owner %s', e.evtevent,
				  e.evtfoid::regprocedure, e.evtenabled, e.evttags, e.evtowner::regrole)
	  FROM pg_event_trigger e
	UNION ALL
	SELECT 'default acl', format('%s %s %s', CASE WHEN d.defaclnamespace <> 0
								 THEN d.defaclnamespace::regnamespace::text ELSE '(all)' END,
								d.defaclrole::regrole, d.defaclobjtype),
		   pg_temp.acl(d.defaclacl, 'r', d.defaclrole)
	  FROM pg_default_acl d
	UNION ALL
	-- what pg_dump takes for the extension's own privileges
	SELECT 'initial privileges', pg_describe_object(i.classoid, i.objoid, i.objsubid),
		   coalesce((SELECT string_agg(a::text, ' ' ORDER BY a::text) FROM unnest(i.initprivs) a), '(none)')
	  FROM pg_init_privs i WHERE i.privtype = 'e'
	UNION ALL
	-- every comment on an object made after initdb: only the extension makes any
	SELECT 'comment', pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description
	  FROM pg_description d WHERE d.objoid >= 16384
	UNION ALL
	-- the rows the script itself inserts
	SELECT 'system account', a.id::text, format('label %s, kind %s, owner %s', a.label, a.kind, a.owner)
	  FROM market.accounts a WHERE a.kind IN ('external', 'house')
)
SELECT section || ' | ' || name || ' | ' || value FROM listing ORDER BY section, name, value;
