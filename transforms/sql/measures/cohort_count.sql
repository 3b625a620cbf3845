-- measure: cohort_count
-- kind: count
-- sources: cohort
-- definition: children in the cohort at the reference date (any age), by breakdown: the cohort profile.
-- source: periods of care (SSDA903 episodes, canonical CLA episodes), canonical CIN/CPP/PLAC episodes, roster, GIAS.
-- grain: term period x cohort at term end x breakdown cell.
-- Counts per cell from int_term_cell_counts.
SELECT a.cell_id, 'cohort_count' AS measure,
       a.children::DOUBLE AS numerator, NULL::DOUBLE AS denominator
FROM int_term_cell_counts a;
