-- presets_time_zone: bind_odoo and bind_salesforce take time_zone (last,
-- DEFAULT NULL): the source views' dates and the bindings' periods and
-- today are on that zone's calendar (a Tokyo company wants Tokyo months).
-- NULL keeps the presets' UTC: dates in UTC and bindings that record
-- 'UTC', whatever the session's TimeZone (the generic bind functions
-- record the session's zone instead).  Before: no time_zone argument,
-- and the bindings recorded the session's zone (today in it).  Every count
-- below equals plain SQL over the same raw rows with AT TIME ZONE.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS salesplan;
SET extra_float_digits = 0;
SET DateStyle = 'ISO, YMD';
-- a session zone that is neither UTC nor Tokyo
SET TimeZone = 'America/New_York';
\set SHOW_CONTEXT never
\set odoo_schema 'tz_odoo'
\set sf_schema 'tz_sf'
\set sf_snake_schema 'tz_sf_snake'
\set ECHO none
\o /dev/null
\i test/data/odoo17.sql
\i test/data/salesforce.sql
\o
\set ECHO all
RESET search_path;
CREATE SCHEMA tz_rep;

-- ---------------------------------------------------------------------
-- Odoo: one more opportunity, created 2026-03-31 20:00 UTC (Odoo stores
-- UTC), which is 2026-04-01 05:00 in Tokyo
-- ---------------------------------------------------------------------
INSERT INTO tz_odoo.crm_lead (id, name, type, active, stage_id, team_id, user_id, partner_id, expected_revenue,
                              probability, create_date, won_status)
VALUES (12, 'Tokyo spring deal', 'opportunity', true, 1, 3, 3, 20, 400, 10, '2026-03-31 20:00', 'pending');
SELECT count(*) AS views FROM salesplan.bind_odoo('tz_rep', 'tz_odoo', prefix => 'utc');
SELECT count(*) AS views FROM salesplan.bind_odoo('tz_rep', 'tz_odoo', prefix => 'tok', time_zone => 'Asia/Tokyo');
-- by hand: March without a zone (UTC), April in Tokyo; the stage history's
-- time is the wall clock in Tokyo (20:00 + 9 h)
SELECT 'utc' AS preset, lead_id, created_on FROM tz_rep.utc_src_opportunity WHERE lead_id = 12
UNION ALL SELECT 'tok', lead_id, created_on FROM tz_rep.tok_src_opportunity WHERE lead_id = 12 ORDER BY 1;
SELECT 'utc' AS preset, changed_at, changed_on FROM tz_rep.utc_src_stage_history WHERE lead_id = 12
UNION ALL SELECT 'tok', changed_at, changed_on FROM tz_rep.tok_src_stage_history WHERE lead_id = 12 ORDER BY 1;
SELECT 'utc' AS preset, period, team, leads FROM tz_rep.utc_pipeline WHERE period >= '2026-01-01'
UNION ALL SELECT 'tok', period, team, leads FROM tz_rep.tok_pipeline WHERE period >= '2026-01-01' ORDER BY 1, 2;

-- the opportunities per month and team, plain SQL over crm_lead: Odoo's
-- UTC time read in each zone
CREATE TEMP VIEW o_months AS
SELECT z.zone, date_trunc('month', (l.create_date AT TIME ZONE 'UTC') AT TIME ZONE z.zone)::date AS period,
       l.team_id, count(*) AS leads
FROM tz_odoo.crm_lead l CROSS JOIN (VALUES ('UTC'), ('Asia/Tokyo')) AS z(zone)
WHERE l.type = 'opportunity' GROUP BY 1, 2, 3;
SELECT zone, period, sum(leads) AS leads FROM o_months GROUP BY 1, 2 ORDER BY 1, 2;
CREATE TEMP VIEW v_months AS
SELECT 'UTC' AS zone, period, team_id, leads FROM tz_rep.utc_pipeline
UNION ALL SELECT 'Asia/Tokyo', period, team_id, leads FROM tz_rep.tok_pipeline;
SELECT count(*) AS pipeline_differences FROM (
    (SELECT * FROM v_months EXCEPT SELECT * FROM o_months) UNION ALL (SELECT * FROM o_months EXCEPT SELECT * FROM v_months)) AS d;
