-- measure: initial_pep_timeliness_rate
-- kind: rate
-- sources: peps
-- definition: of the denominator, children with a PEP marked initial whose meeting date is on or before the 20th working day after their current period of care started (start = day 0; Monday-Friday, England bank holidays excluded) / eligible children whose current period of care started inside the term and whose 20th working day is on or before the term's last day x 100.
-- source: peps, int_pep_child (periods of care from SSDA903 episodes and canonical CLA episodes; deadlines from pep_deadlines, computed with calendar.AddWorkingDays).
-- grain: term period x cohort CLA at term end x breakdown cell; eligible children: CLA at the term's last day with NCY -1..13.
-- Each member child once per cell (DISTINCT), its flags from int_pep_done_child (one row per
-- child and period): counting rows counts distinct children.
-- Counts per cell from int_pep_cell_counts.
SELECT a.cell_id, 'initial_pep_timeliness_rate' AS measure,
       a.initial_timely::DOUBLE AS numerator, a.initial_due::DOUBLE AS denominator
FROM int_pep_cell_counts a;
