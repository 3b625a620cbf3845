-- Attendance marks added up per child, school and calendar segment (a term, or a holiday
-- between terms): marks (rows), possible, present, authorised and unauthorised sessions.
-- Every period is a union of whole segments, so later models never rescan the marks.
CREATE TABLE int_attendance_segments AS
SELECT a.child_id, a.school_urn, s.academic_year, s.term, s.start_date, s.end_date,
       count(*) AS marks,
       count(*) FILTER (WHERE a.is_possible) AS possible,
       count(*) FILTER (WHERE a.is_possible AND a.is_present) AS present,
       count(*) FILTER (WHERE a.is_possible AND a.is_authorised) AS authorised,
       count(*) FILTER (WHERE a.is_possible AND a.is_unauthorised) AS unauthorised
FROM stg_attendance_sessions a
ASOF JOIN segments s ON a.date >= s.start_date
WHERE a.date <= s.end_date
GROUP BY ALL;
