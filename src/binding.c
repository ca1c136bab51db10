/*-------------------------------------------------------------------------
 *
 * binding.c
 *	  The gate between the public binding functions and their internals.
 *
 * The binding functions (salesplan.bind_*, the presets bind_odoo and
 * bind_salesforce, regenerate, unbind, refresh,
 * create_refresh_job, drop_refresh_job) change the shared binding catalog
 * and create, drop and refresh views on behalf of the role that owns a
 * binding.  Their implementations live in schema salesplan_internal as
 * SECURITY DEFINER functions (owned by the extension's owner) that nobody
 * else may execute.  They must know who called them, and a SECURITY
 * DEFINER function cannot: current_user is the definer, and session_user
 * or the "role" setting name some outer role, not the one whose code made
 * the call (a view, a trigger, another SECURITY DEFINER function, a
 * security-restricted maintenance operation all run as someone else).
 *
 * So each public function is this C entry point, run with the caller's
 * rights: it records the effective user id of the call (GetUserId(), which
 * nobody can forge from SQL), then calls the implementation of the same
 * name and argument types in salesplan_internal directly through fmgr, and
 * forgets the caller when the implementation returns or fails.  The
 * implementation reads the caller with salesplan_internal.binding_caller()
 * and checks every privilege against it.
 *
 * salesplan_internal.binding_execute_as() runs generated DDL as the owner of
 * a binding, the way REFRESH MATERIALIZED VIEW runs its query as the
 * view's owner: with the owner's user id, in a security-restricted
 * operation (no SET ROLE back to a superuser session's role) and with
 * setting changes kept local.  So views are created, owned, granted (the
 * owner's default privileges), refreshed and dropped with the rights of the
 * binding's owner, whoever ran regenerate().
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_proc.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/syscache.h"

#define BINDING_INTERNAL_SCHEMA "salesplan_internal"

/* the role whose call to a public binding function is being served */
static Oid	binding_caller = InvalidOid;

/*
 * the role whose rights the binding being built uses (its owner), set by
 * the implementations with binding_act_as() before they read the catalog
 */
static Oid	binding_acting = InvalidOid;

static void
binding_require_call(void)
{
	if (!OidIsValid(binding_caller))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("salesplan's binding internals can only be called through its public functions"),
				 errhint("Call salesplan.bind_funnel(), salesplan.regenerate() and the other functions of schema salesplan.")));
}

/* per-call-site cache of a public entry point: its implementation */
typedef struct BindingEntry
{
	FmgrInfo	impl;
	Oid			impl_owner;
} BindingEntry;

static BindingEntry *
binding_entry_lookup(FunctionCallInfo fcinfo)
{
	Oid			self = fcinfo->flinfo->fn_oid;
	HeapTuple	tuple;
	Form_pg_proc proc;
	Oid			nsp;
	Oid			impl;
	BindingEntry *entry;

	tuple = SearchSysCache1(PROCOID, ObjectIdGetDatum(self));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for function %u", self);
	proc = (Form_pg_proc) GETSTRUCT(tuple);

	nsp = get_namespace_oid(BINDING_INTERNAL_SCHEMA, false);
	impl = GetSysCacheOid3(PROCNAMEARGSNSP, Anum_pg_proc_oid,
						   NameGetDatum(&proc->proname),
						   PointerGetDatum(&proc->proargtypes),
						   ObjectIdGetDatum(nsp));
	if (!OidIsValid(impl))
		elog(ERROR, "salesplan: no implementation of %s in schema %s",
			 NameStr(proc->proname), BINDING_INTERNAL_SCHEMA);
	ReleaseSysCache(tuple);

	tuple = SearchSysCache1(PROCOID, ObjectIdGetDatum(impl));
	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for function %u", impl);
	proc = (Form_pg_proc) GETSTRUCT(tuple);
	if (!proc->prosecdef)
		elog(ERROR, "salesplan: %s.%s is not SECURITY DEFINER",
			 BINDING_INTERNAL_SCHEMA, NameStr(proc->proname));

	entry = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(BindingEntry));
	entry->impl_owner = proc->proowner;
	ReleaseSysCache(tuple);
	fmgr_info_cxt(impl, &entry->impl, fcinfo->flinfo->fn_mcxt);
	return entry;
}

/*
 * The public binding functions: each calls salesplan_internal.<same
 * name>(<same argument types>) with the same arguments (and the same
 * set-returning context), with binding_caller() set to the calling role.
 */
