-- measure: no_education_place_days
-- kind: count
-- sources: education, cohort
-- definition: sum over cohort children of the school days of the window (Monday to Friday, not an England bank holiday, not in August, inside a configured term) on which the child was in a period of care and had no education place (no open placement other than NONE and NEET; no rows at all is no place).
-- source: education_placements, periods of care, stability_school_days (the calendar).
-- grain: term and academic-year periods x cohort CLA at the reference date x breakdown cell; school-age children (NCY 0-11, their NCY in the report's academic year). Window: the term; for an academic year 1 April before the reference date to 31 March (the DfE's year).
SELECT m.cell_id, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'no_education_place_days' AS measure,
           c.no_place_days::DOUBLE AS numerator, NULL::DOUBLE AS denominator
    FROM int_stability_cells c
    WHERE c.scaffold OR c.school_age > 0
) m;
