-- Attendance summaries: the current version of each (child, school, period_start, period_end).
CREATE TABLE stg_attendance_summary AS
SELECT child_id, school_urn, period_start, period_end, sessions_possible, sessions_present,
       sessions_authorised, sessions_unauthorised
FROM src_attendance_summary
QUALIFY row_number() OVER (PARTITION BY child_id, school_urn, period_start, period_end ORDER BY version_key(batch_id, source_line) DESC) = 1;
