-- measure: termly_expected_rate
-- kind: rate
-- sources: termly_attainment
-- definition: per subject, cohort children whose TERMLY judgement for the term is EXPECTED or GREATER_DEPTH / cohort children with a judgement on that scale (BELOW, WORKING_TOWARDS, EXPECTED, GREATER_DEPTH) for the term x 100. GCSE working-at grades carry no expected standard and are left out.
-- source: attainment rows with assessment TERMLY for the period's academic year and term.
-- grain: term period x cohort at term end x subject (breakdown Subject: READING, WRITING, MATHS, ENGLISH, SCIENCE); any NCY.
WITH subjects AS (
    SELECT subject FROM (VALUES ('READING'), ('WRITING'), ('MATHS'), ('ENGLISH'), ('SCIENCE')) AS v(subject)
),
cells AS (
    SELECT c.period_id, l.cohort, c.child_key
    FROM int_term_cells c JOIN periods p ON p.period_id = c.period_id
    JOIN int_cell_labels l ON l.cell_id = c.cell_id
    WHERE p.is_term AND c.breakdown = 'Total'
)
SELECT c.period_id, c.cohort, 'Subject' AS breakdown, s.subject AS breakdown_value,
       'termly_expected_rate' AS measure,
       count(DISTINCT t.child_id) FILTER (WHERE t.result IN ('EXPECTED', 'GREATER_DEPTH'))::DOUBLE AS numerator,
       count(DISTINCT t.child_id)::DOUBLE AS denominator
FROM cells c
CROSS JOIN subjects s
JOIN periods p ON p.period_id = c.period_id
LEFT JOIN stg_attainment t
       ON child_key(t.child_id) = c.child_key AND t.academic_year = p.academic_year AND t.term = p.term
      AND t.assessment = 'TERMLY' AND t.subject = s.subject
      AND t.result IN ('BELOW', 'WORKING_TOWARDS', 'EXPECTED', 'GREATER_DEPTH')
GROUP BY c.period_id, c.cohort, s.subject;
