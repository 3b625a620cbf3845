-- Statutory assessment results per academic-year period and child (the results recorded for
-- that academic year), as flags: has_<x> says the child has a result row for it, the other
-- flags whether the standard was met (docs/measures.md, Attainment):
--   EYFS GLD = Y; phonics Y1 mark >= the year's threshold (A, D: no mark, not met);
--   KS2 READING/MATHS scaled score >= 100 (expected) or >= 110 (higher); non-score codes
--   (A, B, N, U, M, T) have no score and do not meet it; WRITING teacher assessment EXS or
--   GDS (expected), GDS (higher); KS4 ENGLISH/MATHS grade (U = 0); ATTAINMENT8 score.
CREATE TABLE int_attainment_child AS
SELECT p.period_id, t.child_id, child_key(t.child_id) AS child_key,
       bool_or(t.assessment = 'EYFS') AS has_eyfs,
       bool_or(t.assessment = 'EYFS' AND t.subject = 'GLD' AND t.result = 'Y') AS eyfs_gld,
       bool_or(t.assessment = 'PHONICS') AS has_phonics,
       bool_or(t.assessment = 'PHONICS' AND t.subject = 'Y1' AND t.result_score >= th.threshold) AS phonics_y1_met,
       bool_or(t.assessment = 'KS2') AS has_ks2,
       bool_or(t.assessment = 'KS2' AND t.subject = 'READING') AS has_ks2_reading,
       bool_or(t.assessment = 'KS2' AND t.subject = 'READING' AND t.result_score >= 100) AS ks2_reading_exp,
       bool_or(t.assessment = 'KS2' AND t.subject = 'READING' AND t.result_score >= 110) AS ks2_reading_high,
       bool_or(t.assessment = 'KS2' AND t.subject = 'MATHS') AS has_ks2_maths,
       bool_or(t.assessment = 'KS2' AND t.subject = 'MATHS' AND t.result_score >= 100) AS ks2_maths_exp,
       bool_or(t.assessment = 'KS2' AND t.subject = 'MATHS' AND t.result_score >= 110) AS ks2_maths_high,
       bool_or(t.assessment = 'KS2' AND t.subject = 'WRITING') AS has_ks2_writing,
       bool_or(t.assessment = 'KS2' AND t.subject = 'WRITING' AND t.result IN ('EXS', 'GDS')) AS ks2_writing_exp,
       bool_or(t.assessment = 'KS2' AND t.subject = 'WRITING' AND t.result = 'GDS') AS ks2_writing_high,
       bool_or(t.assessment = 'KS4') AS has_ks4,
       max(t.result_score) FILTER (WHERE t.assessment = 'KS4' AND t.subject = 'ATTAINMENT8') AS attainment8,
       coalesce(max(t.result_score) FILTER (WHERE t.assessment = 'KS4' AND t.subject = 'ENGLISH'), 0) AS ks4_english,
       coalesce(max(t.result_score) FILTER (WHERE t.assessment = 'KS4' AND t.subject = 'MATHS'), 0) AS ks4_maths
FROM periods p
JOIN stg_attainment t ON t.academic_year = p.academic_year AND t.assessment <> 'TERMLY'
LEFT JOIN phonics_thresholds th ON th.academic_year = p.academic_year
WHERE NOT p.is_term AND NOT p.is_ytd
GROUP BY p.period_id, t.child_id;
