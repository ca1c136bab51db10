/*-------------------------------------------------------------------------
 *
 * proposals.c
 *	  Behavior paradigm, team level: presales proposal rates, the
 *	  salesplan.proposals type (proposal_agg, rollup, accessors).
 *
 * The state is a fixed-size varlena of seven counts that starts with a
 * format version and follows the shared state lifecycle (state.c), as
 * salesplan.coverage (coverage.c) does: the first row creates the state,
 * later rows update it in place once sp_state_arg() has vouched for it,
 * combine merges into the first state, and the text and binary forms are
 * validated by the same checks.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include "common/int.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#define PROPOSALS_VERSION	1
#define PROPOSALS_TYPE		"salesplan.proposals"
#define PROPOSALS_NFIELDS	7

typedef struct ProposalsState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* PROPOSALS_VERSION */
	uint8		reserved[3];	/* [0]: SP_STATE_AGG or 0 (never printed or
								 * sent); others zero */
	/* the counts, in the order of proposals_fields[] */
	int64		requested;		/* submissions requested (input rows) */
	int64		delivered;		/* submissions with delivered_at */
	int64		with_due;		/* requests with requested_at and due_days */
	int64		on_time;		/* of those, delivered within due_days */
	int64		chains;			/* version-1 submissions delivered */
	int64		first_pass;		/* version-1 submissions delivered and accepted */
	int64		accepted;		/* delivered submissions accepted, any version */
} ProposalsState;

static const char *const proposals_fields[PROPOSALS_NFIELDS] = {
	"requested", "delivered", "with_due", "on_time", "chains", "first_pass", "accepted"
};

static inline int64 *
proposals_counts(ProposalsState *s)
{
	return &s->requested;
}

StaticAssertDecl(offsetof(ProposalsState, accepted) - offsetof(ProposalsState, requested) ==
				 (PROPOSALS_NFIELDS - 1) * sizeof(int64),
				 "ProposalsState counts must be contiguous");

static bool proposals_fits(const void *state);
static void proposals_validate_state(void *state);

static const SpStateType proposals_state = {
	.name = PROPOSALS_TYPE,
	.version = PROPOSALS_VERSION,
	.mark_offset = offsetof(ProposalsState, reserved),
	.header_size = sizeof(ProposalsState),
	.fits = proposals_fits,
	.validate = proposals_validate_state,
};

static bool
proposals_fits(const void *state)
{
	return VARSIZE(state) == sizeof(ProposalsState);
}

/* agg: for a transition or combine function (marked), else for input */
static ProposalsState *
proposals_new(bool agg)
{
	return (ProposalsState *) sp_state_alloc(sizeof(ProposalsState), &proposals_state, agg);
}

static void
proposals_validate(const ProposalsState *s, int code)
{
	const char *why = NULL;
	const int64 *c = &s->requested;
	int			i;

	for (i = 0; i < PROPOSALS_NFIELDS; i++)
		if (c[i] < 0)
			why = "A count is negative.";
	if (why == NULL)
	{
		if (s->delivered > s->requested)
			why = "More submissions delivered than requested.";
		else if (s->with_due > s->requested)
			why = "More requests with a due date than requests.";
		else if (s->on_time > s->with_due || s->on_time > s->delivered)
			why = "More submissions on time than delivered with a due date.";
		else if (s->chains > s->delivered)
			why = "More first submissions than delivered submissions.";
		else if (s->accepted > s->delivered)
			why = "More submissions accepted than delivered.";
		else if (s->first_pass > s->chains || s->first_pass > s->accepted)
			why = "More first-pass acceptances than first submissions or acceptances.";
	}
	if (why)
		ereport(ERROR,
				(errcode(code),
				 errmsg("invalid %s value", PROPOSALS_TYPE),
				 errdetail("%s", why)));
}

static void
proposals_validate_state(void *state)
{
	proposals_validate((const ProposalsState *) state, ERRCODE_DATA_CORRUPTED);
}

/* A stored or passed proposals value to read. */
static ProposalsState *
proposals_get(Datum d)
{
	return (ProposalsState *) sp_state_read(d, &proposals_state);
}