static Datum
binding_entry(FunctionCallInfo fcinfo)
{
	BindingEntry *entry = (BindingEntry *) fcinfo->flinfo->fn_extra;
	LOCAL_FCINFO(inner, FUNC_MAX_ARGS);
	Oid			save_caller = binding_caller;
	Oid			save_acting = binding_acting;
	volatile Datum result = (Datum) 0;
	MemoryContext oldcontext = CurrentMemoryContext;
	int			i;

	if (entry == NULL)
	{
		entry = binding_entry_lookup(fcinfo);
		fcinfo->flinfo->fn_extra = entry;
	}

	InitFunctionCallInfoData(*inner, &entry->impl, fcinfo->nargs,
							 fcinfo->fncollation, fcinfo->context,
							 fcinfo->resultinfo);
	for (i = 0; i < fcinfo->nargs; i++)
		inner->args[i] = fcinfo->args[i];

	/*
	 * A call made by the implementations themselves (they run as the
	 * extension's owner) keeps the role that made the outer call; any other
	 * call is made by whoever runs it now.
	 */
	if (!(OidIsValid(binding_caller) && GetUserId() == entry->impl_owner))
		binding_caller = GetUserId();
	binding_acting = InvalidOid;

	PG_TRY();
	{
		result = FunctionCallInvoke(inner);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		binding_caller = save_caller;
		binding_acting = save_acting;

		/*
		 * An error is raised once, from the function the user called: its
		 * message, detail and hint are what matter, and the context lines
		 * of the internals (every PL/pgSQL frame and the generated
		 * statements, some forty lines) would scroll them away.  An
		 * internal error keeps its context, for whoever debugs it.
		 */
		MemoryContextSwitchTo(oldcontext);
		edata = CopyErrorData();
		FlushErrorState();
		if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) != ERRCODE_TO_CATEGORY(ERRCODE_INTERNAL_ERROR))
			edata->context = NULL;
		ReThrowError(edata);
	}
	PG_END_TRY();
	binding_caller = save_caller;
	binding_acting = save_acting;

	fcinfo->isnull = inner->isnull;
	return result;
}

/* salesplan.bind_funnel(text, name, regclass, name, ...) -> setof text */
PG_FUNCTION_INFO_V1(salesplan_bind_funnel);
Datum
salesplan_bind_funnel(PG_FUNCTION_ARGS)
{
	return binding_entry(fcinfo);
}

/* salesplan.bind_window_funnel(text, name, regclass, name, ...) -> setof text */
PG_FUNCTION_INFO_V1(salesplan_bind_window_funnel);
Datum
salesplan_bind_window_funnel(PG_FUNCTION_ARGS)
{
	return binding_entry(fcinfo);
}

/* salesplan.bind_coverage(text, name, regclass, name, ...) -> setof text */
PG_FUNCTION_INFO_V1(salesplan_bind_coverage);
Datum
salesplan_bind_coverage(PG_FUNCTION_ARGS)
{
	return binding_entry(fcinfo);
}

/* salesplan.bind_milestones(text, name, regclass, name, name, ...) -> setof text */
PG_FUNCTION_INFO_V1(salesplan_bind_milestones);
Datum
salesplan_bind_milestones(PG_FUNCTION_ARGS)
{
	return binding_entry(fcinfo);
}

/* salesplan.bind_odoo(name, name, text, ...) -> setof text */
PG_FUNCTION_INFO_V1(salesplan_bind_odoo);
Datum
salesplan_bind_odoo(PG_FUNCTION_ARGS)
{
	return binding_entry(fcinfo);
}

/* salesplan.bind_salesforce(name, name, text, ...) -> setof text */
PG_FUNCTION_INFO_V1(salesplan_bind_salesforce);
Datum
salesplan_bind_salesforce(PG_FUNCTION_ARGS)
{
	return binding_entry(fcinfo);
}

/* salesplan.regenerate(text) -> setof text */
PG_FUNCTION_INFO_V1(salesplan_regenerate);
Datum
salesplan_regenerate(PG_FUNCTION_ARGS)
{
	return binding_entry(fcinfo);
}

/* salesplan.refresh(text, bool) -> setof text */
PG_FUNCTION_INFO_V1(salesplan_refresh);
Datum
salesplan_refresh(PG_FUNCTION_ARGS)
{
	return binding_entry(fcinfo);
}

