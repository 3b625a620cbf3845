-- measure: dq_no_attendance
-- kind: count
-- sources: cohort
-- definition: school-age cohort children with no possible attendance session in the term (they count in attendance coverage, not in rates); denominator: the school-age cohort.
-- source: cohort membership, roster (int_child_attributes), attendance (int_attendance_child).
-- grain: term period x cohort at term end; Total only.
-- Counts per cell from int_term_cell_counts.
SELECT a.cell_id, 'dq_no_attendance' AS measure,
       a.no_attendance::DOUBLE AS numerator, a.school_age::DOUBLE AS denominator
FROM int_term_cell_counts a
WHERE a.breakdown = 'Total';
