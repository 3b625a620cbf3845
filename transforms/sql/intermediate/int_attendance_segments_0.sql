-- Half 1 of int_attendance_segments: the children whose child_id hashes to 0 (see
-- int_attendance_segments_part).
CREATE TABLE int_attendance_segments_0 AS SELECT * FROM attendance_segments_part(0, 2);
