
-- ---------------------------------------------------------------------
-- Internals out of reach (doc/security.md): nobody but the extension's
-- owner may run the functions of schema salesplan_internal.  The public
-- binding functions reach them through src/binding.c, the planning
-- functions as SECURITY DEFINER functions that run no user SQL.
-- ---------------------------------------------------------------------

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA salesplan_internal FROM PUBLIC;
