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
),
-- Per term, child and subject with a judgement on the scale: whether one is EXPECTED or above.
judged AS (
    SELECT p.period_id, child_key(t.child_id) AS child_key, t.subject,
           bool_or(t.result IN ('EXPECTED', 'GREATER_DEPTH')) AS expected
    FROM stg_attainment t
    JOIN periods p ON t.academic_year = p.academic_year AND t.term = p.term
    WHERE p.is_term AND t.assessment = 'TERMLY'
      AND t.result IN ('BELOW', 'WORKING_TOWARDS', 'EXPECTED', 'GREATER_DEPTH')
    GROUP BY p.period_id, t.child_id, t.subject
),
counts AS (
    SELECT c.period_id, c.cohort, j.subject,
           count(*) FILTER (WHERE j.expected) AS expected, count(*) AS judged
    FROM cells c
    JOIN judged j ON j.period_id = c.period_id AND j.child_key = c.child_key
    GROUP BY c.period_id, c.cohort, j.subject
)
-- Every cohort of every term, for every subject (0 / 0 when nobody has a judgement).
SELECT c.period_id, c.cohort, 'Subject' AS breakdown, s.subject AS breakdown_value,
       'termly_expected_rate' AS measure,
       coalesce(n.expected, 0)::DOUBLE AS numerator, coalesce(n.judged, 0)::DOUBLE AS denominator
FROM cells c
CROSS JOIN subjects s
LEFT JOIN counts n ON n.period_id = c.period_id AND n.cohort = c.cohort AND n.subject = s.subject
-- Each period and cohort once: its scaffold row (int_cells has one per period and published
-- cohort, and members only in published cohorts), not a DISTINCT, which costs a hash table.
WHERE c.child_key IS NULL;
