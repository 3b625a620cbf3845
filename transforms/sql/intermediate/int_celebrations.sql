-- Celebrations (docs/measures.md; team edition only): children looked after at the reference
-- date of the celebration period (each period in celebration_period: a run of several reports
-- has one per report) to celebrate, one row per period, child and reason:
--   attendance_improved  term only: attendance rate this term at least 10 percentage points
--                        above the child's rate in the previous term (unrounded: present *
--                        possible cross-multiplied, so exactly 10 counts), both terms with at
--                        least 20 possible sessions;
--   full_attendance      attendance rate 100% (present = possible) with at least 50 possible
--                        sessions in the period;
--   ks2_expected         academic year only: reading and maths scaled scores of 100 or more
--                        and writing EXS or GDS in that year's KS2 results;
--   ks4_engmaths_4plus   academic year only: English and maths grade 4 or above (U = 0).
-- Sessions are int_attendance_child's (summed over every school); the KS2/KS4 flags are
-- int_attainment_child's, whatever the child's NCY.
CREATE TABLE int_celebrations AS
WITH kids AS (
    SELECT m.period_id, m.child_id, l.label || ' at ' || p.ref_label AS cohort, p.is_term, cp.previous_period_id
    FROM int_cohort_members m
    JOIN celebration_period cp ON cp.period_id = m.period_id
    JOIN periods p ON p.period_id = m.period_id
    JOIN int_cohort_labels l ON l.cohort_code = m.cohort_code
    WHERE m.cohort_code = 'CLA'
),
att AS (
    SELECT k.period_id, k.child_id, k.cohort, k.is_term, c.possible, c.present, pr.possible AS prev_possible, pr.present AS prev_present
    FROM kids k
    JOIN int_attendance_child c ON c.period_id = k.period_id AND c.child_id = k.child_id
    LEFT JOIN int_attendance_child pr ON pr.period_id = k.previous_period_id AND pr.child_id = k.child_id
)
SELECT period_id, child_id, cohort, 'attendance_improved' AS reason FROM att
WHERE is_term AND possible >= 20 AND prev_possible >= 20
  AND (present * prev_possible - prev_present * possible) * 10 >= possible * prev_possible
UNION ALL
SELECT period_id, child_id, cohort, 'full_attendance' FROM att
WHERE possible >= 50 AND present = possible
UNION ALL
SELECT k.period_id, k.child_id, k.cohort, 'ks2_expected'
FROM kids k JOIN int_attainment_child t ON t.period_id = k.period_id AND t.child_id = k.child_id
WHERE NOT k.is_term AND t.ks2_reading_exp AND t.ks2_maths_exp AND t.ks2_writing_exp
UNION ALL
SELECT k.period_id, k.child_id, k.cohort, 'ks4_engmaths_4plus'
FROM kids k JOIN int_attainment_child t ON t.period_id = k.period_id AND t.child_id = k.child_id
WHERE NOT k.is_term AND t.ks4_english >= 4 AND t.ks4_maths >= 4;
