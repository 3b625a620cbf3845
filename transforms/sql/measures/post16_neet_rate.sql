-- measure: post16_neet_rate
-- kind: rate
-- sources: education, cohort
-- definition: children with an open NEET or NONE placement at the reference date and no open placement of provision SCHOOL, AP, COLLEGE, APPRENTICESHIP or EMPLOYMENT_TRAINING / CLA at the reference date in NCY 12-13 x 100.
-- source: education_placements (int_stability_child).
-- grain: term and academic-year periods x cohort CLA at the reference date x breakdown cell; children in NCY 12-13 (their NCY in the report's academic year).
SELECT m.cell_id, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'post16_neet_rate' AS measure,
           c.post16_neet::DOUBLE AS numerator, c.post16::DOUBLE AS denominator
    FROM int_stability_cells c
    WHERE c.scaffold OR c.post16 > 0
) m;
