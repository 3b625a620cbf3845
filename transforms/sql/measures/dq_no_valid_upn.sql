-- measure: dq_no_valid_upn
-- kind: count
-- sources: cohort
-- definition: cohort children with no UPN or an invalid one (roster upn_status not valid or temporary); denominator: the cohort.
-- source: cohort membership, roster (int_child_attributes), attendance (int_attendance_child).
-- grain: term period x cohort at term end; Total only.
-- Counts per cell from int_term_cell_counts.
SELECT a.cell_id, 'dq_no_valid_upn' AS measure,
       a.no_valid_upn::DOUBLE AS numerator, a.children::DOUBLE AS denominator
FROM int_term_cell_counts a
WHERE a.breakdown = 'Total';
