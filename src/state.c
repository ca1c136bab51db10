/*-------------------------------------------------------------------------
 *
 * state.c
 *	  The life of an aggregate state, shared by every salesplan state type.
 *
 * A salesplan state is a plain varlena (a real type with text and binary
 * I/O, so that Citus and parallel query can ship it), and the transition
 * and combine functions update it in place for speed.  In-place updates
 * are safe only on a value the aggregate built itself, whose header we
 * know to describe the memory it sits in.  Any SQL can hand a transition
 * function something else: an INITCOND, a moving-aggregate inverse written
 * in SQL that returns a stored value (with a 1-byte header, compressed, or
 * a TOAST pointer), a value from an older release.  So:
 *
 *	 - a transition or combine function creates its first state in the
 *	   current (per-call) memory context, marks it SP_STATE_AGG, and returns
 *	   it; the executor copies it into the aggregate context (allocating
 *	   there ourselves would leave an orphan copy per group);
 *	 - on every later call sp_state_arg() gives back the argument itself
 *	   only when it is a plain 4-byte-header value of the current version,
 *	   marked SP_STATE_AGG, whose header matches its size; anything else is
 *	   detoasted into a private copy, checked, fully validated, marked and
 *	   returned, so a foreign value is never written to;
 *	 - a state that must grow is rebuilt larger in the per-call context and
 *	   returned (the executor frees the old one);
 *	 - every read (accessors, output, the second argument of combine) goes
 *	   through sp_state_read(), which detoasts and checks the version and
 *	   the size against the header before any field is trusted.
 *
 * The mark lives in a byte each type reserves for it and never prints or
 * sends; input functions never set it.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include "utils/memutils.h"

static void
sp_state_corrupted(const SpStateType *t, const char *detail, int version)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid %s value", t->name),
			 version >= 0 ?
			 errdetail("Format version %d is not supported; this build reads version %d.",
					   version, (int) t->version) :
			 errdetail("%s", detail)));
}

/*
 * Check that a detoasted value is one t can read: long enough for its
 * header, of the current format version (after t->upgrade, if any), and
 * with a header that describes exactly its size.  Returns the value, or an
 * upgraded copy.
 */
static void *
sp_state_check(void *state, const SpStateType *t)
{
	if (VARSIZE(state) < t->header_size)
		sp_state_corrupted(t, "The value is shorter than its header.", -1);
	if (SP_STATE_VERSION(state) != t->version)
	{
		void	   *upgraded = t->upgrade ? t->upgrade(state) : NULL;

		if (upgraded == NULL)
			sp_state_corrupted(t, NULL, SP_STATE_VERSION(state));
		state = upgraded;
	}
	if (!t->fits(state))
		sp_state_corrupted(t, "The header does not match the size of the value.", -1);
	return state;
}

const void *
sp_state_read(Datum d, const SpStateType *t)
{
	return sp_state_check(PG_DETOAST_DATUM(d), t);
}

void *
sp_state_adopt(Datum d, const SpStateType *t)
{
	void	   *state = sp_state_check(PG_DETOAST_DATUM_COPY(d), t);

	/* the mark is ours to set, never part of what validate() checks */
	((uint8 *) state)[t->mark_offset] &= ~SP_STATE_AGG;
	t->validate(state);
	((uint8 *) state)[t->mark_offset] |= SP_STATE_AGG;
	return state;
}

void *
sp_state_alloc(Size size, const SpStateType *t, bool agg)
{
	void	   *state;

	if (!AllocSizeIsValid(size))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s value of %zu bytes is too large", t->name, size)));
	state = palloc0(size);
	SET_VARSIZE(state, size);
	SP_STATE_VERSION(state) = t->version;
	if (agg)
		((uint8 *) state)[t->mark_offset] = SP_STATE_AGG;
	return state;
}
