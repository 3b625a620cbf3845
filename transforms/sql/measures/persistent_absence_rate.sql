-- measure: persistent_absence_rate
-- kind: rate
-- sources: attendance
-- definition: children whose own absence / own possible sessions >= 10% (exact, no rounding) / children with at least one possible session x 100.
-- source: attendance_sessions and non-superseded attendance_summary rows (int_attendance_child), sessions summed over every school the child attended in the period.
-- grain: period x cohort x breakdown cell; school-age children (NCY 0-11) in the cohort at the reference date, every period.
SELECT c.period_id, c.cohort, c.breakdown, c.breakdown_value, 'persistent_absence_rate' AS measure,
       count(c.child_id) FILTER (WHERE a.possible > 0 AND (a.authorised + a.unauthorised) * 10 >= a.possible)::DOUBLE AS numerator,
       count(c.child_id) FILTER (WHERE a.possible > 0)::DOUBLE AS denominator
FROM int_cells c
LEFT JOIN int_attendance_child a ON a.period_id = c.period_id AND a.child_id = c.child_id
WHERE c.child_id IS NULL OR c.school_age
GROUP BY c.period_id, c.cohort, c.breakdown, c.breakdown_value;
