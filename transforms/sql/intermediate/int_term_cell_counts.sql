-- Per term breakdown cell, the counts of cohort_count, good_or_outstanding_school_rate and the
-- three child-level data-quality measures (one pass over the cells instead of one per
-- measure). scaffold: the cell holds its scaffold row; school_age: members of school age.
CREATE TABLE int_term_cell_counts AS
WITH child AS (
    SELECT a.period_id, child_key(a.child_id) AS child_key,
           lower(a.ofsted_rating) IN ('outstanding', 'good') AS good_or_outstanding,
           nullif(trim(a.ofsted_rating), '') IS NOT NULL AS rated,
           coalesce(s.possible, 0) = 0 AS no_attendance,
           a.school_urn IS NULL AS no_school_urn,
           NOT a.has_valid_upn AS no_valid_upn
    FROM int_child_attributes a
    JOIN periods p ON p.period_id = a.period_id
    LEFT JOIN int_attendance_child s ON s.period_id = a.period_id AND s.child_id = a.child_id
    WHERE p.is_term
),
-- Each member is joined to its child figures once (int_cell_members) and then counted in each
-- of its cells, rather than joining every cell row of int_term_cells.
cell_rows AS (
    SELECT m.period_id,
           unnest([m.total_cell, m.ncy_cell, m.key_stage_cell, m.sex_cell, m.ethnicity_cell, m.sen_cell,
                   m.school_phase_cell, m.school_location_cell, m.placement_cell]) AS cell_id,
           unnest(['Total', 'NCY', 'Key stage', 'Sex', 'Ethnicity', 'SEN provision', 'School phase',
                   'School location', 'Placement type']::breakdown_name[]) AS breakdown,
           m.child_key, m.school_age, k.good_or_outstanding, k.rated, k.no_attendance,
           k.no_school_urn, k.no_valid_upn
    FROM int_cell_members m
    JOIN periods p ON p.period_id = m.period_id
    LEFT JOIN child k ON k.period_id = m.period_id AND k.child_key = m.child_key
    WHERE p.is_term
    UNION ALL
    -- the scaffold rows
    SELECT period_id, cell_id, breakdown, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM int_term_cells WHERE child_key IS NULL
)
SELECT c.period_id, c.cell_id, any_value(c.breakdown) AS breakdown,
       bool_or(c.child_key IS NULL) AS scaffold,
       count(c.child_key) AS children,
       count(c.child_key) FILTER (WHERE c.school_age) AS school_age,
       count(c.child_key) FILTER (WHERE c.school_age AND c.good_or_outstanding) AS good_or_outstanding,
       count(c.child_key) FILTER (WHERE c.school_age AND c.rated) AS rated,
       count(c.child_key) FILTER (WHERE c.school_age AND c.no_attendance) AS no_attendance,
       count(c.child_key) FILTER (WHERE c.school_age AND c.no_school_urn) AS no_school_urn,
       count(c.child_key) FILTER (WHERE c.no_valid_upn) AS no_valid_upn
FROM cell_rows c
WHERE c.cell_id IS NOT NULL
GROUP BY c.period_id, c.cell_id;
