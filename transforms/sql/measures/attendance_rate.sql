-- measure: attendance_rate
-- kind: rate
-- sources: attendance
-- definition: present sessions (including approved educational activity) / possible sessions x 100.
-- source: attendance_sessions and non-superseded attendance_summary rows (int_attendance_child), sessions summed over every school the child attended in the period.
-- grain: period x cohort x breakdown cell; school-age children (NCY 0-11) in the cohort at the reference date, every period.
SELECT l.period_id, l.cohort, l.breakdown, l.breakdown_value, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'attendance_rate' AS measure,
           coalesce(sum(a.present), 0)::DOUBLE AS numerator,
           coalesce(sum(a.possible), 0)::DOUBLE AS denominator
    FROM int_cells c
    LEFT JOIN int_attendance_child a ON a.period_id = c.period_id AND a.child_id = c.child_id
    WHERE c.child_id IS NULL OR c.school_age
    GROUP BY c.period_id, c.cell_id
) m
JOIN int_cell_labels l ON l.cell_id = m.cell_id;
