-- measure: ks2_rwm_higher_rate
-- kind: rate
-- sources: attainment
-- definition: children with READING >= 110 and MATHS >= 110 and WRITING GDS / NCY 6 children with a KS2 result x 100.
-- source: attainment (int_attainment_child), results recorded for the academic year.
-- grain: academic-year period x cohort at 31 March x breakdown cell (no NCY or key stage breakdown); cohort children in NCY 6 with a result row (see definition).
-- Counts per cell from int_attainment_cells (ks2_rwm_high over the year group, has_ks2).
SELECT a.cell_id, 'ks2_rwm_higher_rate' AS measure,
       a.ks2_rwm_high::DOUBLE AS numerator, a.has_ks2::DOUBLE AS denominator
FROM int_attainment_cells a
WHERE a.scaffold OR a.in_ncy6 > 0;
