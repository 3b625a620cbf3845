-- Attendance marks, every version as ingested (a view: the marks are the largest dataset and
-- are read once, straight from the Parquet files, by int_attendance_segments, which keeps the
-- current version of each (child, school, date, session): latest batch, then latest line).
-- version orders the versions of a mark like ORDER BY batch_id, source_line: the batch's rank
-- among the dataset's batch_ids (lexical) times 2^40, plus source_line (a file line or row
-- number, 0 <= source_line < 2^40); NULL when batch_id or source_line is NULL. It is only
-- evaluated for the few marks that have more than one version.
-- The domain-reference 1.2 implementation rule is applied to the (normalised, 2024-set) code
-- through attendance_code_classes (one hash join rather than four IN lists per mark; also used
-- by int_attendance_segments on deduplicated marks):
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
CREATE VIEW stg_attendance_sessions AS
SELECT a.child_id, a.school_urn, a.date, a.session, a.code, a.batch_id, a.source_line,
       coalesce(k.is_possible, a.code IS NOT NULL) AS is_possible,
       coalesce(k.is_present, false) AS is_present,
       coalesce(k.is_authorised, false) AS is_authorised,
       coalesce(k.is_unauthorised, false) AS is_unauthorised
FROM src_attendance_sessions a
LEFT JOIN attendance_code_classes k ON k.code = a.code;