-- every crm.lead row per month (the leads binding), and the ordered
-- funnel's entities per month
SELECT count(*) AS leads_differences FROM (
    (SELECT z.zone, date_trunc('month', (l.create_date AT TIME ZONE 'UTC') AT TIME ZONE z.zone)::date, l.team_id, count(*)
     FROM tz_odoo.crm_lead l CROSS JOIN (VALUES ('UTC'), ('Asia/Tokyo')) AS z(zone) GROUP BY 1, 2, 3
     EXCEPT (SELECT 'UTC', period, team_id, population FROM tz_rep.utc_leads
             UNION ALL SELECT 'Asia/Tokyo', period, team_id, population FROM tz_rep.tok_leads))
    UNION ALL
    ((SELECT 'UTC', period, team_id, population FROM tz_rep.utc_leads
      UNION ALL SELECT 'Asia/Tokyo', period, team_id, population FROM tz_rep.tok_leads)
     EXCEPT SELECT z.zone, date_trunc('month', (l.create_date AT TIME ZONE 'UTC') AT TIME ZONE z.zone)::date, l.team_id, count(*)
     FROM tz_odoo.crm_lead l CROSS JOIN (VALUES ('UTC'), ('Asia/Tokyo')) AS z(zone) GROUP BY 1, 2, 3)) AS d;
SELECT count(*) AS stage_flow_differences FROM (
    (SELECT zone, period, team_id, leads FROM o_months
     EXCEPT (SELECT 'UTC', period, team_id, entities FROM tz_rep.utc_stage_flow WHERE step = 1
             UNION ALL SELECT 'Asia/Tokyo', period, team_id, entities FROM tz_rep.tok_stage_flow WHERE step = 1))
    UNION ALL
    ((SELECT 'UTC', period, team_id, entities FROM tz_rep.utc_stage_flow WHERE step = 1
      UNION ALL SELECT 'Asia/Tokyo', period, team_id, entities FROM tz_rep.tok_stage_flow WHERE step = 1)
     EXCEPT SELECT zone, period, team_id, leads FROM o_months)) AS d;
