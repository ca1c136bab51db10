/*-------------------------------------------------------------------------
 *
 * time_zone.c
 *	  Explicit time zones for the timestamptz functions, shared by the
 *	  families that count calendar days or months on timestamptz values
 *	  (window_funnel's window, is_cold's keep-warm interval).
 *
 * A time zone given as an argument makes a result independent of the
 * session's TimeZone setting, which Citus does not pass to its workers and
 * postgres_fdw sets to UTC on the remote side.  Zones are looked up with
 * pg_tzset, as AT TIME ZONE does for a full zone name, and never through
 * the abbreviation table (pg_timezone_abbrevs), whose meaning depends on
 * the timezone_abbreviations setting.  The arithmetic is that of
 * timestamptz_pl_interval with the session zone replaced by the given one,
 * so that f(..., zone) equals f(...) under SET TimeZone = zone.
 *
 *-------------------------------------------------------------------------
 */
#include "salesplan.h"

#include "common/int.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

/*
 * Characters of a zone name we accept: those of IANA names and POSIX zone
 * specifications ("EST5EDT", "<+0330>-3:30", "UTC+5").  Others could break
 * the text form of a state that records the name.
 */
static bool
sp_zone_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		(c >= '0' && c <= '9') || strchr("/_+-.:,<>", c) != NULL;
}

/*
 * The zone named by the len bytes at name (not NUL-terminated).  Its
 * canonical name (the spelling of the tz database for a zone file, upper
 * case for a POSIX specification) is copied to canonical, which has room
 * for TZ_STRLEN_MAX + 1 bytes.  Returns NULL when the name is not a zone;
 * *why then says why, as a full sentence.
 */
pg_tz *
sp_zone_find(const char *name, int len, char *canonical, const char **why)
{
	char		buf[TZ_STRLEN_MAX + 1];
	pg_tz	   *tz;
	int			i;

	*why = NULL;
	if (len <= 0 || len > TZ_STRLEN_MAX)
	{
		*why = "A time zone name has 1 to 255 characters.";
		return NULL;
	}
	for (i = 0; i < len; i++)
	{
		if (!sp_zone_char(name[i]))
		{
			*why = "A time zone name consists of letters, digits and the characters / _ + - . : , < >.";
			return NULL;
		}
	}
	memcpy(buf, name, len);
	buf[len] = '\0';

	/*
	 * "localtime" is the server's own zone on systems whose tz database
	 * links it to /etc/localtime: a setting of the node after all.
	 */
	if (pg_strcasecmp(buf, "localtime") == 0)
	{
		*why = "\"localtime\" names the server's own time zone, which may differ between nodes.";
		return NULL;
	}
	tz = pg_tzset(buf);
	if (tz == NULL)
		return NULL;
	strlcpy(canonical, pg_get_timezone_name(tz), TZ_STRLEN_MAX + 1);
	return tz;
}

/*
 * The error of an unknown zone: ERRCODE_INVALID_PARAMETER_VALUE naming it,
 * with detail (a full sentence) when there is one.
 */
sp_noreturn static void
sp_zone_unknown(const text *zone, const char *detail)
{
	int			len = VARSIZE_ANY_EXHDR(zone);

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("time zone \"%.*s\" not recognized", Min(len, 300), VARDATA_ANY(zone)),
			 detail ? errdetail("%s", detail) : 0,
			 errhint("Pass a zone name from pg_timezone_names, such as 'America/New_York' or 'UTC'; abbreviations from pg_timezone_abbrevs are not accepted, as their meaning depends on the timezone_abbreviations setting.")));
}

/*
 * sp_zone_find for a text argument, with the error of an unknown zone:
 * ERRCODE_INVALID_PARAMETER_VALUE naming the zone.  canonical may be NULL.
 */
pg_tz *
sp_zone_arg(const text *zone, char *canonical)
{
	char		canon[TZ_STRLEN_MAX + 1];
	const char *why;
	pg_tz	   *tz;
	int			len = VARSIZE_ANY_EXHDR(zone);

	tz = sp_zone_find(VARDATA_ANY(zone), len, canonical ? canonical : canon, &why);

	/*
	 * A well-formed name the tz database lacks: say where legacy names went,
	 * and, as this is also what every read of a bound view whose recorded
	 * zone was lost reports, how to find those bindings.
	 */
	if (tz == NULL)
		sp_zone_unknown(zone, why ? why :
						"The server's time zone database has no zone of this name (Debian 13 and later ship legacy names such as CET, EST and US/Eastern in package tzdata-legacy). "
						"A bound view fails this way when the zone its binding recorded is missing: SELECT name FROM salesplan.binding WHERE NOT salesplan.time_zone_known(spec ->> 'time_zone') lists such bindings.");
	return tz;
}

