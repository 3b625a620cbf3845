-- Attendance per breakdown cell (int_cells) of school-age children (NCY 0-11), with the
-- scaffold rows so every cell has a row: what the seven attendance measures read, summed in
-- one pass instead of one join per measure. A child with no attendance data counts in
-- children only; absence is summed as authorised + unauthorised per child row.
-- Each member is joined to its attendance once (int_cell_members) and then counted in each of
-- its cells, rather than joining every cell row of int_cells.
CREATE TABLE int_attendance_cells AS
WITH cell_rows AS (
    SELECT m.period_id,
           unnest([m.total_cell, m.ncy_cell, m.key_stage_cell, m.sex_cell, m.ethnicity_cell, m.sen_cell,
                   m.school_phase_cell, m.school_location_cell, m.placement_cell]) AS cell_id,
           m.child_key, a.possible, a.present, a.authorised, a.unauthorised, a.absence, a.pupil,
           a.persistent, a.severe
    FROM int_cell_members m
    LEFT JOIN (
        -- Per child: pupil (possible sessions), persistently absent (absence >= 10% of possible),
        -- severely absent (>= 50%), as 0/1 INTEGERs added up per cell.
        SELECT period_id, child_key, possible, present, authorised, unauthorised,
               authorised + unauthorised AS absence,
               (possible > 0)::INTEGER AS pupil,
               (possible > 0 AND (authorised + unauthorised) * 10 >= possible)::INTEGER AS persistent,
               (possible > 0 AND (authorised + unauthorised) * 2 >= possible)::INTEGER AS severe
        FROM int_attendance_child
    ) a ON a.period_id = m.period_id AND a.child_key = m.child_key
    WHERE m.school_age
    UNION ALL
    -- the scaffold rows
    SELECT period_id, cell_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM int_cells WHERE child_key IS NULL
)
SELECT period_id, cell_id,
       count(child_key) AS children,
       coalesce(sum(pupil), 0)::BIGINT AS pupils,
       coalesce(sum(persistent), 0)::BIGINT AS persistent,
       coalesce(sum(severe), 0)::BIGINT AS severe,
       coalesce(sum(possible), 0) AS possible,
       coalesce(sum(present), 0) AS present,
       coalesce(sum(authorised), 0) AS authorised,
       coalesce(sum(unauthorised), 0) AS unauthorised,
       coalesce(sum(absence), 0) AS absence
FROM cell_rows
WHERE cell_id IS NOT NULL
GROUP BY period_id, cell_id;
