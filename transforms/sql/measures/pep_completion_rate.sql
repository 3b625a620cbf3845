-- measure: pep_completion_rate
-- kind: rate
-- sources: peps
-- definition: eligible children with at least one done PEP (status COMPLETED or QA_APPROVED) for the academic year and term / eligible children x 100.
-- source: peps, int_pep_child.
-- grain: term period x cohort CLA at term end x breakdown cell; eligible children: CLA at the term's last day with NCY -1..13.
-- Each member child once per cell (DISTINCT), its flags from int_pep_done_child (one row per
-- child and period): counting rows counts distinct children.
-- Counts per cell from int_pep_cell_counts.
SELECT a.cell_id, 'pep_completion_rate' AS measure,
       a.with_done_pep::DOUBLE AS numerator, a.eligible::DOUBLE AS denominator
FROM int_pep_cell_counts a;
