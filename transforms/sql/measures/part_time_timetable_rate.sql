-- measure: part_time_timetable_rate
-- kind: rate
-- sources: education, cohort
-- definition: children whose education place open at the reference date (the one with the latest start date; ties: the larger hours) gives fewer hours a week than the full-time threshold (measures.full_time_hours, default 25) / school-age cohort children with an education place open at the reference date whose placement gives its hours x 100.
-- source: education_placements (int_stability_child).
-- grain: term and academic-year periods x cohort CLA at the reference date x breakdown cell; school-age children (NCY 0-11, their NCY in the report's academic year). Window: the term; for an academic year 1 April before the reference date to 31 March (the DfE's year).
SELECT m.cell_id, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'part_time_timetable_rate' AS measure,
           c.part_time::DOUBLE AS numerator, c.hours_known::DOUBLE AS denominator
    FROM int_stability_cells c
    WHERE c.scaffold OR c.school_age > 0
) m;
