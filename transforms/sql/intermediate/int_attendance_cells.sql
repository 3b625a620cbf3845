-- Attendance per breakdown cell (int_cells) of school-age children (NCY 0-11), with the
-- scaffold rows so every cell has a row: what the seven attendance measures read, summed in
-- one pass instead of one join per measure. A child with no attendance data counts in
-- children only; absence is summed as authorised + unauthorised per child row.
CREATE TABLE int_attendance_cells AS
SELECT c.period_id, c.cell_id,
       count(c.child_id) AS children,
       count(c.child_id) FILTER (WHERE a.possible > 0) AS pupils,
       count(c.child_id) FILTER (WHERE a.possible > 0 AND (a.authorised + a.unauthorised) * 10 >= a.possible) AS persistent,
       count(c.child_id) FILTER (WHERE a.possible > 0 AND (a.authorised + a.unauthorised) * 2 >= a.possible) AS severe,
       coalesce(sum(a.possible), 0) AS possible,
       coalesce(sum(a.present), 0) AS present,
       coalesce(sum(a.authorised), 0) AS authorised,
       coalesce(sum(a.unauthorised), 0) AS unauthorised,
       coalesce(sum(a.authorised + a.unauthorised), 0) AS absence
FROM int_cells c
LEFT JOIN int_attendance_child a ON a.period_id = c.period_id AND a.child_id = c.child_id
WHERE c.child_id IS NULL OR c.school_age
GROUP BY c.period_id, c.cell_id;
