-- Run parameters: tables the runner fills from the Request with bind parameters before any
-- model is built. Models read run settings only from these tables.

-- The periods to compute (report period and trend periods). ref_date is the cohort reference
-- date (a term's last day, or 31 March for an academic year); ref_label names it in cohort strings.
-- is_term: a single term. is_ytd: a year to date, 1 August to the last day of term (not a
-- term: only the attendance and exclusion measures, which add up calendar segments, use it).
-- Academic-year periods have neither flag.
CREATE TABLE periods (
    period_id INTEGER, year INTEGER, academic_year VARCHAR, time_period VARCHAR,
    time_identifier VARCHAR, term VARCHAR, is_term BOOLEAN, is_ytd BOOLEAN, start_date DATE, end_date DATE,
    ref_date DATE, ref_label VARCHAR
);

-- The academic years around the periods cut into contiguous segments: each configured term,
-- and the holidays between terms (term = ''). Segments cover every day of those years, so
-- every period (a term or a whole year of the same calendar) is a union of whole segments.
CREATE TABLE segments (academic_year VARCHAR, term VARCHAR, start_date DATE, end_date DATE);

-- For every date that can start a period of care inside a term period: the 20th working day
-- after it (Monday-Friday, not an England bank holiday; the start day is day 0).
CREATE TABLE pep_deadlines (start_date DATE, deadline DATE);

-- Year 1 phonics pass mark per academic year.
CREATE TABLE phonics_thresholds (academic_year VARCHAR, threshold INTEGER);

-- PEP quality ratings, worst first.
CREATE TABLE pep_quality_scale (rating VARCHAR, rank INTEGER);

-- The home local authority (one row).
CREATE TABLE settings (home_old_code VARCHAR, home_new_code VARCHAR, home_name VARCHAR);

-- The terms whose action lists are computed (one period_id per report of the run, repeats
-- dropped; none without a term).
CREATE TABLE action_period (period_id INTEGER);

-- Added in v2 (education stability; filled by fillParamsV2, params_v2.go).
-- The full-time threshold of part_time_timetable_rate (one row).
CREATE TABLE education_settings (full_time_hours DOUBLE);
-- Every school day of the stability windows of the periods (docs/measures.md, Education stability): Monday to
-- Friday, not an England bank holiday, not in August, and inside a term of the configured
-- calendar (the days between configured terms are its holidays).
CREATE TABLE stability_school_days (day DATE);
-- The periods whose celebrations are computed (one row per report of the run that has one,
-- repeats dropped): a term, with the previous term of the calendar (for attendance_improved),
-- or an academic year (previous_period_id NULL).
CREATE TABLE celebration_period (period_id INTEGER, previous_period_id INTEGER);
