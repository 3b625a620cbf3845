-- measure: suspension_rate
-- kind: rate
-- sources: exclusions
-- definition: suspensions (events) / school-age cohort x 100; an event rate, so it can exceed 100.
-- source: exclusions (int_exclusions_child, summed per cell in int_exclusion_cells): events starting in the period, at any school.
-- grain: period x cohort x breakdown cell; school-age children (NCY 0-11) in the cohort at the reference date, every period.
SELECT m.cell_id, m.measure, m.numerator, m.denominator, m.contributors
FROM (
    SELECT c.period_id, c.cell_id, 'suspension_rate' AS measure,
           c.suspensions::DOUBLE AS numerator, c.children::DOUBLE AS denominator,
           c.suspended_children::DOUBLE AS contributors
    FROM int_exclusion_cells c
) m;
