-- measure: sessions_lost_to_suspension
-- kind: count
-- sources: exclusions
-- definition: sum of the sessions of the suspensions starting in the period (a count).
-- source: exclusions (int_exclusions_child): events starting in the period, at any school.
-- grain: period x cohort x breakdown cell; school-age children (NCY 0-11) in the cohort at the reference date, every period.
SELECT c.period_id, c.cohort, c.breakdown, c.breakdown_value, 'sessions_lost_to_suspension' AS measure,
       coalesce(sum(e.suspension_sessions), 0)::DOUBLE AS numerator,
       NULL::DOUBLE AS denominator
FROM int_cells c
LEFT JOIN int_exclusions_child e ON e.period_id = c.period_id AND e.child_id = c.child_id
WHERE c.child_id IS NULL OR c.school_age
GROUP BY c.period_id, c.cohort, c.breakdown, c.breakdown_value;