-- the chatter's stage changes and touches, day by day, in Tokyo
CREATE TEMP VIEW o_history_days AS
SELECT m.res_id AS lead_id, ((m.date AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Tokyo')::date AS changed_on
FROM tz_odoo.mail_tracking_value t JOIN tz_odoo.mail_message m ON m.id = t.mail_message_id
JOIN tz_odoo.ir_model_fields f ON f.id = t.field_id AND f.model = 'crm.lead' AND f.name = 'stage_id'
WHERE m.model = 'crm.lead'
UNION ALL SELECT l.id, ((l.create_date AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Tokyo')::date FROM tz_odoo.crm_lead l;
SELECT count(*) AS history_day_differences FROM (
    (SELECT * FROM o_history_days EXCEPT ALL SELECT lead_id, changed_on FROM tz_rep.tok_src_stage_history)
    UNION ALL
    (SELECT lead_id, changed_on FROM tz_rep.tok_src_stage_history EXCEPT ALL SELECT * FROM o_history_days)) AS d;
CREATE TEMP VIEW o_touch AS
SELECT z.zone, coalesce(lp.commercial_partner_id, pp.commercial_partner_id) AS account_id,
       ((m.date AT TIME ZONE 'UTC') AT TIME ZONE z.zone)::date AS touched_on
FROM tz_odoo.mail_message m CROSS JOIN (VALUES ('UTC'), ('Asia/Tokyo')) AS z(zone)
LEFT JOIN tz_odoo.crm_lead l ON m.model = 'crm.lead' AND l.id = m.res_id
LEFT JOIN tz_odoo.res_partner lp ON lp.id = l.partner_id
LEFT JOIN tz_odoo.res_partner pp ON m.model = 'res.partner' AND pp.id = m.res_id
WHERE (m.message_type IN ('email', 'email_outgoing', 'comment') OR m.mail_activity_type_id IS NOT NULL)
  AND coalesce(lp.commercial_partner_id, pp.commercial_partner_id) IS NOT NULL
UNION ALL
SELECT z.zone, q.commercial_partner_id, ((e.start AT TIME ZONE 'UTC') AT TIME ZONE z.zone)::date
FROM tz_odoo.calendar_attendee a CROSS JOIN (VALUES ('UTC'), ('Asia/Tokyo')) AS z(zone)
JOIN tz_odoo.calendar_event e ON e.id = a.event_id AND e.active JOIN tz_odoo.res_partner q ON q.id = a.partner_id
WHERE a.state <> 'declined';
CREATE TEMP VIEW v_touch AS
SELECT 'UTC' AS zone, account_id, touched_on FROM tz_rep.utc_src_touch
UNION ALL SELECT 'Asia/Tokyo', account_id, touched_on FROM tz_rep.tok_src_touch;
SELECT zone, count(*) AS touches FROM o_touch GROUP BY 1 ORDER BY 1;
SELECT count(*) AS touch_differences FROM (
    (SELECT * FROM v_touch EXCEPT ALL SELECT * FROM o_touch) UNION ALL (SELECT * FROM o_touch EXCEPT ALL SELECT * FROM v_touch)) AS d;

-- the bindings record the zone: NULL is UTC (not the session's New York);
-- the preset call records the argument, for regenerate
SELECT name, spec ->> 'time_zone' AS time_zone, preset -> 'arguments' ->> 'time_zone' AS preset_time_zone
FROM salesplan.binding ORDER BY name;
-- today of each binding is today in its zone
SELECT (SELECT as_of FROM tz_rep.utc_targets) = (now() AT TIME ZONE 'UTC')::date AS utc_today,
       (SELECT as_of FROM tz_rep.tok_targets) = (now() AT TIME ZONE 'Asia/Tokyo')::date AS tokyo_today;
-- regenerate rebuilds the source views in the recorded zone
SELECT count(*) AS regenerated FROM salesplan.regenerate('tok_pipeline');
SELECT lead_id, created_on FROM tz_rep.tok_src_opportunity WHERE lead_id = 12;
-- and a session zone at bind time does not enter (Tokyo session, no zone)
SET TimeZone = 'Asia/Tokyo';
SELECT count(*) AS views FROM salesplan.bind_odoo('tz_rep', 'tz_odoo', prefix => 'ses');
SELECT lead_id, created_on FROM tz_rep.ses_src_opportunity WHERE lead_id = 12;
SELECT DISTINCT spec ->> 'time_zone' AS time_zone FROM salesplan.binding WHERE name LIKE 'ses\_%';
SET TimeZone = 'America/New_York';

-- ---------------------------------------------------------------------
-- Salesforce: opportunity 09 was created 2024-01-31 23:30 UTC, February 1
-- in Tokyo
-- ---------------------------------------------------------------------
SELECT count(*) AS views FROM salesplan.bind_salesforce('tz_rep', 'tz_sf', prefix => 'sutc', as_of => '2024-06-30');
SELECT count(*) AS views FROM salesplan.bind_salesforce('tz_rep', 'tz_sf', prefix => 'stok', as_of => '2024-06-30',
                                                        time_zone => 'Asia/Tokyo');
SELECT 'sutc' AS preset, opportunity_id, created_on FROM tz_rep.sutc_src_opportunity WHERE opportunity_id = '006000000000000009'
UNION ALL SELECT 'stok', opportunity_id, created_on FROM tz_rep.stok_src_opportunity WHERE opportunity_id = '006000000000000009' ORDER BY 1;
CREATE TEMP VIEW s_months AS
SELECT z.zone, date_trunc('month', o."CreatedDate" AT TIME ZONE z.zone)::date AS period, count(*) AS leads
FROM tz_sf."Opportunity" o CROSS JOIN (VALUES ('UTC'), ('Asia/Tokyo')) AS z(zone)
WHERE NOT o."IsDeleted" GROUP BY 1, 2;
SELECT * FROM s_months ORDER BY 1, 2;
SELECT count(*) AS sf_pipeline_differences FROM (
    (SELECT * FROM s_months
     EXCEPT (SELECT 'UTC', period, sum(leads) FROM tz_rep.sutc_pipeline GROUP BY period
             UNION ALL SELECT 'Asia/Tokyo', period, sum(leads) FROM tz_rep.stok_pipeline GROUP BY period))
    UNION ALL
    ((SELECT 'UTC', period, sum(leads) FROM tz_rep.sutc_pipeline GROUP BY period
      UNION ALL SELECT 'Asia/Tokyo', period, sum(leads) FROM tz_rep.stok_pipeline GROUP BY period)
     EXCEPT SELECT * FROM s_months)) AS d;
-- touches without an ActivityDate fall back to CreatedDate / StartDateTime
-- in the zone: task 02 (2024-02-03 23:30 UTC) and event 02 (2024-03-31
-- 23:30 UTC) are a day later in Tokyo
CREATE TEMP VIEW s_touch AS
SELECT z.zone, t."AccountId"::text AS account_id, coalesce(t."ActivityDate", (t."CreatedDate" AT TIME ZONE z.zone)::date) AS touched_on
FROM tz_sf."Task" t CROSS JOIN (VALUES ('UTC'), ('Asia/Tokyo')) AS z(zone)
WHERE t."IsClosed" AND NOT t."IsDeleted" AND t."AccountId" IS NOT NULL
UNION ALL
SELECT z.zone, e."AccountId"::text, coalesce(e."ActivityDate", (e."StartDateTime" AT TIME ZONE z.zone)::date)
FROM tz_sf."Event" e CROSS JOIN (VALUES ('UTC'), ('Asia/Tokyo')) AS z(zone)
WHERE NOT e."IsDeleted" AND e."AccountId" IS NOT NULL;
CREATE TEMP VIEW sv_touch AS
SELECT 'UTC' AS zone, account_id, touched_on FROM tz_rep.sutc_src_touch
UNION ALL SELECT 'Asia/Tokyo', account_id, touched_on FROM tz_rep.stok_src_touch;
SELECT account_id, touched_on AS tokyo_only FROM tz_rep.stok_src_touch
EXCEPT ALL SELECT account_id, touched_on FROM tz_rep.sutc_src_touch ORDER BY 1, 2;
SELECT count(*) AS sf_touch_differences FROM (
    (SELECT * FROM sv_touch EXCEPT ALL SELECT * FROM s_touch) UNION ALL (SELECT * FROM s_touch EXCEPT ALL SELECT * FROM sv_touch)) AS d;

-- ---------------------------------------------------------------------
-- errors: a zone name (or POSIX specification) only, never an
-- abbreviation; nothing of a failed call is left behind
-- ---------------------------------------------------------------------
\set VERBOSITY default
SELECT * FROM salesplan.bind_odoo('tz_rep', 'tz_odoo', prefix => 'x', time_zone => 'JST');
SELECT * FROM salesplan.bind_salesforce('tz_rep', 'tz_sf', prefix => 'x', time_zone => 'Mars/Olympus_Mons');
\set VERBOSITY terse
SELECT count(*) AS x_views FROM pg_class WHERE relname LIKE 'x\_%' AND relnamespace = 'tz_rep'::regnamespace;

DISCARD TEMP;
SET client_min_messages = warning;
SELECT count(*) AS unbound FROM salesplan.binding WHERE salesplan.unbind(name);
DROP SCHEMA tz_rep, tz_odoo, tz_sf, tz_sf_snake CASCADE;
DROP EXTENSION salesplan;
