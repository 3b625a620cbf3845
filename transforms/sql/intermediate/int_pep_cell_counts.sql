-- Per term breakdown cell of the CLA cohort, the counts the PEP measures read (one pass over
-- the cells instead of one per measure), over the cell's PEP-eligible members (those in
-- int_pep_done_child; a child is in a cell once). A cell has a row when it has its scaffold
-- row or an eligible member. pp_plus_children: members whose done PEPs carry PP+ other than
-- 0 (the children behind the PP+ sum).
CREATE TABLE int_pep_cell_counts AS
SELECT c.period_id, c.cell_id,
       count(c.child_key) AS eligible,
       count(c.child_key) FILTER (WHERE k.has_done_pep) AS with_done_pep,
       count(c.child_key) FILTER (WHERE k.pp_plus_approved_pence <> 0) AS pp_plus_children,
       count(c.child_key) FILTER (WHERE k.initial_due) AS initial_due,
       count(c.child_key) FILTER (WHERE k.initial_timely_due) AS initial_timely,
       coalesce(sum(k.done), 0) AS done,
       coalesce(sum(k.unrated), 0) AS unrated,
       coalesce(sum(k.child_voice), 0) AS child_voice,
       coalesce(sum(k.pp_plus_approved_pence), 0) AS pp_plus_approved_pence
FROM int_pep_cells c
JOIN periods p ON p.period_id = c.period_id
LEFT JOIN int_pep_done_child k ON k.period_id = c.period_id AND k.child_key = c.child_key
WHERE p.is_term AND c.cohort_code = 'CLA' AND (c.child_key IS NULL OR k.child_id IS NOT NULL)
GROUP BY c.period_id, c.cell_id;
