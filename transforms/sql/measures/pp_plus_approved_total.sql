-- measure: pp_plus_approved_total
-- kind: money
-- sources: peps
-- definition: sum of PP+ approved over done PEPs, in pence (shown in whole pounds).
-- source: peps (done PEPs of eligible children for the academic year and term: status COMPLETED or QA_APPROVED; a child may have more than one).
-- grain: term period x cohort CLA at term end x breakdown cell; counts PEPs, not children.
-- Every member row's child total from int_pep_done_child (the sum over the member rows joined
-- to their done PEPs).
-- Counts per cell from int_pep_cell_counts.
SELECT a.cell_id, 'pp_plus_approved_total' AS measure,
       a.pp_plus_approved_pence::DOUBLE AS numerator, NULL::DOUBLE AS denominator,
       a.pp_plus_children::DOUBLE AS contributors
FROM int_pep_cell_counts a;
