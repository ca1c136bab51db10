/*-------------------------------------------------------------------------
 *
 * schedule_io.c
 *	  The text and binary forms of salesplan.schedule (schedule_in,
 *	  schedule_out, schedule_send, schedule_recv).  The type itself is in
 *	  schedule.c, through schedule.h: input is checked by schedule_validate
 *	  there, and output is written from the sorted form, so a stored
 *	  schedule has a canonical text form.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "schedule.h"

static const char *const schedule_type = "salesplan.schedule";

/* ---- text form of dates: ISO YYYY-MM-DD, astronomical year numbering ---- */

static void
date_append(StringInfo buf, DateADT d)
{
	int			y,
				m,
				dd;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &dd);
	appendStringInfo(buf, "%04d-%02d-%02d", y, m, dd);
}

static DateADT
date_parse(const char **p, const char *type_name, const char *input)
{
	const char *at = *p;
	int64		y = sp_text_int64(p, type_name, input);
	int64		m;
	int64		d;
	int			y2,
				m2,
				d2;
	DateADT		r = 0;
	bool		ok;

	sp_text_expect(p, '-', type_name, input);
	m = sp_text_int64(p, type_name, input);
	sp_text_expect(p, '-', type_name, input);
	d = sp_text_int64(p, type_name, input);

	ok = y >= -4713 && y <= 5874898 && m >= 1 && m <= 12 && d >= 1 && d <= 31 &&
		IS_VALID_JULIAN(y, m, d);
	if (ok)
	{
		int			j = date2j((int) y, (int) m, (int) d);

		j2date(j, &y2, &m2, &d2);
		r = j - POSTGRES_EPOCH_JDATE;
		ok = y2 == y && m2 == m && d2 == d && valid_date(r);
	}
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", type_name, input),
				 errdetail("Invalid date at character %d.", (int) (at - input) + 1)));
	return r;
}

/* ---------------------------------------------------------------------
 * salesplan.schedule I/O
 * ---------------------------------------------------------------------
 */

/*
 * Text form:
 *   (1,<dscale>,<start or ->,{<planned> <actual or -> <weight>,...})
 * e.g. (1,2,2026-01-05,{2026-02-01 2026-02-03 1.00,2026-03-01 - 2.50})
 */
/* salesplan.schedule_in(cstring) -> salesplan.schedule */
PG_FUNCTION_INFO_V1(salesplan_schedule_in);
Datum
salesplan_schedule_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	int64		version;
	int64		dscale;
	DateADT		start = DATEVAL_NOBEGIN;
	ScheduleData *s;
	int			slots = SCHEDULE_INITIAL_SLOTS;

	sp_text_expect(&p, '(', schedule_type, input);
	version = sp_text_int64(&p, schedule_type, input);
	if (version != 1 && version != SCHEDULE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", schedule_type, input),
				 errdetail("Unsupported format version %lld; this build reads versions 1 and %d.",
						   (long long) version, SCHEDULE_VERSION)));
	sp_text_expect(&p, ',', schedule_type, input);
	dscale = sp_text_int64(&p, schedule_type, input);
	if (dscale < 0 || dscale > SP_MONEY_SCALE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", schedule_type, input),
				 errdetail("The display scale must be between 0 and %d.", SP_MONEY_SCALE)));
	sp_text_expect(&p, ',', schedule_type, input);
	if (*p == '-' && p[1] == ',')
		p++;
	else
		start = date_parse(&p, schedule_type, input);
	sp_text_expect(&p, ',', schedule_type, input);
	sp_text_expect(&p, '{', schedule_type, input);

	s = (ScheduleData *) palloc0(SCHEDULE_SIZE(slots));
	SET_VARSIZE(s, SCHEDULE_SIZE(slots));
	s->version = SCHEDULE_VERSION;
	s->dscale = (int16) dscale;
	s->start = start;

	for (;;)
	{
		Milestone  *m;

		CHECK_FOR_INTERRUPTS();
		if (s->count == SCHEDULE_MAX_MILESTONES)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: more than %d milestones",
							schedule_type, SCHEDULE_MAX_MILESTONES)));
		if (s->count == slots)
		{
			slots = Min(slots * 2, SCHEDULE_MAX_MILESTONES);
			s = (ScheduleData *) repalloc(s, SCHEDULE_SIZE(slots));
			SET_VARSIZE(s, SCHEDULE_SIZE(slots));
		}
		m = &s->m[s->count];
		m->planned = date_parse(&p, schedule_type, input);
		sp_text_expect(&p, ' ', schedule_type, input);
		if (*p == '-' && p[1] == ' ')
		{
			m->actual = DATEVAL_NOEND;
			p++;
		}
		else
			m->actual = date_parse(&p, schedule_type, input);
		sp_text_expect(&p, ' ', schedule_type, input);
		/* "-": unknown weight (version 2; 0.1 wrote NULL weights as 1) */
		if (version >= 2 && *p == '-' && (p[1] == ',' || p[1] == '}'))
		{
			m->weight = SCHEDULE_WEIGHT_UNKNOWN;
			p++;
		}
		else
		{
			m->weight = sp_text_money(&p, schedule_type, input);
			if (m->weight < 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid salesplan.schedule: milestone %d has a negative weight",
								s->count + 1),
						 errdetail("Input: \"%s\".", input)));
		}
		s->count++;
		if (*p != ',')
			break;
		p++;
	}
	sp_text_expect(&p, '}', schedule_type, input);
	sp_text_expect(&p, ')', schedule_type, input);
	sp_text_end(&p, schedule_type, input);

	schedule_validate(s, ERRCODE_INVALID_TEXT_REPRESENTATION, input);
	SET_VARSIZE(s, SCHEDULE_SIZE(s->count));
	PG_RETURN_POINTER(s);
}

