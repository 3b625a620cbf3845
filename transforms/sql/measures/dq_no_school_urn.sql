-- measure: dq_no_school_urn
-- kind: count
-- sources: cohort
-- definition: school-age cohort children with no school URN on the roster; denominator: the school-age cohort.
-- source: cohort membership, roster (int_child_attributes), attendance (int_attendance_child).
-- grain: term period x cohort at term end; Total only.
-- Counts per cell from int_term_cell_counts.
SELECT a.cell_id, 'dq_no_school_urn' AS measure,
       a.no_school_urn::DOUBLE AS numerator, a.school_age::DOUBLE AS denominator
FROM int_term_cell_counts a
WHERE a.breakdown = 'Total';
