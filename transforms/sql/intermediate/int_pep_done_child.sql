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
-- PEPs are the sum of its distinct member children's counts. For the same reason the done
-- PEPs are counted per child, year and term first (count of pep_id, which is count(DISTINCT
-- pep_id) there), and each child's row takes that count once (max) and the PP+ once per
-- joined row (sum): three count(DISTINCT) aggregates cost a hash table each.
CREATE TABLE int_pep_done_child AS
WITH done AS (
    SELECT child_id, academic_year, term,
           count(pep_id) AS done,
           count(pep_id) FILTER (WHERE quality IS NULL) AS unrated,
           count(pep_id) FILTER (WHERE child_voice) AS child_voice,
           sum(pp_plus_approved_pence) AS pp_plus_approved_pence
    FROM stg_peps
    WHERE done
    GROUP BY child_id, academic_year, term
)
SELECT pc.period_id, pc.child_id, child_key(pc.child_id) AS child_key,
       coalesce(max(d.done), 0) AS done,
       coalesce(max(d.unrated), 0) AS unrated,
       coalesce(max(d.child_voice), 0) AS child_voice,
       sum(d.pp_plus_approved_pence)::BIGINT AS pp_plus_approved_pence,
       coalesce(bool_or(pc.has_done_pep), false) AS has_done_pep,
       coalesce(bool_or(pc.initial_due), false) AS initial_due,
       coalesce(bool_or(pc.initial_due AND pc.initial_timely), false) AS initial_timely_due
FROM int_pep_child pc
JOIN periods p ON p.period_id = pc.period_id
LEFT JOIN done d ON d.child_id = pc.child_id AND d.academic_year = p.academic_year AND d.term = p.term
GROUP BY pc.period_id, pc.child_id;