/* salesplan.proposals_in(cstring) -> salesplan.proposals */
PG_FUNCTION_INFO_V1(salesplan_proposals_in);
Datum
salesplan_proposals_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	ProposalsState *s = proposals_new(false);
	int64	   *c = proposals_counts(s);
	int			i;

	sp_text_version(&p, PROPOSALS_VERSION, PROPOSALS_TYPE, input);
	for (i = 0; i < PROPOSALS_NFIELDS; i++)
	{
		sp_text_expect(&p, ';', PROPOSALS_TYPE, input);
		sp_text_expect_word(&p, proposals_fields[i], PROPOSALS_TYPE, input);
		sp_text_expect(&p, '=', PROPOSALS_TYPE, input);
		c[i] = sp_text_int64(&p, PROPOSALS_TYPE, input);
	}
	sp_text_end(&p, PROPOSALS_TYPE, input);
	proposals_validate(s, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(s);
}

/* salesplan.proposals_out(salesplan.proposals) -> cstring */
PG_FUNCTION_INFO_V1(salesplan_proposals_out);
Datum
salesplan_proposals_out(PG_FUNCTION_ARGS)
{
	ProposalsState *s = proposals_get(PG_GETARG_DATUM(0));
	int64	   *c = proposals_counts(s);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "v%d", PROPOSALS_VERSION);
	for (i = 0; i < PROPOSALS_NFIELDS; i++)
		appendStringInfo(&buf, ";%s=" INT64_FORMAT, proposals_fields[i], c[i]);
	PG_RETURN_CSTRING(buf.data);
}

/* salesplan.proposals_recv(internal) -> salesplan.proposals */
PG_FUNCTION_INFO_V1(salesplan_proposals_recv);
Datum
salesplan_proposals_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	ProposalsState *s = proposals_new(false);
	int64	   *c = proposals_counts(s);
	int			i;

	sp_getmsg_check_length(msg, 1 + PROPOSALS_NFIELDS * 8, PROPOSALS_TYPE);
	sp_getmsg_version(msg, PROPOSALS_VERSION, PROPOSALS_TYPE);
	for (i = 0; i < PROPOSALS_NFIELDS; i++)
		c[i] = pq_getmsgint64(msg);
	pq_getmsgend(msg);
	proposals_validate(s, ERRCODE_DATA_CORRUPTED);
	PG_RETURN_POINTER(s);
}

/* salesplan.proposals_send(salesplan.proposals) -> bytea */
PG_FUNCTION_INFO_V1(salesplan_proposals_send);
Datum
salesplan_proposals_send(PG_FUNCTION_ARGS)
{
	ProposalsState *s = proposals_get(PG_GETARG_DATUM(0));
	int64	   *c = proposals_counts(s);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, PROPOSALS_VERSION);
	for (i = 0; i < PROPOSALS_NFIELDS; i++)
		pq_sendint64(&buf, c[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
proposals_bump(int64 *counter)
{
	if (pg_add_s64_overflow(*counter, 1, counter))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("too many proposals in one salesplan.proposals value")));
}

/*
 * proposal_agg's transition (version, accepted, requested_at, delivered_at,
 * due_days).  One row per proposal submission.
 */
/* salesplan.proposals_trans(salesplan.proposals, int, bool, timestamptz, timestamptz, int) -> salesplan.proposals */
PG_FUNCTION_INFO_V1(salesplan_proposals_trans);
Datum
salesplan_proposals_trans(PG_FUNCTION_ARGS)
{
	ProposalsState *s;
	bool		has_version = !PG_ARGISNULL(1);
	int32		version = has_version ? PG_GETARG_INT32(1) : 0;
	bool		accepted = !PG_ARGISNULL(2) && PG_GETARG_BOOL(2);
	bool		has_requested = !PG_ARGISNULL(3);
	bool		delivered = !PG_ARGISNULL(4);
	bool		has_due = !PG_ARGISNULL(5);
	TimestampTz requested_at = 0;
	TimestampTz delivered_at = 0;
	int32		due_days = has_due ? PG_GETARG_INT32(5) : 0;

	if (!AggCheckCallContext(fcinfo, NULL))
		sp_not_aggregate_context("salesplan.proposals_trans");
	if (has_version && version < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("proposal version %d is out of range", version),
				 errdetail("Versions count a proposal's submissions from 1 (the first submission).")));
	if (has_due && due_days < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("due_days must not be negative: %d", due_days)));
	if (has_requested)
		requested_at = sp_finite_timestamp_arg(fcinfo, 3, "requested_at");
	if (delivered)
		delivered_at = sp_finite_timestamp_arg(fcinfo, 4, "delivered_at");

	s = (ProposalsState *) sp_state_arg(fcinfo, 0, &proposals_state);
	if (s == NULL)
		s = proposals_new(true);

	proposals_bump(&s->requested);
	if (has_requested && has_due)
	{
		s->with_due++;			/* bounded by requested */
		if (delivered &&
			(int128) delivered_at - (int128) requested_at <= (int128) due_days * USECS_PER_DAY)
			s->on_time++;
	}
	if (delivered)
	{
		s->delivered++;
		if (accepted)
			s->accepted++;
		if (has_version && version == 1)
		{
			s->chains++;
			if (accepted)
				s->first_pass++;
		}
	}
	PG_RETURN_POINTER(s);
}