/*
 * *result = t + (months, days, usecs) counted on zone's calendar, exactly
 * as timestamptz_pl_interval counts it on the session zone's: months first
 * (day of month clamped to the month's length), then days, each followed
 * by the zone's offset at the new local time, then the time part as
 * elapsed microseconds.  Infinite t gives itself.  Returns false when the
 * result is out of range.
 */
bool
sp_timestamptz_add(TimestampTz t, int32 months, int32 days, int64 usecs,
				   pg_tz *zone, TimestampTz *result)
{
	struct pg_tm tt,
			   *tm = &tt;
	fsec_t		fsec;
	int			tzoff;

	if (TIMESTAMP_NOT_FINITE(t))
	{
		*result = t;
		return true;
	}
	if (months != 0)
	{
		int64		mon;
		int64		year;

		if (timestamp2tm(t, &tzoff, tm, &fsec, NULL, zone) != 0)
			return false;
		mon = (int64) tm->tm_year * MONTHS_PER_YEAR + (tm->tm_mon - 1) + months;
		year = mon >= 0 ? mon / MONTHS_PER_YEAR : -((-mon + MONTHS_PER_YEAR - 1) / MONTHS_PER_YEAR);
		if (year > 300000 || year < -300000)
			return false;
		tm->tm_year = (int) year;
		tm->tm_mon = (int) (mon - year * MONTHS_PER_YEAR) + 1;
		if (tm->tm_mday > day_tab[isleap(tm->tm_year)][tm->tm_mon - 1])
			tm->tm_mday = day_tab[isleap(tm->tm_year)][tm->tm_mon - 1];
		tzoff = DetermineTimeZoneOffset(tm, zone);
		if (tm2timestamp(tm, fsec, &tzoff, &t) != 0 || !IS_VALID_TIMESTAMP(t))
			return false;
	}
	if (days != 0)
	{
		int64		julian;

		if (timestamp2tm(t, &tzoff, tm, &fsec, NULL, zone) != 0)
			return false;
		julian = (int64) date2j(tm->tm_year, tm->tm_mon, tm->tm_mday) + days;
		if (julian < 0 || julian > TIMESTAMP_END_JULIAN)
			return false;
		j2date((int) julian, &tm->tm_year, &tm->tm_mon, &tm->tm_mday);
		tzoff = DetermineTimeZoneOffset(tm, zone);
		if (tm2timestamp(tm, fsec, &tzoff, &t) != 0 || !IS_VALID_TIMESTAMP(t))
			return false;
	}
	if (pg_add_s64_overflow(t, usecs, &t) || !IS_VALID_TIMESTAMP(t))
		return false;
	*result = t;
	return true;
}

/*
 * The canonical name of the time zone a binding records in its spec (the
 * zone whose calendar turns its timestamptz columns into dates), checked
 * as window_funnel checks its zone argument, so that every view the
 * binding generates accepts it.  from_session says the zone is the
 * session's TimeZone (no time_zone argument was given), for the message.
 */
/* salesplan_internal.binding_time_zone(text, text, boolean) -> text */
PG_FUNCTION_INFO_V1(salesplan_binding_time_zone);
Datum
salesplan_binding_time_zone(PG_FUNCTION_ARGS)
{
	text	   *zone = PG_GETARG_TEXT_PP(0);
	text	   *binding_name = PG_GETARG_TEXT_PP(1);
	bool		from_session = PG_GETARG_BOOL(2);
	char		canonical[TZ_STRLEN_MAX + 1];
	const char *why;
	int			len = VARSIZE_ANY_EXHDR(zone);

	if (sp_zone_find(VARDATA_ANY(zone), len, canonical, &why) == NULL)
	{
		if (from_session)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the session's time zone \"%.*s\" cannot be recorded in binding \"%s\"",
							Min(len, 300), VARDATA_ANY(zone), text_to_cstring(binding_name)),
					 why ? errdetail("%s", why) :
					 errdetail("A binding without a time_zone argument records the session's TimeZone, and this one is not a zone name."),
					 errhint("Pass time_zone => 'UTC' (or another zone from pg_timezone_names, such as 'America/New_York') to the bind function.")));
		sp_zone_unknown(zone, why ? why :
						psprintf("It was given as the time_zone of binding \"%s\".",
								 text_to_cstring(binding_name)));
	}
	PG_RETURN_TEXT_P(cstring_to_text(canonical));
}

