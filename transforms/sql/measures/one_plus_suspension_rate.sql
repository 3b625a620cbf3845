-- measure: one_plus_suspension_rate
-- kind: rate
-- sources: exclusions
-- definition: children with at least one suspension / school-age cohort x 100.
-- source: exclusions (int_exclusions_child): events starting in the period, at any school.
-- grain: period x cohort x breakdown cell; school-age children (NCY 0-11) in the cohort at the reference date, every period.
SELECT c.period_id, c.cohort, c.breakdown, c.breakdown_value, 'one_plus_suspension_rate' AS measure,
       count(c.child_id) FILTER (WHERE e.suspensions > 0)::DOUBLE AS numerator,
       count(c.child_id)::DOUBLE AS denominator
FROM int_cells c
LEFT JOIN int_exclusions_child e ON e.period_id = c.period_id AND e.child_id = c.child_id
WHERE c.child_id IS NULL OR c.school_age
GROUP BY c.period_id, c.cohort, c.breakdown, c.breakdown_value;
