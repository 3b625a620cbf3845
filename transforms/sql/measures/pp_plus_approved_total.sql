-- measure: pp_plus_approved_total
-- kind: money
-- sources: peps
-- definition: sum of PP+ approved over done PEPs, in pence (shown in whole pounds).
-- source: peps (done PEPs of eligible children for the academic year and term: status COMPLETED or QA_APPROVED; a child may have more than one).
-- grain: term period x cohort CLA at term end x breakdown cell; counts PEPs, not children.
-- Every member row's child total from int_pep_done_child (the sum over the member rows joined
-- to their done PEPs).
SELECT l.period_id, l.cohort, l.breakdown, l.breakdown_value, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'pp_plus_approved_total' AS measure,
           coalesce(sum(k.pp_plus_approved_pence), 0)::DOUBLE AS numerator,
           NULL::DOUBLE AS denominator
    FROM int_pep_cells c
    JOIN periods p ON p.period_id = c.period_id
    LEFT JOIN int_pep_done_child k ON k.period_id = c.period_id AND k.child_id = c.child_id
    WHERE p.is_term AND c.cohort_code = 'CLA' AND (c.child_id IS NULL OR k.child_id IS NOT NULL)
    GROUP BY c.period_id, c.cell_id
) m
JOIN int_cell_labels l ON l.cell_id = m.cell_id;
