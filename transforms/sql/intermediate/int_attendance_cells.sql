-- Attendance per breakdown cell (int_cells) of school-age children (NCY 0-11), with the
-- scaffold rows so every cell has a row: what the seven attendance measures read, summed in
-- one pass instead of one join per measure. A child with no attendance data counts in
-- children only; absence is summed as authorised + unauthorised per child row.
CREATE TABLE int_attendance_cells AS
SELECT c.period_id, c.cell_id,
       count(c.child_key) AS children,
       coalesce(sum(a.pupil), 0)::BIGINT AS pupils,
       coalesce(sum(a.persistent), 0)::BIGINT AS persistent,
       coalesce(sum(a.severe), 0)::BIGINT AS severe,
       coalesce(sum(a.possible), 0) AS possible,
       coalesce(sum(a.present), 0) AS present,
       coalesce(sum(a.authorised), 0) AS authorised,
       coalesce(sum(a.unauthorised), 0) AS unauthorised,
       coalesce(sum(a.absence), 0) AS absence
FROM int_cells c
LEFT JOIN (
    -- Per child: pupil (possible sessions), persistently absent (absence >= 10% of possible),
    -- severely absent (>= 50%), as 0/1 INTEGERs added up per cell.
    SELECT period_id, child_key, possible, present, authorised, unauthorised,
           authorised + unauthorised AS absence,
           (possible > 0)::INTEGER AS pupil,
           (possible > 0 AND (authorised + unauthorised) * 10 >= possible)::INTEGER AS persistent,
           (possible > 0 AND (authorised + unauthorised) * 2 >= possible)::INTEGER AS severe
    FROM int_attendance_child
) a ON a.period_id = c.period_id AND a.child_key = c.child_key
WHERE c.child_key IS NULL OR c.school_age
GROUP BY c.period_id, c.cell_id;
