-- measure: eyfs_gld_rate
-- kind: rate
-- sources: attainment
-- definition: children reaching a good level of development (EYFS GLD = Y) / NCY 0 children with an EYFS result x 100.
-- source: attainment (int_attainment_child), results recorded for the academic year.
-- grain: academic-year period x cohort at 31 March x breakdown cell (no NCY or key stage breakdown); cohort children in NCY 0 with a result row (see definition).
-- Counts per cell from int_attainment_cells (eyfs_gld over the year group, has_eyfs).
SELECT a.cell_id, 'eyfs_gld_rate' AS measure,
       a.eyfs_gld::DOUBLE AS numerator, a.has_eyfs::DOUBLE AS denominator
FROM int_attainment_cells a
WHERE a.scaffold OR a.in_ncy0 > 0;
