-- PEP status of every PEP-eligible child in each term period: CLA at the term's reference
-- date D with NCY -1..13 (age 3 to 18).
--   has_done_pep: a PEP for the period's academic year and term with status COMPLETED or QA_APPROVED.
--   initial_due: the current period of care started inside the term and its 20th working day
--                (deadline, from pep_deadlines) is on or before D.
--   initial_timely: a PEP marked initial whose meeting date is on or before the deadline and
--                   not before the end of the child's previous period of care (so an initial
--                   PEP of an earlier period of care does not count).
CREATE TABLE int_pep_child AS
SELECT c.period_id, c.child_id, d.deadline,
       EXISTS (
           SELECT 1 FROM stg_peps e
           WHERE e.child_id = c.child_id AND e.academic_year = p.academic_year
             AND e.term = p.term AND e.done
       ) AS has_done_pep,
       coalesce(c.care_start BETWEEN p.start_date AND p.end_date AND d.deadline <= p.ref_date, false) AS initial_due,
       EXISTS (
           SELECT 1 FROM stg_peps e
           WHERE e.child_id = c.child_id AND e.initial AND e.meeting_date <= d.deadline
             AND (c.previous_end IS NULL OR e.meeting_date >= c.previous_end)
       ) AS initial_timely
FROM int_cla_at_reference c
JOIN periods p USING (period_id)
JOIN int_child_attributes a ON a.period_id = c.period_id AND a.child_id = c.child_id
LEFT JOIN pep_deadlines d ON d.start_date = c.care_start
WHERE p.is_term AND a.ncy BETWEEN -1 AND 13;
