-- The date the session's queries run on (one row): the caller's today, or the date given
-- with --as-of. Queries read it through the macro run_date(), never the system clock, so a
-- saved query gives the same answer whenever it is re-run as at the same date.
CREATE TABLE run_settings (run_date DATE);
CREATE MACRO run_date() AS (SELECT max(run_date) FROM run_settings);