/* salesplan.unbind(text, bool) -> bool */
PG_FUNCTION_INFO_V1(salesplan_unbind);
Datum
salesplan_unbind(PG_FUNCTION_ARGS)
{
	return binding_entry(fcinfo);
}

/* salesplan.create_refresh_job(text, text) -> int8 */
PG_FUNCTION_INFO_V1(salesplan_create_refresh_job);
Datum
salesplan_create_refresh_job(PG_FUNCTION_ARGS)
{
	return binding_entry(fcinfo);
}

/* salesplan.drop_refresh_job(text) -> bool */
PG_FUNCTION_INFO_V1(salesplan_drop_refresh_job);
Datum
salesplan_drop_refresh_job(PG_FUNCTION_ARGS)
{
	return binding_entry(fcinfo);
}

/* salesplan_internal.binding_caller() -> regrole */
PG_FUNCTION_INFO_V1(salesplan_binding_caller);
Datum
salesplan_binding_caller(PG_FUNCTION_ARGS)
{
	binding_require_call();
	PG_RETURN_OID(binding_caller);
}

/*
 * The role whose privileges the checks of binding_relation and
 * binding_column use, until the public call returns.
 */
/* salesplan_internal.binding_act_as(regrole) -> void */
PG_FUNCTION_INFO_V1(salesplan_binding_act_as);
Datum
salesplan_binding_act_as(PG_FUNCTION_ARGS)
{
	binding_require_call();
	if (PG_ARGISNULL(0))
		elog(ERROR, "salesplan: binding_act_as needs a role");
	binding_acting = PG_GETARG_OID(0);
	PG_RETURN_VOID();
}

/* salesplan_internal.binding_acting() -> regrole */
PG_FUNCTION_INFO_V1(salesplan_binding_acting);
Datum
salesplan_binding_acting(PG_FUNCTION_ARGS)
{
	binding_require_call();
	if (!OidIsValid(binding_acting))
		elog(ERROR, "salesplan: no binding owner set");
	PG_RETURN_OID(binding_acting);
}

/*
 * Runs one SQL command as role, in a security-restricted
 * operation, and returns the first column of its first row (NULL when it
 * returns no row).  Only the binding implementations call it, always with
 * the owner of the binding they work on.
 */
/* salesplan_internal.binding_execute_as(regrole, text) -> text */
PG_FUNCTION_INFO_V1(salesplan_binding_execute_as);
Datum
salesplan_binding_execute_as(PG_FUNCTION_ARGS)
{
	Oid			role;
	char	   *command;
	Oid			save_userid;
	int			save_sec_context;
	int			save_nestlevel;
	int			rc;
	char	   *value = NULL;
	text	   *result = NULL;

	binding_require_call();
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		elog(ERROR, "salesplan: binding_execute_as needs a role and a command");
	role = PG_GETARG_OID(0);
	command = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (!SearchSysCacheExists1(AUTHOID, ObjectIdGetDatum(role)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("role with OID %u does not exist", role),
				 errdetail("It owns a binding; the binding must be recreated by an existing role.")));

	/*
	 * As ExecRefreshMatView does: switch to the role, lock down
	 * security-restricted operations, and keep setting changes local.  An
	 * error restores the user id and the settings through transaction
	 * (or subtransaction) abort.
	 */
	GetUserIdAndSecContext(&save_userid, &save_sec_context);
	SetUserIdAndSecContext(role,
						   save_sec_context | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	save_nestlevel = NewGUCNestLevel();

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "salesplan: SPI_connect failed");
	rc = SPI_execute(command, false, 0);
	if (rc < 0)
		elog(ERROR, "salesplan: SPI_execute failed: %s", SPI_result_code_string(rc));
	if (SPI_tuptable != NULL && SPI_processed > 0 && SPI_tuptable->tupdesc->natts > 0)
	{
		value = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		if (value != NULL)
		{
			/* outside SPI's memory, which SPI_finish frees */
			result = (text *) SPI_palloc(VARHDRSZ + strlen(value));
			SET_VARSIZE(result, VARHDRSZ + strlen(value));
			memcpy(VARDATA(result), value, strlen(value));
		}
	}
	SPI_finish();

	AtEOXact_GUC(false, save_nestlevel);
	SetUserIdAndSecContext(save_userid, save_sec_context);

	if (result == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(result);
}
