-- Attendance marks have no staging view: int_attendance_segments reads them (and the summaries
-- ingest writes beside them) straight from the Parquet files and keeps the current version of
-- each (child, school, date, session): latest batch, then latest line.
-- This file classifies the (normalised, 2024-set) attendance codes by the rule of docs/domain.md
-- (Attendance codes), as a table joined once per summary row:
-- possible = every code except X, Q, Y1-Y7, Z, #, D and '-';
-- present = / \ L K V P W B; authorised = C C1 C2 E I J1 M R S T; unauthorised = G N O U.
-- A code not in the table is possible and nothing else; a NULL code is nothing.
-- class sums up the four flags for counting: 0 not possible, 1 present, 2 authorised,
-- 3 unauthorised (4, possible and nothing else, is a code that is not in the table).
CREATE TABLE attendance_code_classes AS
SELECT code, NOT not_possible AS is_possible, is_present, is_authorised, is_unauthorised,
       CASE WHEN not_possible THEN 0 WHEN is_present THEN 1 WHEN is_authorised THEN 2 WHEN is_unauthorised THEN 3 ELSE 4 END::UTINYINT AS class
FROM (VALUES
    ('X', true, false, false, false), ('Q', true, false, false, false),
    ('Y1', true, false, false, false), ('Y2', true, false, false, false),
    ('Y3', true, false, false, false), ('Y4', true, false, false, false),
    ('Y5', true, false, false, false), ('Y6', true, false, false, false),
    ('Y7', true, false, false, false), ('Z', true, false, false, false),
    ('#', true, false, false, false), ('D', true, false, false, false),
    ('-', true, false, false, false),
    ('/', false, true, false, false), ('\', false, true, false, false),
    ('L', false, true, false, false), ('K', false, true, false, false),
    ('V', false, true, false, false), ('P', false, true, false, false),
    ('W', false, true, false, false), ('B', false, true, false, false),
    ('C', false, false, true, false), ('C1', false, false, true, false),
    ('C2', false, false, true, false), ('E', false, false, true, false),
    ('I', false, false, true, false), ('J1', false, false, true, false),
    ('M', false, false, true, false), ('R', false, false, true, false),
    ('S', false, false, true, false), ('T', false, false, true, false),
    ('G', false, false, false, true), ('N', false, false, false, true),
    ('O', false, false, false, true), ('U', false, false, false, true)
) AS t(code, not_possible, is_present, is_authorised, is_unauthorised);
