-- measure: cohort_count
-- kind: count
-- sources: cohort
-- definition: children in the cohort at the reference date (any age), by breakdown: the cohort profile.
-- source: periods of care (SSDA903 episodes, canonical CLA episodes), canonical CIN/CPP/PLAC episodes, roster, GIAS.
-- grain: term period x cohort at term end x breakdown cell.
SELECT c.period_id, c.cohort, c.breakdown, c.breakdown_value, 'cohort_count' AS measure,
       count(c.child_id)::DOUBLE AS numerator,
       NULL::DOUBLE AS denominator
FROM int_cells c
JOIN periods p ON p.period_id = c.period_id
WHERE p.is_term
GROUP BY c.period_id, c.cohort, c.breakdown, c.breakdown_value;
