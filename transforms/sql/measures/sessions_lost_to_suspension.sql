-- measure: sessions_lost_to_suspension
-- kind: count
-- sources: exclusions
-- definition: sum of the sessions of the suspensions starting in the period (a count).
-- source: exclusions (int_exclusions_child, summed per cell in int_exclusion_cells): events starting in the period, at any school.
-- grain: period x cohort x breakdown cell; school-age children (NCY 0-11) in the cohort at the reference date, every period.
SELECT m.cell_id, m.measure, m.numerator, m.denominator, m.contributors
FROM (
    SELECT c.period_id, c.cell_id, 'sessions_lost_to_suspension' AS measure,
           c.suspension_sessions::DOUBLE AS numerator, NULL::DOUBLE AS denominator,
           c.suspension_session_children::DOUBLE AS contributors
    FROM int_exclusion_cells c
) m;
