/*
 * snowflake.c
 *	  market.snowflake(): 64-bit time-ordered ids unique across backends.
 *
 * Design: the layout and arithmetic are in snowflake_core.c.  This file
 * keeps the generator state, one pg_atomic_uint64 holding
 * "ms since epoch << 12 | sequence", in shared memory requested at
 * postmaster start.  Each id is taken by a compare-and-swap loop that moves
 * the state to snowflake_advance(old, now): no lock is held, no backend
 * waits for another, and every id handed out is strictly greater than every
 * id handed out before it on this server.  The node id (GUC market.node_id)
 * is only composed into the result, so changing it on reload is safe.
 *
 * Ordering guarantee used by the ledger: an id taken after a row lock was
 * acquired is greater than any id taken by a transaction that released the
 * lock before, because the state is shared and only moves forward.
 *
 * Caveat: the state lives in memory.  If the wall clock is set back across
 * a server restart, ids of the lost interval could repeat; the primary
 * keys on every table refuse such a duplicate rather than accept it.
 */
#include "postgres.h"

#include "catalog/pg_authid_d.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "port/atomics.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/acl.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

#include "market.h"
#include "snowflake_core.h"

typedef struct SnowflakeShared
{
	pg_atomic_uint64 state;
} SnowflakeShared;

static SnowflakeShared *snowflake_shared = NULL;
static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

/* Unix epoch ms of PostgreSQL's timestamp epoch, 2000-01-01. */
#define PG_EPOCH_UNIX_MS	INT64CONST(946684800000)

static void
snowflake_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(MAXALIGN(sizeof(SnowflakeShared)));
}

static void
snowflake_shmem_startup(void)
{
	bool		found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();

	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	snowflake_shared = ShmemInitStruct("market snowflake",
									   sizeof(SnowflakeShared), &found);
	if (!found)
		pg_atomic_init_u64(&snowflake_shared->state, 0);
	LWLockRelease(AddinShmemInitLock);
}

/* Called from _PG_init while shared_preload_libraries are loading. */
void
market_snowflake_shmem_init(void)
{
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = snowflake_shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = snowflake_shmem_startup;
}

/*
 * Raise 55000 unless the library was preloaded, that is unless the
 * shared memory was set up at server start (the hooks above are installed
 * only while shared_preload_libraries load).  The hint names the
 * configuration file to edit: its path (the setting config_file) when the
 * user may read it, a superuser or a member of pg_read_all_settings, else
 * just postgresql.conf.  The user is the one outside any SECURITY DEFINER
 * function, so that an API function owned by a superuser does not show
 * the path to whoever calls it.
 */
void
market_require_preload(void)
{
	Oid			user = GetOuterUserId();
	const char *config_file = NULL;

	if (snowflake_shared != NULL)
		return;

	if (superuser_arg(user) ||
		has_privs_of_role(user, ROLE_PG_READ_ALL_SETTINGS))
		config_file = GetConfigOption("config_file", true, false);

	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("market must be loaded via shared_preload_libraries"),
			 errdetail("Snowflake ids need shared memory that is set up at server start."),
			 errhint("Add market to shared_preload_libraries in %s and restart the server.",
					 config_file ? config_file : "postgresql.conf")));
}

/*
 * market_internal.require_preload() -> void
 *	  Called by the install and update scripts of 0.2 and later, so that
 *	  CREATE EXTENSION and ALTER EXTENSION UPDATE refuse on a server that
 *	  did not preload the library.  The scripts drop it again.
 */
PG_FUNCTION_INFO_V1(market_require_preload_sql);
Datum
market_require_preload_sql(PG_FUNCTION_ARGS)
{
	market_require_preload();
	PG_RETURN_VOID();
}

/*
 * Take the next id.  Raises 55000 if the library was not preloaded.
 */
int64
market_snowflake_next(void)
{
	int64		now_ms;
	uint64		old;
	uint64		new;

	market_require_preload();

	now_ms = GetCurrentTimestamp() / 1000 + PG_EPOCH_UNIX_MS -
		SNOWFLAKE_EPOCH_UNIX_MS;

	old = pg_atomic_read_u64(&snowflake_shared->state);
	for (;;)
	{
		new = snowflake_advance(old, now_ms);
		if (pg_atomic_compare_exchange_u64(&snowflake_shared->state, &old, new))
			break;
	}

	if ((new >> SNOWFLAKE_SEQ_BITS) > (uint64) SNOWFLAKE_MAX_MS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("snowflake clock is past the end of the id space")));

	return snowflake_compose(new, market_node_id);
}

/*
 * market.snowflake() -> bigint
 */
PG_FUNCTION_INFO_V1(market_snowflake);
Datum
market_snowflake(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(market_snowflake_next());
}

/*
 * market.snowflake_time(id bigint) -> timestamptz
 *	  The millisecond an id was generated in.
 */
PG_FUNCTION_INFO_V1(market_snowflake_time);
Datum
market_snowflake_time(PG_FUNCTION_ARGS)
{
	int64		id = PG_GETARG_INT64(0);

	if (id < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("snowflake id must not be negative")));

	PG_RETURN_TIMESTAMPTZ((snowflake_ms(id) + SNOWFLAKE_EPOCH_UNIX_MS -
						   PG_EPOCH_UNIX_MS) * 1000);
}
