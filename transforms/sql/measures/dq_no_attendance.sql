-- measure: dq_no_attendance
-- kind: count
-- sources: cohort
-- definition: school-age cohort children with no possible attendance session in the term (they count in attendance coverage, not in rates); denominator: the school-age cohort.
-- source: cohort membership, roster (int_child_attributes), attendance (int_attendance_child).
-- grain: term period x cohort at term end; Total only.
SELECT l.period_id, l.cohort, l.breakdown, l.breakdown_value, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'dq_no_attendance' AS measure,
           count(c.child_id) FILTER (WHERE coalesce(s.possible, 0) = 0)::DOUBLE AS numerator,
           count(c.child_id)::DOUBLE AS denominator
    FROM int_term_cells c
    JOIN periods p ON p.period_id = c.period_id
    LEFT JOIN int_child_attributes a ON a.period_id = c.period_id AND a.child_id = c.child_id
    LEFT JOIN int_attendance_child s ON s.period_id = c.period_id AND s.child_id = c.child_id
    WHERE p.is_term AND c.breakdown = 'Total' AND (c.child_id IS NULL OR c.school_age)
    GROUP BY c.period_id, c.cell_id
) m
JOIN int_cell_labels l ON l.cell_id = m.cell_id;
