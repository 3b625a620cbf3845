-- measure: attendance_pupils
-- kind: count
-- sources: attendance
-- definition: children with at least one possible session in the period (a count); the denominator is the school-age cohort, so numerator / denominator is the coverage of attendance data.
-- source: attendance_sessions and non-superseded attendance_summary rows (int_attendance_child, summed per cell in int_attendance_cells), sessions summed over every school the child attended in the period.
-- grain: period x cohort x breakdown cell; school-age children (NCY 0-11) in the cohort at the reference date, every period.
SELECT m.cell_id, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'attendance_pupils' AS measure,
           c.pupils::DOUBLE AS numerator, c.children::DOUBLE AS denominator
    FROM int_attendance_cells c
) m;
