-- measure: cohort_count
-- kind: count
-- sources: cohort
-- definition: children in the cohort at the reference date (any age), by breakdown: the cohort profile.
-- source: periods of care (SSDA903 episodes, canonical CLA episodes), canonical CIN/CPP/PLAC episodes, roster, GIAS.
-- grain: term period x cohort at term end x breakdown cell.
SELECT l.period_id, l.cohort, l.breakdown, l.breakdown_value, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'cohort_count' AS measure,
           count(c.child_id)::DOUBLE AS numerator,
           NULL::DOUBLE AS denominator
    FROM int_term_cells c
    JOIN periods p ON p.period_id = c.period_id
    WHERE p.is_term
    GROUP BY c.period_id, c.cell_id
) m
JOIN int_cell_labels l ON l.cell_id = m.cell_id;
