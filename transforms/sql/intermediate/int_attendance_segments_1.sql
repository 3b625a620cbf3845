-- Half 2 of int_attendance_segments: the children whose child_id hashes to 1 (see
-- int_attendance_segments_part).
CREATE TABLE int_attendance_segments_1 AS SELECT * FROM attendance_segments_part(1, 2);
