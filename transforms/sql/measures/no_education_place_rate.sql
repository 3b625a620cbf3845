-- measure: no_education_place_rate
-- kind: rate
-- sources: education, cohort
-- definition: cohort children with at least one school day of the window in care without an education place / school-age cohort x 100.
-- source: education_placements, periods of care, stability_school_days (the calendar).
-- grain: term and academic-year periods x cohort CLA at the reference date x breakdown cell; school-age children (NCY 0-11, their NCY in the report's academic year). Window: the term; for an academic year 1 April before the reference date to 31 March (the DfE's year).
SELECT m.cell_id, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'no_education_place_rate' AS measure,
           c.no_place_children::DOUBLE AS numerator, c.school_age::DOUBLE AS denominator
    FROM int_stability_cells c
    WHERE c.scaffold OR c.school_age > 0
) m;
