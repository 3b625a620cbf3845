-- measure: phonics_y1_rate
-- kind: rate
-- sources: attainment
-- definition: children whose Year 1 phonics mark is at or above the year's threshold (default 32) / NCY 1 children with a phonics result x 100.
-- source: attainment (int_attainment_child), results recorded for the academic year.
-- grain: academic-year period x cohort at 31 March x breakdown cell (no NCY or key stage breakdown); cohort children in NCY 1 with a result row (see definition).
-- Counts per cell from int_attainment_cells (phonics_y1_met over the year group, has_phonics).
SELECT a.cell_id, 'phonics_y1_rate' AS measure,
       a.phonics_y1_met::DOUBLE AS numerator, a.has_phonics::DOUBLE AS denominator
FROM int_attainment_cells a
WHERE a.scaffold OR a.in_ncy1 > 0;
