-- test/data/odoo17.sql: a small, hand-written Odoo 17 database for the
-- preset tests (test/sql/presets_odoo.sql), in schema :"odoo_schema".
--
-- Tables and columns are those Odoo 17's ORM creates for the models the
-- preset reads (crm.lead, crm.stage, crm.team, crm.lost.reason,
-- res.partner, res.partner.category, res.company, mail.message,
-- mail.tracking.value, ir.model.fields, mail.activity, calendar.event,
-- calendar.attendee, project.project, project.milestone), reduced to the
-- columns that matter plus a few that do not, with Odoo's types: translated
-- names are jsonb, datetimes are timestamp without time zone in UTC,
-- probability is double precision, won_status is the stored selection.
--
-- The messiness it carries, lead by lead (crm_lead.id):
--   1  won through every stage
--   2  moved to Won, then archived: Odoo sets probability 0, so it is lost
--      (won_status 'lost'), though its stage is still Won
--   3  lost (archived, lost_reason_id) at Qualified
--   4  regressed: went to Won, reopened back to Qualified (pending)
--   5  created at a stage that was deleted since (its tracking still names
--      it), advanced, then moved back (regression)
--   6  never changed stage (no tracking: the initial stage is not tracked)
--   7  won at a second won stage ("Signed"), straight from New
--   8  a lead (type lead), never converted
--   9  a lost lead (archived lead, probability 0)
--  10  archived without being lost (probability 20): pending, as Odoo says
--  11  an opportunity of a team without translation in the session language
-- Chatter: stage changes (tracked), a tracked change of another field, an
-- email from the customer, a note, an outbound email on a contact, a
-- completed activity, a tracking notification of another model.  Meetings:
-- one attended by a customer's contact and our salesperson, one declined,
-- one archived.  mail_activity: planned activities (not touches).

CREATE SCHEMA :"odoo_schema";
SET search_path = :"odoo_schema";

CREATE TABLE res_partner (
    id serial PRIMARY KEY, name varchar, parent_id int, commercial_partner_id int,
    is_company boolean, active boolean, user_id int, email varchar, create_date timestamp);
CREATE TABLE res_company (id serial PRIMARY KEY, name varchar NOT NULL, partner_id int NOT NULL);
CREATE TABLE res_partner_category (
    id serial PRIMARY KEY, name jsonb NOT NULL, color int, parent_id int, active boolean);
CREATE TABLE res_partner_res_partner_category_rel (
    category_id int NOT NULL, partner_id int NOT NULL, PRIMARY KEY (category_id, partner_id));
CREATE TABLE crm_team (
    id serial PRIMARY KEY, name jsonb NOT NULL, active boolean, sequence int, user_id int, company_id int);
CREATE TABLE crm_stage (
    id serial PRIMARY KEY, name jsonb NOT NULL, sequence int, is_won boolean, fold boolean,
    team_id int, requirements text);
CREATE TABLE crm_lost_reason (id serial PRIMARY KEY, name jsonb NOT NULL, active boolean);
CREATE TABLE crm_lead (
    id serial PRIMARY KEY, name varchar NOT NULL, type varchar NOT NULL, active boolean,
    stage_id int, team_id int, user_id int, partner_id int, company_id int,
    expected_revenue numeric, prorated_revenue numeric, recurring_revenue numeric,
    probability double precision, automated_probability double precision,
    date_open timestamp, date_closed timestamp, date_conversion timestamp,
    date_last_stage_update timestamp, date_deadline date,
    lost_reason_id int, won_status varchar, create_date timestamp, write_date timestamp);
CREATE INDEX crm_lead_stage_id_index ON crm_lead (stage_id);
CREATE TABLE ir_model_fields (
    id serial PRIMARY KEY, model varchar NOT NULL, name varchar NOT NULL, ttype varchar, model_id int);
CREATE TABLE mail_message (
    id serial PRIMARY KEY, model varchar, res_id int, date timestamp, message_type varchar NOT NULL,
    subtype_id int, author_id int, body text, mail_activity_type_id int, record_name varchar);
