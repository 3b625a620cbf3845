-- The cohorts, their labels in published cohort strings and their order in outputs.
-- CIN (the umbrella) is computed for definitions but is not a published cohort. CWSW6 and
-- KINSHIP are the cohorts of the Children's Wellbeing and Schools Act 2026 (docs/measures.md, Cohorts).
CREATE TABLE int_cohort_labels AS
SELECT cohort_code, label, cohort_rank, published FROM (VALUES
    ('CLA', 'CLA', 1, true),
    ('CLA12', 'CLA 12 months', 2, true),
    ('CINO', 'CINO', 3, true),
    ('CPPO', 'CPPO', 4, true),
    ('CWSW', 'CWSW', 5, true),
    ('CWSW6', 'CWSW in last 6 years', 6, true),
    ('PLAC', 'PLAC', 7, true),
    ('KINSHIP', 'Kinship', 8, true),
    ('CIN', 'CIN', 9, false)
) AS t(cohort_code, label, cohort_rank, published);