/* salesplan.schedule_out(salesplan.schedule) -> cstring */
PG_FUNCTION_INFO_V1(salesplan_schedule_out);
Datum
salesplan_schedule_out(PG_FUNCTION_ARGS)
{
	const ScheduleData *s = schedule_sorted(schedule_get(PG_GETARG_DATUM(0)));
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(%d,%d,", SCHEDULE_VERSION, s->dscale);
	if (DATE_IS_NOBEGIN(s->start))
		appendStringInfoChar(&buf, '-');
	else
		date_append(&buf, s->start);
	appendStringInfoString(&buf, ",{");
	for (i = 0; i < s->count; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		date_append(&buf, s->m[i].planned);
		appendStringInfoChar(&buf, ' ');
		if (DATE_IS_NOEND(s->m[i].actual))
			appendStringInfoChar(&buf, '-');
		else
			date_append(&buf, s->m[i].actual);
		appendStringInfoChar(&buf, ' ');
		if (s->m[i].weight == SCHEDULE_WEIGHT_UNKNOWN)
			appendStringInfoChar(&buf, '-');
		else
			sp_money_append(&buf, s->m[i].weight, s->dscale);
	}
	appendStringInfoString(&buf, "})");
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: version byte, dscale int16, start int32 (INT32_MIN for
 * none), count int32, then per milestone planned int32, actual int32
 * (INT32_MAX while not reached), weight as two int64 halves.
 */
/* salesplan.schedule_send(salesplan.schedule) -> bytea */
PG_FUNCTION_INFO_V1(salesplan_schedule_send);
Datum
salesplan_schedule_send(PG_FUNCTION_ARGS)
{
	const ScheduleData *s = schedule_sorted(schedule_get(PG_GETARG_DATUM(0)));
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SCHEDULE_VERSION);
	pq_sendint16(&buf, s->dscale);
	pq_sendint32(&buf, s->start);
	pq_sendint32(&buf, s->count);
	for (i = 0; i < s->count; i++)
	{
		pq_sendint32(&buf, s->m[i].planned);
		pq_sendint32(&buf, s->m[i].actual);
		sp_send_money(&buf, s->m[i].weight);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* salesplan.schedule_recv(internal) -> salesplan.schedule */
PG_FUNCTION_INFO_V1(salesplan_schedule_recv);
Datum
salesplan_schedule_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	int			dscale;
	DateADT		start;
	int32		count;
	ScheduleData *s;
	int			i;

	if (msg->len - msg->cursor < 11)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("truncated salesplan.schedule binary value")));
	version = pq_getmsgbyte(msg);
	if (version != 1 && version != SCHEDULE_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("unsupported salesplan.schedule binary format version %d", version)));
	dscale = (int16) pq_getmsgint(msg, 2);
	start = (DateADT) pq_getmsgint(msg, 4);
	count = (int32) pq_getmsgint(msg, 4);
	if (count < 1 || count > SCHEDULE_MAX_MILESTONES ||
		(int64) count * 24 != (int64) (msg->len - msg->cursor))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid milestone count %d in salesplan.schedule binary value", count),
				 errdetail("Each milestone takes 24 bytes; %d bytes follow the header.",
						   msg->len - msg->cursor)));
	s = (ScheduleData *) palloc0(SCHEDULE_SIZE(count));
	SET_VARSIZE(s, SCHEDULE_SIZE(count));
	s->version = SCHEDULE_VERSION;
	s->dscale = (int16) dscale;
	s->start = start;
	s->count = count;
	for (i = 0; i < count; i++)
	{
		s->m[i].planned = (DateADT) pq_getmsgint(msg, 4);
		s->m[i].actual = (DateADT) pq_getmsgint(msg, 4);
		s->m[i].weight = sp_getmsg_money(msg);
		/* an unknown weight exists from version 2 on */
		if (s->m[i].weight < 0 && (version < 2 || s->m[i].weight != SCHEDULE_WEIGHT_UNKNOWN))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("invalid salesplan.schedule: milestone %d has a negative weight", i + 1)));
	}
	pq_getmsgend(msg);
	schedule_validate(s, ERRCODE_DATA_CORRUPTED, NULL);
	PG_RETURN_POINTER(s);
}