/* Combine function of proposal_agg and rollup, and rollup's transition. */
/* salesplan.proposals_combine(salesplan.proposals, salesplan.proposals) -> salesplan.proposals */
PG_FUNCTION_INFO_V1(salesplan_proposals_combine);
Datum
salesplan_proposals_combine(PG_FUNCTION_ARGS)
{
	ProposalsState *s;
	ProposalsState *other;
	int64	   *c;
	int64	   *oc;
	int			i;

	if (!AggCheckCallContext(fcinfo, NULL))
		sp_not_aggregate_context("salesplan.proposals_combine");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	other = proposals_get(PG_GETARG_DATUM(1));
	s = (ProposalsState *) sp_state_arg(fcinfo, 0, &proposals_state);
	if (s == NULL)
	{
		/* a private copy: never hand back the other state's pointer */
		s = proposals_new(true);
		memcpy(proposals_counts(s), proposals_counts(other), PROPOSALS_NFIELDS * sizeof(int64));
		PG_RETURN_POINTER(s);
	}
	c = proposals_counts(s);
	oc = proposals_counts(other);
	for (i = 0; i < PROPOSALS_NFIELDS; i++)
		if (pg_add_s64_overflow(c[i], oc[i], &c[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("too many proposals in one salesplan.proposals value")));
	PG_RETURN_POINTER(s);
}

static Datum
ratio_or_null(FunctionCallInfo fcinfo, int64 num, int64 den)
{
	if (den == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) num / (double) den);
}

/* salesplan.first_pass_rate(salesplan.proposals) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_proposals_first_pass_rate);
Datum
salesplan_proposals_first_pass_rate(PG_FUNCTION_ARGS)
{
	ProposalsState *s = proposals_get(PG_GETARG_DATUM(0));

	return ratio_or_null(fcinfo, s->first_pass, s->chains);
}

/* salesplan.response_rate(salesplan.proposals) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_proposals_response_rate);
Datum
salesplan_proposals_response_rate(PG_FUNCTION_ARGS)
{
	ProposalsState *s = proposals_get(PG_GETARG_DATUM(0));

	return ratio_or_null(fcinfo, s->on_time, s->with_due);
}

/* salesplan.acceptance_rate(salesplan.proposals) -> float8 */
PG_FUNCTION_INFO_V1(salesplan_proposals_acceptance_rate);
Datum
salesplan_proposals_acceptance_rate(PG_FUNCTION_ARGS)
{
	ProposalsState *s = proposals_get(PG_GETARG_DATUM(0));

	return ratio_or_null(fcinfo, s->accepted, s->delivered);
}

/* salesplan.proposals_requested(salesplan.proposals) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_proposals_requested);
Datum
salesplan_proposals_requested(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(proposals_get(PG_GETARG_DATUM(0))->requested);
}

/* salesplan.proposals_delivered(salesplan.proposals) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_proposals_delivered);
Datum
salesplan_proposals_delivered(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(proposals_get(PG_GETARG_DATUM(0))->delivered);
}

/* salesplan.proposals_due(salesplan.proposals) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_proposals_due);
Datum
salesplan_proposals_due(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(proposals_get(PG_GETARG_DATUM(0))->with_due);
}

/* salesplan.proposals_on_time(salesplan.proposals) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_proposals_on_time);
Datum
salesplan_proposals_on_time(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(proposals_get(PG_GETARG_DATUM(0))->on_time);
}

/* salesplan.proposal_chains(salesplan.proposals) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_proposal_chains);
Datum
salesplan_proposal_chains(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(proposals_get(PG_GETARG_DATUM(0))->chains);
}

/* salesplan.proposals_first_pass(salesplan.proposals) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_proposals_first_pass);
Datum
salesplan_proposals_first_pass(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(proposals_get(PG_GETARG_DATUM(0))->first_pass);
}

/* salesplan.proposals_accepted(salesplan.proposals) -> bigint */
PG_FUNCTION_INFO_V1(salesplan_proposals_accepted);
Datum
salesplan_proposals_accepted(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(proposals_get(PG_GETARG_DATUM(0))->accepted);
}
