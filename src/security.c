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
 * SQLSTATE 42501.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"

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
				 errdetail("Only members of %s may %s.", roles_text(roles), action)));
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
		has_privs_of_role(market_caller(), owner))
		return;

	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied to %s for account " INT64_FORMAT,
					action, account),
			 errdetail("A trader may %s only for accounts it owns.", action)));
}
