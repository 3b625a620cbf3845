-- measure: school_move_rate
-- kind: rate
-- sources: education, cohort
-- definition: children with at least one school move (a school placement whose setting URN differs from the previous school placement's, dated by its start) dated in the window / cohort children with a school placement (SCHOOL or AP) open on at least one day of the window x 100.
-- source: education_placements (int_school_moves: SCHOOL and AP placements by start date, then setting URN; int_stability_child, int_stability_cells).
-- grain: term and academic-year periods x cohort CLA at the reference date x breakdown cell; school-age children (NCY 0-11, their NCY in the report's academic year). Window: the term; for an academic year 1 April before the reference date to 31 March (the DfE's year).
SELECT m.cell_id, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'school_move_rate' AS measure,
           c.moved::DOUBLE AS numerator, c.school_place::DOUBLE AS denominator
    FROM int_stability_cells c
    WHERE c.scaffold OR c.school_age > 0
) m;
