-- Done PEPs of each PEP-eligible child (int_pep_child) in each term period, counted once per
-- child so the PEP measures add up children's counts per cell instead of joining every cell
-- member to the PEPs and counting distinct pep_ids per cell.
-- done, unrated, child_voice: distinct done PEPs (status COMPLETED or QA_APPROVED) of the
-- period's academic year and term, all, with no quality rating, with the child's voice.
-- pp_plus_approved_pence: their PP+ approved, summed over the joined rows (NULL when none;
-- BIGINT, not the HUGEINT DuckDB sums into, which slows every later sum over it).
-- has_done_pep, initial_due, initial_timely_due: whether any of the child's int_pep_child
-- rows has has_done_pep, initial_due, initial_due AND initial_timely (so counting children
-- with the flag counts what count(DISTINCT child_id) FILTER (...) over int_pep_child rows did).
-- A pep_id is one record of stg_peps, so it belongs to one child: a cell's distinct done
-- PEPs are the sum of its distinct member children's counts.
CREATE TABLE int_pep_done_child AS
SELECT pc.period_id, pc.child_id, child_key(pc.child_id) AS child_key,
       count(DISTINCT e.pep_id) AS done,
       count(DISTINCT e.pep_id) FILTER (WHERE e.quality IS NULL) AS unrated,
       count(DISTINCT e.pep_id) FILTER (WHERE e.child_voice) AS child_voice,
       sum(e.pp_plus_approved_pence)::BIGINT AS pp_plus_approved_pence,
       coalesce(bool_or(pc.has_done_pep), false) AS has_done_pep,
       coalesce(bool_or(pc.initial_due), false) AS initial_due,
       coalesce(bool_or(pc.initial_due AND pc.initial_timely), false) AS initial_timely_due
FROM int_pep_child pc
JOIN periods p ON p.period_id = pc.period_id
LEFT JOIN stg_peps e
       ON e.child_id = pc.child_id AND e.academic_year = p.academic_year AND e.term = p.term AND e.done
GROUP BY pc.period_id, pc.child_id;
