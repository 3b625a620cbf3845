-- measure: pep_unrated_rate
-- kind: rate
-- sources: peps
-- definition: done PEPs with no quality rating / done PEPs x 100.
-- source: peps (done PEPs of eligible children for the academic year and term: status COMPLETED or QA_APPROVED; a child may have more than one).
-- grain: term period x cohort CLA at term end x breakdown cell; counts PEPs, not children.
-- Each member child once per cell (DISTINCT), its counts from int_pep_done_child: the sums are the
-- cell's distinct done PEPs, as a pep_id belongs to one child.
SELECT l.period_id, l.cohort, l.breakdown, l.breakdown_value, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'pep_unrated_rate' AS measure,
           coalesce(sum(k.unrated), 0)::DOUBLE AS numerator,
           coalesce(sum(k.done), 0)::DOUBLE AS denominator
    FROM (SELECT DISTINCT period_id, cell_id, child_id FROM int_pep_cells WHERE cohort_code = 'CLA') c
    JOIN periods p ON p.period_id = c.period_id
    LEFT JOIN int_pep_done_child k ON k.period_id = c.period_id AND k.child_id = c.child_id
    WHERE p.is_term AND (c.child_id IS NULL OR k.child_id IS NOT NULL)
    GROUP BY c.period_id, c.cell_id
) m
JOIN int_cell_labels l ON l.cell_id = m.cell_id;
