-- measure: missing_results
-- kind: count
-- sources: attainment
-- definition: cohort children in an assessment's NCY (EYFS 0, PHONICS 1, KS2 6, KS4 11) with no result row for that assessment in the academic year; the denominator is the cohort children in that NCY. Total sums the four assessments.
-- source: attainment (int_attainment_child) against the cohort at 31 March.
-- grain: academic-year period x cohort at 31 March; breakdown Total and Assessment.
WITH assessments AS (
    SELECT assessment, ncy FROM (VALUES ('EYFS', 0), ('PHONICS', 1), ('KS2', 6), ('KS4', 11)) AS v(assessment, ncy)
),
cells AS (
    SELECT c.period_id, l.cohort, c.child_key, c.ncy
    FROM int_year_cells c JOIN periods p ON p.period_id = c.period_id
    JOIN int_cell_labels l ON l.cell_id = c.cell_id
    WHERE NOT p.is_term AND NOT p.is_ytd AND c.breakdown = 'Total'
),
per_assessment AS (
    SELECT c.period_id, c.cohort, a.assessment,
           count(c.child_key) FILTER (WHERE c.ncy = a.ncy AND NOT coalesce(
               CASE a.assessment WHEN 'EYFS' THEN t.has_eyfs WHEN 'PHONICS' THEN t.has_phonics
                                 WHEN 'KS2' THEN t.has_ks2 ELSE t.has_ks4 END, false)) AS missing,
           count(c.child_key) FILTER (WHERE c.ncy = a.ncy) AS in_ncy
    FROM cells c CROSS JOIN assessments a
    LEFT JOIN int_attainment_child t ON t.period_id = c.period_id AND t.child_key = c.child_key
    GROUP BY c.period_id, c.cohort, a.assessment
)
SELECT period_id, cohort, 'Assessment' AS breakdown, assessment AS breakdown_value,
       'missing_results' AS measure, missing::DOUBLE AS numerator, in_ncy::DOUBLE AS denominator
FROM per_assessment
UNION ALL
SELECT period_id, cohort, 'Total', 'Total', 'missing_results', sum(missing)::DOUBLE, sum(in_ncy)::DOUBLE
FROM per_assessment
GROUP BY period_id, cohort;
