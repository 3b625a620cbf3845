-- The current version of every attendance mark (child, school, date, session): the latest
-- batch, then the latest source line, as the measures count them, with its code's class
-- (attendance_code_classes: a code not in the table is possible and nothing else, a NULL code
-- is nothing). For ad hoc queries only: the measures read the marks through
-- int_attendance_segments.
CREATE VIEW attendance_marks AS
SELECT m.child_id, m.school_urn, m.date, m.session, m.code, m.source_code, m.academic_year,
       coalesce(k.is_possible, m.code IS NOT NULL) AS is_possible,
       coalesce(k.is_present, false) AS is_present,
       coalesce(k.is_authorised, false) AS is_authorised,
       coalesce(k.is_unauthorised, false) AS is_unauthorised,
       m.batch_id
FROM src_attendance_sessions m
LEFT JOIN attendance_code_classes k ON k.code = m.code
QUALIFY row_number() OVER (PARTITION BY m.child_id, m.school_urn, m.date, m.session
                           ORDER BY version_key(m.batch_id, m.source_line) DESC) = 1;
