-- measure: initial_pep_timeliness_rate
-- kind: rate
-- sources: peps
-- definition: of the denominator, children with a PEP marked initial whose meeting date is on or before the 20th working day after their current period of care started (start = day 0; Monday-Friday, England bank holidays excluded) / eligible children whose current period of care started inside the term and whose 20th working day is on or before the term's last day x 100.
-- source: peps, int_pep_child (periods of care from SSDA903 episodes and canonical CLA episodes; deadlines from pep_deadlines, computed with calendar.AddWorkingDays).
-- grain: term period x cohort CLA at term end x breakdown cell; eligible children: CLA at the term's last day with NCY -1..13.
-- Each member child once per cell (DISTINCT), its flags from int_pep_done_child (one row per
-- child and period): counting rows counts distinct children.
SELECT l.period_id, l.cohort, l.breakdown, l.breakdown_value, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'initial_pep_timeliness_rate' AS measure,
           count(c.child_id) FILTER (WHERE k.initial_timely_due)::DOUBLE AS numerator,
           count(c.child_id) FILTER (WHERE k.initial_due)::DOUBLE AS denominator
    FROM (SELECT DISTINCT period_id, cell_id, child_id FROM int_pep_cells WHERE cohort_code = 'CLA') c
    JOIN periods p ON p.period_id = c.period_id
    LEFT JOIN int_pep_done_child k ON k.period_id = c.period_id AND k.child_id = c.child_id
    WHERE p.is_term AND (c.child_id IS NULL OR k.child_id IS NOT NULL)
    GROUP BY c.period_id, c.cell_id
) m
JOIN int_cell_labels l ON l.cell_id = m.cell_id;
