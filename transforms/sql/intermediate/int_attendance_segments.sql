-- Attendance marks added up per child, school and calendar segment (a term, or a holiday
-- between terms): marks (rows), possible, present, authorised and unauthorised sessions, over
-- the current version of each mark. Computed in two halves by child (see
-- int_attendance_segments_part for the definition and how marks are deduplicated).
CREATE VIEW int_attendance_segments AS
SELECT * FROM int_attendance_segments_0
UNION ALL
SELECT * FROM int_attendance_segments_1;
