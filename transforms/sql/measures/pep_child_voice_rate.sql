-- measure: pep_child_voice_rate
-- kind: rate
-- sources: peps
-- definition: done PEPs where the child's voice was recorded (child_voice = Y) / done PEPs x 100.
-- source: peps (done PEPs of eligible children for the academic year and term: status COMPLETED or QA_APPROVED; a child may have more than one).
-- grain: term period x cohort CLA at term end x breakdown cell; counts PEPs, not children.
-- Each member child once per cell (DISTINCT), its counts from int_pep_done_child: the sums are the
-- cell's distinct done PEPs, as a pep_id belongs to one child.
-- Counts per cell from int_pep_cell_counts.
SELECT a.cell_id, 'pep_child_voice_rate' AS measure,
       a.child_voice::DOUBLE AS numerator, a.done::DOUBLE AS denominator,
       a.with_done_pep::DOUBLE AS contributors
FROM int_pep_cell_counts a;
