-- Suspensions and permanent exclusions per breakdown cell (int_cells) of school-age children
-- (NCY 0-11), with the scaffold rows: what the four exclusion measures read, summed in one
-- pass instead of one join per measure. The *_children counts are the children behind each
-- sum (the board edition hides a sum over fewer than its threshold of children).
-- Each member is joined to its exclusions once (int_cell_members) and then counted in each of
-- its cells, rather than joining every cell row of int_cells.
CREATE TABLE int_exclusion_cells AS
WITH cell_rows AS (
    SELECT m.period_id,
           unnest([m.total_cell, m.ncy_cell, m.key_stage_cell, m.sex_cell, m.ethnicity_cell, m.sen_cell,
                   m.school_phase_cell, m.school_location_cell, m.placement_cell]) AS cell_id,
           m.child_key, e.suspensions, e.permanent_exclusions, e.suspension_sessions
    FROM int_cell_members m
    LEFT JOIN int_exclusions_child e ON e.period_id = m.period_id AND e.child_key = m.child_key
    WHERE m.school_age
    UNION ALL
    -- the scaffold rows
    SELECT period_id, cell_id, NULL, NULL, NULL, NULL FROM int_cells WHERE child_key IS NULL
)
SELECT period_id, cell_id,
       count(child_key) AS children,
       count(child_key) FILTER (WHERE suspensions > 0) AS suspended_children,
       count(child_key) FILTER (WHERE suspension_sessions > 0) AS suspension_session_children,
       count(child_key) FILTER (WHERE permanent_exclusions > 0) AS excluded_children,
       coalesce(sum(suspensions), 0) AS suspensions,
       coalesce(sum(permanent_exclusions), 0) AS permanent_exclusions,
       coalesce(sum(suspension_sessions), 0) AS suspension_sessions
FROM cell_rows
WHERE cell_id IS NOT NULL
GROUP BY period_id, cell_id;
