-- measure: ks2_reading_expected_rate
-- kind: rate
-- sources: attainment
-- definition: children with a KS2 READING scaled score >= 100 / NCY 6 children with a READING result x 100.
-- source: attainment (int_attainment_child), results recorded for the academic year.
-- grain: academic-year period x cohort at 31 March x breakdown cell (no NCY or key stage breakdown); cohort children in NCY 6 with a result row (see definition).
-- Counts per cell from int_attainment_cells (ks2_reading_exp over the year group, has_ks2_reading).
SELECT a.cell_id, 'ks2_reading_expected_rate' AS measure,
       a.ks2_reading_exp::DOUBLE AS numerator, a.has_ks2_reading::DOUBLE AS denominator
FROM int_attainment_cells a
WHERE a.scaffold OR a.in_ncy6 > 0;
