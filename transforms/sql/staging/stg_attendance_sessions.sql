-- Attendance marks, every version as ingested (a view: the marks are the largest dataset and
-- are read once, straight from the Parquet files, by int_attendance_segments, which keeps the
-- current version of each (child, school, date, session): latest batch, then latest line).
-- version orders the versions of a mark like ORDER BY batch_id, source_line: the batch's rank
-- among the dataset's batch_ids (lexical) times 2^40, plus source_line (a file line or row
-- number, 0 <= source_line < 2^40); NULL when batch_id or source_line is NULL. It is only
-- evaluated for the few marks that have more than one version.
-- The domain-reference 1.2 implementation rule is applied to the (normalised, 2024-set) code
-- (macros, also used by int_attendance_segments on deduplicated marks):
-- possible = every code except X, Q, Y1-Y7, Z, #, D and '-';
-- present = / \ L K V P W B; authorised = C C1 C2 E I J1 M R S T; unauthorised = G N O U.
CREATE MACRO attendance_is_possible(code) AS (code NOT IN ('X', 'Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'Z', '#', 'D', '-'));
CREATE MACRO attendance_is_present(code) AS (code IN ('/', '\', 'L', 'K', 'V', 'P', 'W', 'B'));
CREATE MACRO attendance_is_authorised(code) AS (code IN ('C', 'C1', 'C2', 'E', 'I', 'J1', 'M', 'R', 'S', 'T'));
CREATE MACRO attendance_is_unauthorised(code) AS (code IN ('G', 'N', 'O', 'U'));
CREATE VIEW stg_attendance_sessions AS
SELECT child_id, school_urn, date, session, code, batch_id, source_line,
       attendance_is_possible(code) AS is_possible,
       attendance_is_present(code) AS is_present,
       attendance_is_authorised(code) AS is_authorised,
       attendance_is_unauthorised(code) AS is_unauthorised
FROM src_attendance_sessions;
