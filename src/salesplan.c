/*-------------------------------------------------------------------------
 *
 * salesplan.c
 *	  Module magic for the salesplan extension.
 *
 * One file per state type, with its functions; every family depends only
 * on the shared core, never on another family.
 *
 * Shared core: salesplan.h (declarations), compat.h (every PostgreSQL
 * version test), money.c (exact money), state.c (the life of an aggregate
 * state), state_io.c (text and binary form helpers), time_zone.c
 * (explicit time zones for the timestamptz functions).
 *
 * Probability paradigm: funnel.c (salesplan.funnel, with funnel.h) and
 * funnel_accessors.c (what it says), funnel_events.c (the
 * state of window_funnel, salesplan.funnel_events, with funnel_events.h)
 * and window_funnel.c (the funnel walk over it), explain_gap.c (Shapley
 * gap attribution), planning.c (weighted pipeline), outcomes.c
 * (salesplan.outcomes: censoring-aware conversion, with outcomes.h) and
 * outcomes_estimate.c (the Aalen-Johansen estimate over it).
 * Behavior paradigm: coverage.c (salesplan.coverage, and the per-account
 * ladder_level and penetration that feed it), proposals.c
 * (salesplan.proposals), touches.c (salesplan.touches).
 * Project paradigm: schedule.c (salesplan.schedule, with schedule.h) and
 * schedule_io.c (its text and binary forms),
 * earned_value.c (earned value, earned schedule and punctuality over it),
 * slip_trend.c (salesplan.slip_trend_state).
 * Bindings: binding.c (the C entry points of the bind functions, which
 * record their caller before running the implementations).
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

PG_MODULE_MAGIC;

/* The module's settings, defined when the library is loaded. */
void
_PG_init(void)
{
	sp_window_funnel_scan_init();
}