CREATE INDEX mail_message_model_res_id_idx ON mail_message (model, res_id);
CREATE TABLE mail_tracking_value (
    id serial PRIMARY KEY, field_id int, field_info jsonb, mail_message_id int NOT NULL,
    old_value_integer int, new_value_integer int, old_value_char varchar, new_value_char varchar,
    currency_id int);
CREATE TABLE mail_activity (
    id serial PRIMARY KEY, res_model varchar, res_id int, date_deadline date NOT NULL,
    activity_type_id int, user_id int, summary varchar);
CREATE TABLE calendar_event (
    id serial PRIMARY KEY, name varchar NOT NULL, start timestamp NOT NULL, stop timestamp NOT NULL,
    allday boolean, active boolean, res_model varchar, res_id int, opportunity_id int, user_id int);
CREATE TABLE calendar_attendee (
    id serial PRIMARY KEY, event_id int NOT NULL, partner_id int, state varchar, common_name varchar);
CREATE TABLE project_project (
    id serial PRIMARY KEY, name jsonb NOT NULL, active boolean, user_id int, partner_id int,
    date_start date, date date);
CREATE TABLE project_milestone (
    id serial PRIMARY KEY, name varchar NOT NULL, project_id int NOT NULL, deadline date,
    is_reached boolean, reached_date date, quantity_percentage double precision);

-- partners: 1 our company (2, 3 its salespeople), 10 Acme (11 its contact),
-- 20 Globex (21), 30 Initech, 40 Umbrella (archived), 50 Hooli, 60 Soylent
INSERT INTO res_partner (id, name, parent_id, commercial_partner_id, is_company, active, user_id) VALUES
    (1, 'My Company', NULL, 1, true, true, NULL),
    (2, 'Ann Sales', 1, 1, false, true, NULL),
    (3, 'Ben Sales', 1, 1, false, true, NULL),
    (10, 'Acme', NULL, 10, true, true, 2),
    (11, 'Acme, Bob', 10, 10, false, true, 2),
    (20, 'Globex', NULL, 20, true, true, 3),
    (21, 'Globex, Eve', 20, 20, false, true, 3),
    (30, 'Initech', NULL, 30, true, true, 3),
    (40, 'Umbrella', NULL, 40, true, false, 2),
    (50, 'Hooli', NULL, 50, true, true, 2),
    (60, 'Soylent', NULL, 60, true, true, 2);
INSERT INTO res_company (id, name, partner_id) VALUES (1, 'My Company', 1);
INSERT INTO res_partner_category (id, name, color, active) VALUES
    (1, '{"en_US": "Key Account", "fr_FR": "Compte clé"}', 1, true),
    (2, '{"en_US": "Prospect"}', 2, true),
    (3, '{"en_US": "Key Account (old)"}', 3, false);
-- Acme tagged on the company, Globex through its contact, Umbrella archived,
-- Hooli tagged (never touched: only a planned activity), Initech only a
-- prospect, Soylent only an archived tag
INSERT INTO res_partner_res_partner_category_rel (category_id, partner_id) VALUES
    (1, 10), (1, 21), (1, 40), (1, 50), (2, 30), (3, 60);

INSERT INTO crm_team (id, name, active, sequence) VALUES
    (1, '{"en_US": "Europe", "fr_FR": "Europe (FR)"}', true, 1),
    (2, '{"en_US": "America", "fr_FR": "Amérique"}', true, 2),
    (3, '{"en_US": "Asia"}', true, 3);
-- stage 9 ("Discovery") existed and was deleted: only the chatter names it
INSERT INTO crm_stage (id, name, sequence, is_won, fold) VALUES
    (1, '{"en_US": "New", "fr_FR": "Nouveau"}', 1, false, false),
    (2, '{"en_US": "Qualified", "fr_FR": "Qualifié"}', 2, false, false),
    (3, '{"en_US": "Proposition"}', 3, false, false),
    (4, '{"en_US": "Won", "fr_FR": "Gagné"}', 70, true, false),
    (6, '{"en_US": "Signed"}', 80, true, true);
INSERT INTO crm_lost_reason (id, name, active) VALUES (1, '{"en_US": "Too expensive"}', true);

