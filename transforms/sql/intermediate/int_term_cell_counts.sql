-- Per term breakdown cell, the counts of cohort_count, good_or_outstanding_school_rate and the
-- three child-level data-quality measures (one pass over the cells instead of one per
-- measure). scaffold: the cell holds its scaffold row; school_age: members of school age.
CREATE TABLE int_term_cell_counts AS
WITH child AS (
    SELECT a.period_id, child_key(a.child_id) AS child_key,
           lower(a.ofsted_rating) IN ('outstanding', 'good') AS good_or_outstanding,
           nullif(trim(a.ofsted_rating), '') IS NOT NULL AS rated,
           coalesce(s.possible, 0) = 0 AS no_attendance,
           a.school_urn IS NULL AS no_school_urn,
           NOT a.has_valid_upn AS no_valid_upn
    FROM int_child_attributes a
    JOIN periods p ON p.period_id = a.period_id
    LEFT JOIN int_attendance_child s ON s.period_id = a.period_id AND s.child_id = a.child_id
    WHERE p.is_term
)
SELECT c.period_id, c.cell_id, any_value(c.breakdown) AS breakdown,
       bool_or(c.child_key IS NULL) AS scaffold,
       count(c.child_key) AS children,
       count(c.child_key) FILTER (WHERE c.school_age) AS school_age,
       count(c.child_key) FILTER (WHERE c.school_age AND k.good_or_outstanding) AS good_or_outstanding,
       count(c.child_key) FILTER (WHERE c.school_age AND k.rated) AS rated,
       count(c.child_key) FILTER (WHERE c.school_age AND k.no_attendance) AS no_attendance,
       count(c.child_key) FILTER (WHERE c.school_age AND k.no_school_urn) AS no_school_urn,
       count(c.child_key) FILTER (WHERE k.no_valid_upn) AS no_valid_upn
FROM int_term_cells c
LEFT JOIN child k ON k.period_id = c.period_id AND k.child_key = c.child_key
GROUP BY c.period_id, c.cell_id;