/*
 * The wall-clock time of t in the zone named time_zone: timezone(zone, t)
 * for a zone NAME, never an abbreviation.  pg_catalog.timezone(text,
 * timestamptz) looks the text up in the reader's timezone_abbreviations
 * first, so 'CET' there is a fixed +01 all year and 'EST' is -05 or +10
 * depending on who reads; the bound views call this function with the
 * zone recorded in the binding's spec instead, so that they bucket on that
 * zone's calendar whatever the reader's settings.
 *
 * IMMUTABLE: the result depends on the arguments and the tz database
 * alone, not on TimeZone, DateStyle or timezone_abbreviations (as
 * AT TIME ZONE with a zone name, which PostgreSQL marks IMMUTABLE too).
 * An infinite t stays infinite.  The zone of the last call is kept in
 * fn_extra, as a view calls it with one zone for every row.
 */
typedef struct SpLocalTimeCache
{
	pg_tz	   *tz;
	int			len;
	char		name[FLEXIBLE_ARRAY_MEMBER];
} SpLocalTimeCache;

/* salesplan.local_time(timestamptz, text) -> timestamp */
PG_FUNCTION_INFO_V1(salesplan_local_time);
Datum
salesplan_local_time(PG_FUNCTION_ARGS)
{
	TimestampTz t = PG_GETARG_TIMESTAMPTZ(0);
	text	   *zone = PG_GETARG_TEXT_PP(1);
	SpLocalTimeCache *cache = (SpLocalTimeCache *) fcinfo->flinfo->fn_extra;
	int			len = VARSIZE_ANY_EXHDR(zone);
	struct pg_tm tt;
	fsec_t		fsec;
	int			tzoff;
	Timestamp	result;

	if (cache == NULL || cache->len != len || memcmp(cache->name, VARDATA_ANY(zone), len) != 0)
	{
		pg_tz	   *tz = sp_zone_arg(zone, NULL);

		if (cache == NULL || cache->len < len)
		{
			if (cache != NULL)
				pfree(cache);
			cache = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
									   offsetof(SpLocalTimeCache, name) + len);
			fcinfo->flinfo->fn_extra = cache;
		}
		cache->tz = tz;
		cache->len = len;
		memcpy(cache->name, VARDATA_ANY(zone), len);
	}
	if (TIMESTAMP_NOT_FINITE(t))
		PG_RETURN_TIMESTAMP(t);
	if (timestamp2tm(t, &tzoff, &tt, &fsec, NULL, cache->tz) != 0 ||
		tm2timestamp(&tt, fsec, NULL, &result) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	PG_RETURN_TIMESTAMP(result);
}

/*
 * Whether time_zone names a zone this server accepts where salesplan takes
 * a zone (local_time, window_funnel's zone argument, the bind functions'
 * time_zone): a zone of the server's tz database or a POSIX specification,
 * never an abbreviation nor "localtime".  A binding records its zone's
 * name and every read of its views looks it up again, so a name the tz
 * database lost (Debian moved CET, EST, US/Eastern and the other legacy
 * names to package tzdata-legacy with tzdata 2024b) makes every read fail:
 * this finds such bindings before that.  IMMUTABLE as local_time: the
 * answer depends on the argument and the tz database only.
 */
/* salesplan.time_zone_known(text) -> boolean */
PG_FUNCTION_INFO_V1(salesplan_time_zone_known);
Datum
salesplan_time_zone_known(PG_FUNCTION_ARGS)
{
	text	   *zone = PG_GETARG_TEXT_PP(0);
	char		canonical[TZ_STRLEN_MAX + 1];
	const char *why;

	PG_RETURN_BOOL(sp_zone_find(VARDATA_ANY(zone), VARSIZE_ANY_EXHDR(zone), canonical, &why) != NULL);
}
