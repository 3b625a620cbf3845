-- measure: ks4_attainment8_average
-- kind: mean
-- sources: attainment
-- definition: sum of ATTAINMENT8 scores / NCY 11 children with an ATTAINMENT8 score (a mean, 0-90, not a %).
-- source: attainment (int_attainment_child), results recorded for the academic year. Scores are
--   summed as DECIMAL(18, 6) (exact, so the sum does not depend on the order DuckDB's threads
--   add them up: floating-point sums differed in the last digits from run to run).
-- grain: academic-year period x cohort at 31 March x breakdown cell (no NCY or key stage breakdown); cohort children in NCY 11 with a result row (see definition).
SELECT l.period_id, l.cohort, l.breakdown, l.breakdown_value, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'ks4_attainment8_average' AS measure,
           coalesce(sum(CAST(t.attainment8 AS DECIMAL(18, 6))), 0)::DOUBLE AS numerator,
           count(c.child_id) FILTER (WHERE t.attainment8 IS NOT NULL)::DOUBLE AS denominator
    FROM int_year_cells c
    JOIN periods p ON p.period_id = c.period_id
    LEFT JOIN int_attainment_child t ON t.period_id = c.period_id AND t.child_id = c.child_id
    WHERE NOT p.is_term AND NOT p.is_ytd
      AND c.breakdown NOT IN ('NCY', 'Key stage')
      AND (c.child_id IS NULL OR c.ncy = 11)
    GROUP BY c.period_id, c.cell_id
) m
JOIN int_cell_labels l ON l.cell_id = m.cell_id;