INSERT INTO crm_lead (id, name, type, active, stage_id, team_id, user_id, partner_id, expected_revenue,
                      probability, create_date, date_closed, date_conversion, lost_reason_id, won_status) VALUES
    (1, 'Acme ERP', 'opportunity', true, 4, 1, 2, 11, 1000, 100, '2024-01-05 10:00', '2024-02-01 09:00', NULL, NULL, 'won'),
    (2, 'Acme CRM', 'opportunity', false, 4, 1, 2, 10, 2000, 0, '2024-01-20 23:30', '2024-01-25 11:00', NULL, NULL, 'lost'),
    (3, 'Globex HR', 'opportunity', false, 2, 1, 3, 20, 500, 0, '2024-01-22 08:00', '2024-01-30 16:00', NULL, 1, 'lost'),
    (4, 'Globex BI', 'opportunity', true, 2, 2, 3, 21, 800, 30, '2024-02-02 07:00', NULL, NULL, NULL, 'pending'),
    (5, 'Initech PoS', 'opportunity', true, 1, 2, 3, 30, NULL, 10, '2024-02-15 12:00', NULL, NULL, NULL, 'pending'),
    (6, 'Walk-in', 'opportunity', true, 1, 2, 2, NULL, 300, 10, '2024-03-03 15:00', NULL, NULL, NULL, 'pending'),
    (7, 'Acme support', 'opportunity', true, 6, 1, 2, 11, 1500.50, 100, '2024-03-10 22:45', '2024-03-20 10:00', '2024-03-11 09:00', NULL, 'won'),
    (8, 'Initech lead', 'lead', true, 1, 1, 3, 30, 250, 5, '2024-01-08 09:00', NULL, NULL, NULL, 'pending'),
    (9, 'Spam lead', 'lead', false, 1, 2, NULL, NULL, NULL, 0, '2024-02-11 06:00', '2024-02-12 06:00', NULL, 1, 'lost'),
    (10, 'Acme old', 'opportunity', false, 2, 1, 2, 10, 700, 20, '2024-03-15 04:00', NULL, NULL, NULL, 'pending'),
    (11, 'Tokyo deal', 'opportunity', true, 3, 3, 3, 20, 900, 50, '2024-02-28 23:59', NULL, NULL, NULL, 'pending');

INSERT INTO ir_model_fields (id, model, name, ttype) VALUES
    (101, 'crm.lead', 'stage_id', 'many2one'),
    (102, 'crm.lead', 'user_id', 'many2one'),
    (103, 'res.partner', 'user_id', 'many2one'),
    (104, 'crm.lead', 'won_status', 'selection');

-- chatter: notifications carrying tracking values (stage changes), in
-- mail_message id order; values point at crm_stage ids
INSERT INTO mail_message (id, model, res_id, date, message_type, author_id, body, mail_activity_type_id) VALUES
    (1001, 'crm.lead', 1, '2024-01-10 09:00', 'notification', 2, NULL, NULL),
    (1002, 'crm.lead', 1, '2024-01-15 09:00', 'notification', 2, NULL, NULL),
    (1003, 'crm.lead', 1, '2024-02-01 09:00', 'notification', 2, NULL, NULL),
    (1004, 'crm.lead', 2, '2024-01-25 11:00', 'notification', 2, NULL, NULL),
    (1005, 'crm.lead', 3, '2024-01-24 10:00', 'notification', 3, NULL, NULL),
    (1006, 'crm.lead', 4, '2024-02-05 10:00', 'notification', 3, NULL, NULL),
    (1007, 'crm.lead', 4, '2024-02-10 10:00', 'notification', 3, NULL, NULL),
    (1008, 'crm.lead', 4, '2024-02-20 10:00', 'notification', 3, NULL, NULL),
    (1009, 'crm.lead', 5, '2024-02-16 10:00', 'notification', 3, NULL, NULL),
    (1010, 'crm.lead', 5, '2024-02-20 10:00', 'notification', 3, NULL, NULL),
    (1011, 'crm.lead', 5, '2024-03-01 10:00', 'notification', 3, NULL, NULL),
    (1012, 'crm.lead', 7, '2024-03-20 10:00', 'notification', 2, NULL, NULL),
    (1013, 'crm.lead', 1, '2024-01-11 09:00', 'notification', 2, NULL, NULL),   -- user_id change
    (1014, 'res.partner', 10, '2024-01-11 09:00', 'notification', 2, NULL, NULL), -- another model
    (1015, 'crm.lead', 11, '2024-03-02 01:00', 'notification', 3, NULL, NULL),
    -- touches
    (2001, 'crm.lead', 1, '2024-01-12 14:00', 'email', 11, 'Re: offer', NULL),         -- from the customer
    (2002, 'crm.lead', 3, '2024-01-23 16:00', 'comment', 3, 'Called Globex', NULL),     -- our note
    (2003, 'res.partner', 21, '2024-02-05 08:00', 'email_outgoing', 3, 'Invitation', NULL), -- our email to a contact
    (2004, 'crm.lead', 1, '2024-02-01 08:30', 'notification', 2, 'Call done', 1),         -- completed activity
    (2005, 'crm.lead', 6, '2024-03-04 10:00', 'email', 2, 'No partner', NULL),            -- lead without customer
    (2006, 'res.partner', 30, '2024-05-02 23:30', 'comment', 3, 'Met at fair', NULL),
    (2007, 'crm.lead', 9, '2024-02-11 06:00', 'email', NULL, 'Spam', NULL);
