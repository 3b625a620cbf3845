-- measure: ks2_rwm_expected_rate
-- kind: rate
-- sources: attainment
-- definition: children with READING >= 100 and MATHS >= 100 and WRITING EXS or GDS / NCY 6 children with a KS2 result x 100.
-- source: attainment (int_attainment_child), results recorded for the academic year.
-- grain: academic-year period x cohort at 31 March x breakdown cell (no NCY or key stage breakdown); cohort children in NCY 6 with a result row (see definition).
SELECT l.period_id, l.cohort, l.breakdown, l.breakdown_value, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'ks2_rwm_expected_rate' AS measure,
           count(c.child_id) FILTER (WHERE t.ks2_reading_exp AND t.ks2_maths_exp AND t.ks2_writing_exp)::DOUBLE AS numerator,
           count(c.child_id) FILTER (WHERE t.has_ks2)::DOUBLE AS denominator
    FROM int_year_cells c
    JOIN periods p ON p.period_id = c.period_id
    LEFT JOIN int_attainment_child t ON t.period_id = c.period_id AND t.child_id = c.child_id
    WHERE NOT p.is_term AND NOT p.is_ytd
      AND c.breakdown NOT IN ('NCY', 'Key stage')
      AND (c.child_id IS NULL OR c.ncy = 6)
    GROUP BY c.period_id, c.cell_id
) m
JOIN int_cell_labels l ON l.cell_id = m.cell_id;
