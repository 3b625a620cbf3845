-- measure: ks4_engmaths_4plus_rate
-- kind: rate
-- sources: attainment
-- definition: children with GCSE ENGLISH >= 4 and MATHS >= 4 (U = 0, no grade = 0) / NCY 11 children with a KS4 result x 100.
-- source: attainment (int_attainment_child), results recorded for the academic year.
-- grain: academic-year period x cohort at 31 March x breakdown cell (no NCY or key stage breakdown); cohort children in NCY 11 with a result row (see definition).
-- Counts per cell from int_attainment_cells (ks4_engmaths_4plus over the year group, has_ks4).
SELECT a.cell_id, 'ks4_engmaths_4plus_rate' AS measure,
       a.ks4_engmaths_4plus::DOUBLE AS numerator, a.has_ks4::DOUBLE AS denominator
FROM int_attainment_cells a
WHERE a.scaffold OR a.in_ncy11 > 0;
