-- measure: pp_plus_approved_total
-- kind: money
-- sources: peps
-- definition: sum of PP+ approved over done PEPs, in pence (shown in whole pounds).
-- source: peps (done PEPs of eligible children for the academic year and term: status COMPLETED or QA_APPROVED; a child may have more than one).
-- grain: term period x cohort CLA at term end x breakdown cell; counts PEPs, not children.
SELECT l.period_id, l.cohort, l.breakdown, l.breakdown_value, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'pp_plus_approved_total' AS measure,
           coalesce(sum(e.pp_plus_approved_pence), 0)::DOUBLE AS numerator,
           NULL::DOUBLE AS denominator
    FROM int_pep_cells c
    JOIN periods p ON p.period_id = c.period_id
    LEFT JOIN int_pep_child pc ON pc.period_id = c.period_id AND pc.child_id = c.child_id
    LEFT JOIN stg_peps e
           ON e.child_id = pc.child_id AND e.academic_year = p.academic_year AND e.term = p.term AND e.done
    WHERE p.is_term AND c.cohort_code = 'CLA' AND (c.child_id IS NULL OR pc.child_id IS NOT NULL)
    GROUP BY c.period_id, c.cell_id
) m
JOIN int_cell_labels l ON l.cell_id = m.cell_id;
