-- measure: authorised_absence_rate
-- kind: rate
-- sources: attendance
-- definition: authorised absence sessions / possible sessions x 100.
-- source: attendance_sessions and non-superseded attendance_summary rows (int_attendance_child, summed per cell in int_attendance_cells), sessions summed over every school the child attended in the period.
-- grain: period x cohort x breakdown cell; school-age children (NCY 0-11) in the cohort at the reference date, every period.
SELECT m.cell_id, m.measure, m.numerator, m.denominator, m.contributors
FROM (
    SELECT c.period_id, c.cell_id, 'authorised_absence_rate' AS measure,
           c.authorised::DOUBLE AS numerator, c.possible::DOUBLE AS denominator,
           c.pupils::DOUBLE AS contributors
    FROM int_attendance_cells c
) m;
