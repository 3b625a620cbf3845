-- measure: pep_completion_rate
-- kind: rate
-- sources: peps
-- definition: eligible children with at least one done PEP (status COMPLETED or QA_APPROVED) for the academic year and term / eligible children x 100.
-- source: peps, int_pep_child.
-- grain: term period x cohort CLA at term end x breakdown cell; eligible children: CLA at the term's last day with NCY -1..13.
-- Each member child once per cell (DISTINCT), its flags from int_pep_done_child (one row per
-- child and period): counting rows counts distinct children.
SELECT l.period_id, l.cohort, l.breakdown, l.breakdown_value, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'pep_completion_rate' AS measure,
           count(c.child_id) FILTER (WHERE k.has_done_pep)::DOUBLE AS numerator,
           count(c.child_id)::DOUBLE AS denominator
    FROM (SELECT DISTINCT period_id, cell_id, child_id FROM int_pep_cells WHERE cohort_code = 'CLA') c
    JOIN periods p ON p.period_id = c.period_id
    LEFT JOIN int_pep_done_child k ON k.period_id = c.period_id AND k.child_id = c.child_id
    WHERE p.is_term AND (c.child_id IS NULL OR k.child_id IS NOT NULL)
    GROUP BY c.period_id, c.cell_id
) m
JOIN int_cell_labels l ON l.cell_id = m.cell_id;
