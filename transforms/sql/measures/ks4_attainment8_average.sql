-- measure: ks4_attainment8_average
-- kind: mean
-- sources: attainment
-- definition: sum of ATTAINMENT8 scores / NCY 11 children with an ATTAINMENT8 score (a mean, 0-90, not a %).
-- source: attainment (int_attainment_child), results recorded for the academic year. Scores are
--   summed as DECIMAL(18, 6) in int_attainment_cells (exact, so the sum does not depend on the
--   order DuckDB's threads add them up: floating-point sums differed in the last digits from
--   run to run).
-- grain: academic-year period x cohort at 31 March x breakdown cell (no NCY or key stage breakdown); cohort children in NCY 11 with a result row (see definition).
-- Counts per cell from int_attainment_cells (a8_sum over the year group, a8_scores).
SELECT a.cell_id, 'ks4_attainment8_average' AS measure,
       a.a8_sum::DOUBLE AS numerator, a.a8_scores::DOUBLE AS denominator
FROM int_attainment_cells a
WHERE a.scaffold OR a.in_ncy11 > 0;
