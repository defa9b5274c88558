/*
 * drop_guard.c
 *	  Refuse to drop a ledger that holds entries.
 *
 * DROP EXTENSION market drops market.journal with every other object of the
 * extension, and with it the only record of where every unit of cash came
 * from.  This file makes that drop fail while the journal holds entries,
 * unless a superuser has said the loss is meant:
 *
 *	  SET market.allow_drop = on;	-- PGC_SUSET, default off
 *
 * What is guarded.  The drop of the relation market.journal, however it
 * is reached: DROP EXTENSION market, DROP SCHEMA market CASCADE, DROP TABLE
 * market.journal after ALTER EXTENSION market DROP TABLE detached it, DROP
 * OWNED BY the extension's owner.  (A plain DROP TABLE of the member table
 * is already refused by PostgreSQL with 2BP01.)  Every one of them
 * ends in deleteOneObject() for the journal, which calls object_access_hook
 * with OAT_DROP before anything of the relation is removed; an ERROR there
 * rolls the whole command back.  An empty journal (a fresh install, or one
 * that never took a deposit) drops freely.
 *
 * Why a hook and not an event trigger in the install script: on
 * ddl_command_start an event trigger cannot tell which extension or which
 * objects a DROP will reach (CASCADE is resolved later), and sql_drop does
 * not fire when the extension that owns the trigger is itself dropped.
 * object_access_hook sees every object that is really deleted, whatever the
 * statement.
 *
 * Cost.  The hook runs for every object access of the backend.  It returns
 * at once unless the access is OAT_DROP of a whole relation; then one
 * syscache lookup compares the name with "journal" (and the schema with
 * "market"); only a match reads the table.
 *
 * "Holds entries" is one visible tuple, found with a heap scan under the
 * latest snapshot.  The drop already holds AccessExclusiveLock on the
 * journal (taken while the dependencies were collected), so no writer is in
 * flight, and the latest snapshot sees everything committed before that
 * plus the dropping transaction's own inserts.  The scan stops at the first
 * tuple; it does not count, so a huge journal costs no more than a small
 * one.  No index is used: by the time the journal's own OAT_DROP fires, its
 * indexes (dependent objects) have already been dropped in this command.
 * No SPI inside the hook.
 *
 * Error: 55000 (object_not_in_prerequisite_state): the journal is in a
 * state (non-empty) that forbids the drop.  Not 2BP01
 * (dependent_objects_still_exist), which PostgreSQL raises for DROP ...
 * RESTRICT and which suggests CASCADE as the fix; CASCADE is refused the
 * same way here.
 *
 * When it is active.  The hook is installed by _PG_init, whenever the
 * library is loaded: at server start with shared_preload_libraries =
 * 'market' (which the README requires), and otherwise in any session that
 * has called a market function.  A session that has not loaded the library
 * is not guarded; that is one more reason the library must be preloaded.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/objectaccess.h"
#include "catalog/pg_class.h"
#include "executor/tuptable.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "market.h"

static object_access_hook_type prev_object_access_hook = NULL;

/*
 * Is relid the table market.journal?  The name is compared first, from
 * the syscache, so that the drop of any other relation costs one cache
 * lookup.
 *
 * By name alone, not by membership in the extension: a superuser may have
 * detached the table (ALTER EXTENSION market DROP TABLE), and a drop that
 * reaches the extension through the journal's dependents (its views are
 * members) deletes the extension before the journal, so at the journal's
 * turn neither the membership nor the extension is left to look at.  The
 * price: a user's own table named market.journal, in a database without
 * the extension, is guarded too.
 */
static bool
is_market_journal(Oid relid)
{
	HeapTuple	tuple;
	Form_pg_class form;
	bool		match;
	char	   *nspname;

	tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tuple))
		return false;
	form = (Form_pg_class) GETSTRUCT(tuple);
	match = form->relkind == RELKIND_RELATION &&
		strcmp(NameStr(form->relname), "journal") == 0;
	if (match)
	{
		nspname = get_namespace_name(form->relnamespace);
		match = nspname != NULL && strcmp(nspname, "market") == 0;
	}
	ReleaseSysCache(tuple);
	return match;
}

/* Does the relation hold at least one tuple visible to the latest snapshot? */
static bool
relation_has_rows(Oid relid)
{
	Relation	rel;
	Snapshot	snapshot;
	TableScanDesc scan;
	TupleTableSlot *slot;
	bool		found;

	rel = table_open(relid, AccessShareLock);
	snapshot = RegisterSnapshot(GetLatestSnapshot());
	slot = table_slot_create(rel, NULL);
	scan = table_beginscan(rel, snapshot, 0, NULL);
	found = table_scan_getnextslot(scan, ForwardScanDirection, slot);
	table_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	UnregisterSnapshot(snapshot);
	table_close(rel, AccessShareLock);
	return found;
}

static void
market_object_access(ObjectAccessType access, Oid classId, Oid objectId,
					 int subId, void *arg)
{
	if (prev_object_access_hook)
		prev_object_access_hook(access, classId, objectId, subId, arg);

	if (access != OAT_DROP || classId != RelationRelationId || subId != 0)
		return;
	if (market_allow_drop)
		return;
	if (!is_market_journal(objectId))
		return;
	if (!relation_has_rows(objectId))
		return;

	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("cannot drop the market ledger: market.journal holds entries"),
			 errdetail("Dropping the extension, its schema or the journal table would destroy every account's cash history."),
			 errhint("Take a backup with pg_dump first. To drop it anyway, a superuser runs SET market.allow_drop = on and repeats the command.")));
}

/* Called once by _PG_init, whenever the library is loaded. */
void
market_drop_guard_init(void)
{
	prev_object_access_hook = object_access_hook;
	object_access_hook = market_object_access;
}
