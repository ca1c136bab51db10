/*-------------------------------------------------------------------------
 *
 * salesplan.c
 *	  Module magic for the salesplan extension.
 *
 * The families live in their own files: funnel.c and window_funnel.c
 * (probability paradigm), coverage.c (behavior paradigm), schedule.c
 * (project paradigm); money.c holds the shared exact-money helpers.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

PG_MODULE_MAGIC;
