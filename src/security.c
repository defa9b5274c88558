/*
 * security.c
 *	  Who is calling, and may they do this?
 *
 * Every SQL function of the extension is SECURITY DEFINER, so inside it
 * GetUserId() is the extension's owner.  The caller is the role the
 * session acts as, GetOuterUserId(): the login role, or the role chosen by
 * SET ROLE.  (A SECURITY DEFINER function of another owner that calls into
 * market is therefore judged by the session's role, not by its owner; the
 * conservative choice, since it never grants more than the session has.)
 *
 * The four roles of SPEC section 12:
 *	  market_admin	  creates and governs markets, reads everything
 *	  market_operator an application back end: moves cash and acts for any
 *					  account
 *	  market_trader	  acts only for accounts whose owner role it has the
 *					  privileges of
 *	  market_oracle	  resolves the markets it is oracle of
 * "Has the role" means has_privs_of_role(), so superusers pass every check
 * and role inheritance works as everywhere in PostgreSQL.  Every refusal is
 * SQLSTATE 42501 with a hint naming the role or the ownership needed.
 *
 * Triggers.  The checks that run at commit (deferred constraint triggers)
 * run as whoever commits: a trader, an oracle, the role pg_cron logs in
 * as.  Row-level security would hide from them exactly the rows the check
 * must read (the collateral account's journal, other traders' holdings).
 * Like ri_triggers.c, a trigger of the extension therefore switches to the
 * owner of the table it fires on for the statements it runs, with
 * SECURITY_LOCAL_USERID_CHANGE so that nothing it calls can SET ROLE
 * around the switch; transaction abort restores the caller on error.  The
 * trigger only reads; nothing the caller could not do becomes possible.
 */
#include "postgres.h"

#include "commands/trigger.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/rel.h"

#include "market.h"

Oid
market_caller(void)
{
	return GetOuterUserId();
}

static bool
caller_has_role(const char *rolename)
{
	Oid			role = get_role_oid(rolename, true);

	if (!OidIsValid(role))
		return superuser_arg(market_caller());
	return has_privs_of_role(market_caller(), role);
}

/*
 * Is role one of the extension's four roles?  An account owned by one of
 * them would belong to every member of it; no trader may act for such an
 * account (an operator may, as for every account).
 */
bool
market_is_extension_role(Oid role)
{
	static const char *const names[] = {
		"market_admin", "market_operator", "market_trader", "market_oracle"
	};

	for (size_t i = 0; i < lengthof(names); i++)
		if (get_role_oid(names[i], true) == role)
			return true;
	return false;
}

/* Does the caller have any of the roles in the bit mask? */
bool
market_caller_has(int roles)
{
	if ((roles & MARKET_ROLE_ADMIN) && caller_has_role("market_admin"))
		return true;
	if ((roles & MARKET_ROLE_OPERATOR) && caller_has_role("market_operator"))
		return true;
	if ((roles & MARKET_ROLE_TRADER) && caller_has_role("market_trader"))
		return true;
	if ((roles & MARKET_ROLE_ORACLE) && caller_has_role("market_oracle"))
		return true;
	return false;
}

static const char *
roles_text(int roles)
{
	StringInfoData buf;

	initStringInfo(&buf);
	if (roles & MARKET_ROLE_ADMIN)
		appendStringInfoString(&buf, "market_admin");
	if (roles & MARKET_ROLE_OPERATOR)
		appendStringInfo(&buf, "%smarket_operator", buf.len ? " or " : "");
	if (roles & MARKET_ROLE_TRADER)
		appendStringInfo(&buf, "%smarket_trader", buf.len ? " or " : "");
	if (roles & MARKET_ROLE_ORACLE)
		appendStringInfo(&buf, "%smarket_oracle", buf.len ? " or " : "");
	return buf.data;
}

/* Refuse with 42501 unless the caller has one of the roles. */
void
market_require_role(int roles, const char *action)
{
	if (!market_caller_has(roles))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to %s", action),
				 errdetail("Only members of %s may %s.", roles_text(roles), action),
				 errhint("Ask an administrator to GRANT %s to your role.",
						 roles_text(roles))));
}

/*
 * May the caller touch this account?  Operators may act for any account and
 * admins may read any; a trader may read or act only for accounts whose
 * owner role it has the privileges of.  "act" is true for changes (orders,
 * cancellations, claims), false for reads.
 */
void
market_require_account(int64 account, Oid owner, bool act, const char *action)
{
	int			staff = act ? MARKET_ROLE_OPERATOR
		: (MARKET_ROLE_OPERATOR | MARKET_ROLE_ADMIN);

	if (market_caller_has(staff))
		return;
	if (OidIsValid(owner) &&
		market_caller_has(MARKET_ROLE_TRADER) &&
		!market_is_extension_role(owner) &&
		has_privs_of_role(market_caller(), owner))
		return;

	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied to %s for account " INT64_FORMAT,
					action, account),
			 errdetail("A trader may %s only for accounts it owns.", action),
			 errhint("Act for an account whose owner role you are a member of, or as a member of market_operator.")));
}

/*
 * Refuse a trigger function called any other way (SELECT it directly, say)
 * with the trigger-protocol SQLSTATE rather than an internal error.
 */
void
market_require_trigger(FunctionCallInfo fcinfo, const char *name, bool for_each_row)
{
	if (!CALLED_AS_TRIGGER(fcinfo) ||
		(for_each_row &&
		 !TRIGGER_FIRED_FOR_ROW(((TriggerData *) fcinfo->context)->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function %s was not called by the trigger manager", name),
				 errdetail("It is a trigger of the market extension%s.",
						   for_each_row ? ", fired for each row" : ""),
				 errhint("The extension fires it itself; there is no need to call it.")));
}

/* Act as the owner of rel until market_restore_identity(); see above. */
void
market_become_owner(Relation rel, MarketIdentity *save)
{
	GetUserIdAndSecContext(&save->userid, &save->sec_context);
	SetUserIdAndSecContext(rel->rd_rel->relowner,
						   save->sec_context | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_NOFORCE_RLS);
}

void
market_restore_identity(const MarketIdentity *save)
{
	SetUserIdAndSecContext(save->userid, save->sec_context);
}
