/*
 * market.c
 *	  Module entry point of the market extension: GUCs and shared memory.
 *
 * market must be loaded through shared_preload_libraries: the snowflake
 * generator keeps one word of shared memory so that ids are unique across
 * every backend of the server.  Loaded any other way, CREATE EXTENSION
 * market and ALTER EXTENSION market UPDATE refuse (since 0.2), and in a
 * database still at 0.1 the first id requested raises the same error,
 * which says how to fix the configuration (market_require_preload).
 *
 * GUCs:
 *	  market.node_id (0-1023, sighup)  the node part of every snowflake id;
 *		give each server that writes ids a different one.
 *	  market.notify (bool, user)  send NOTIFY market_events for every event
 *		row written (default on).  See the README for its cost.
 *	  market.allow_drop (bool, superuser)  let a DROP remove market.journal
 *		while it holds entries (default off; see drop_guard.c).
 *	  market.lock_timeout (ms, user)  bound of the operational calls' lock
 *		waits when lock_timeout is not set (locks.c).
 *
 * _PG_init also installs the drop guard's object_access_hook, whenever the
 * library is loaded (preloaded, or loaded by a function call in a session).
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/guc.h"

#include "market.h"
#include "snowflake_core.h"

PG_MODULE_MAGIC;

int			market_node_id = 0;
bool		market_notify = true;
bool		market_allow_drop = false;

void		_PG_init(void);

void
_PG_init(void)
{
	DefineCustomIntVariable("market.node_id",
							"Node id written into every snowflake id.",
							"Each server that generates ids must have its own node id.",
							&market_node_id,
							0, 0, SNOWFLAKE_MAX_NODE,
							PGC_SIGHUP, 0,
							NULL, NULL, NULL);

	DefineCustomBoolVariable("market.notify",
							 "Send NOTIFY market_events for every event.",
							 NULL,
							 &market_notify,
							 true,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);

	DefineCustomBoolVariable("market.allow_drop",
							 "Allow dropping the market ledger while its journal holds entries.",
							 "Off, DROP EXTENSION market (or anything else that drops market.journal) fails while the journal holds entries.",
							 &market_allow_drop,
							 false,
							 PGC_SUSET, 0,
							 NULL, NULL, NULL);
	market_locks_init();

	MarkGUCPrefixReserved("market");

	market_drop_guard_init();

	if (process_shared_preload_libraries_in_progress)
		market_snowflake_shmem_init();
}
