/*-------------------------------------------------------------------------
 *
 * compat.h
 *	  Every PostgreSQL version test salesplan needs, in one place.
 *
 * salesplan builds against PostgreSQL 15, 16, 17 and 18 (CI tests 15, 17
 * and 18).  Code elsewhere uses the names defined here and never tests
 * PG_VERSION_NUM itself.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SALESPLAN_COMPAT_H
#define SALESPLAN_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 150000
#error "salesplan requires PostgreSQL 15 or later"
#endif

/* Exact money sums are kept as 128-bit integers (see money.c). */
#ifndef HAVE_INT128
#error "salesplan requires a compiler with a 128-bit integer type"
#endif

/* fmgr.h declares _PG_init from PostgreSQL 16 on. */
#if PG_VERSION_NUM < 160000
extern PGDLLEXPORT void _PG_init(void);
#endif

/* varatt.h was split out of postgres.h in PostgreSQL 16. */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * sp_noreturn marks a function that never returns (it always raises an
 * error).  It goes before the declaration, where PostgreSQL 18's pg_noreturn
 * (C11 _Noreturn) must stand:
 *
 *		sp_noreturn extern void f(void);
 *
 * PostgreSQL 18 removed pg_attribute_noreturn(), the trailing attribute of
 * earlier versions; on those, GCC-style __attribute__((noreturn)) is equally
 * valid in front.
 */
#if defined(pg_noreturn)
#define sp_noreturn pg_noreturn
#else
#define sp_noreturn pg_attribute_noreturn()
#endif

/*
 * PostgreSQL 17 added infinite intervals (INTERVAL_NOT_FINITE); before,
 * every interval is finite.
 */
#if PG_VERSION_NUM >= 170000
#define sp_interval_is_finite(i) (!INTERVAL_NOT_FINITE(i))
#else
#define sp_interval_is_finite(i) true
#endif

/*
 * sp_namespace_aclcheck(nsp, role, mode): a role's privilege on a schema.
 * PostgreSQL 16 replaced pg_namespace_aclcheck() with the generic
 * object_aclcheck().  Callers include utils/acl.h.
 */
#if PG_VERSION_NUM >= 160000
#include "catalog/pg_namespace.h"
#define sp_namespace_aclcheck(nsp, role, mode) \
	object_aclcheck(NamespaceRelationId, (nsp), (role), (mode))
#else
#define sp_namespace_aclcheck(nsp, role, mode) \
	pg_namespace_aclcheck((nsp), (role), (mode))
#endif

#endif							/* SALESPLAN_COMPAT_H */