INSERT INTO mail_tracking_value (id, field_id, mail_message_id, old_value_integer, new_value_integer) VALUES
    (1, 101, 1001, 1, 2), (2, 101, 1002, 2, 3), (3, 101, 1003, 3, 4),
    (4, 101, 1004, 1, 4),
    (5, 101, 1005, 1, 2),
    (6, 101, 1006, 1, 3), (7, 101, 1007, 3, 4), (8, 101, 1008, 4, 2),
    (9, 101, 1009, 9, 1), (10, 101, 1010, 1, 2), (11, 101, 1011, 2, 1),
    (12, 101, 1012, 1, 6),
    (13, 102, 1013, 2, 3),
    (14, 103, 1014, 2, 3),
    (15, 101, 1015, 2, 3);

-- planned activities: due, not done; must not count as touches
INSERT INTO mail_activity (id, res_model, res_id, date_deadline, activity_type_id, user_id, summary) VALUES
    (1, 'res.partner', 50, '2024-03-08', 1, 2, 'Call Hooli'),
    (2, 'crm.lead', 5, '2024-03-09', 1, 3, 'Follow up');

INSERT INTO calendar_event (id, name, start, stop, allday, active, res_model, res_id, opportunity_id, user_id) VALUES
    (1, 'Globex demo', '2024-03-05 23:00', '2024-03-06 00:00', false, true, 'crm.lead', 4, 4, 3),
    (2, 'Hooli intro', '2024-03-06 09:00', '2024-03-06 10:00', false, true, NULL, NULL, NULL, 2),
    (3, 'Acme lunch', '2024-03-07 12:00', '2024-03-07 13:00', false, false, NULL, NULL, NULL, 2);
INSERT INTO calendar_attendee (id, event_id, partner_id, state) VALUES
    (1, 1, 3, 'accepted'), (2, 1, 21, 'accepted'),
    (3, 2, 2, 'accepted'), (4, 2, 50, 'declined'),
    (5, 3, 11, 'accepted');

INSERT INTO project_project (id, name, active, user_id, partner_id, date_start) VALUES
    (1, '{"en_US": "ERP rollout", "fr_FR": "Déploiement ERP"}', true, 2, 10, '2024-02-01'),
    (2, '{"en_US": "Old project"}', false, 2, 10, '2023-01-01'),
    (3, '{"en_US": "CRM"}', true, 3, 20, '2024-02-15');
INSERT INTO project_milestone (id, name, project_id, deadline, is_reached, reached_date, quantity_percentage) VALUES
    (1, 'Design', 1, '2024-03-01', true, '2024-03-04', 0.25),
    (2, 'Build', 1, '2024-04-01', false, NULL, 0.5),
    (3, 'Go-live', 1, '2024-05-01', false, NULL, 0.25),
    (4, 'Old', 2, '2023-03-01', false, NULL, 1),
    (5, 'Kick-off', 3, '2024-03-15', true, '2024-03-10', NULL),
    (6, 'Pilot', 3, '2024-06-01', false, '2024-05-30', NULL);

RESET search_path;
