-- The figures behind the reasons of every child of the action list (int_actions; per action
-- period when a run has several), so the team
-- can act without opening another system: in the action term, the child's sessions (possible,
-- present, missed = authorised + unauthorised absence, summed over schools as in
-- int_attendance_child), suspensions and permanent exclusions starting in the term, the PEP of
-- the term (a done one first, then the latest by its completed or meeting date; its status
-- and its completed date when done, else its meeting date; NULL when the child has none),
-- school days in care without an education place and school moves dated in the term
-- (int_stability_child; 0 for a child it does not cover).
CREATE TABLE int_action_figures AS
WITH kids AS (
    SELECT DISTINCT period_id, child_id FROM int_actions
),
pep AS (
    SELECT k.period_id, k.child_id, e.status,
           CASE WHEN e.done THEN e.completed_date ELSE e.meeting_date END AS pep_date
    FROM kids k
    JOIN periods p ON p.period_id = k.period_id
    JOIN stg_peps e ON e.child_id = k.child_id AND e.academic_year = p.academic_year AND e.term = p.term
    QUALIFY row_number() OVER (PARTITION BY k.period_id, k.child_id
        ORDER BY e.done DESC, coalesce(e.completed_date, e.meeting_date) DESC NULLS LAST, e.pep_id DESC) = 1
)
SELECT k.period_id, k.child_id,
       coalesce(att.possible, 0)::BIGINT AS possible,
       coalesce(att.present, 0)::BIGINT AS present,
       coalesce(att.authorised + att.unauthorised, 0)::BIGINT AS missed,
       coalesce(ex.suspensions, 0)::BIGINT AS suspensions,
       coalesce(ex.permanent_exclusions, 0)::BIGINT AS permanent_exclusions,
       pe.status AS pep_status, pe.pep_date,
       coalesce(st.no_place_days, 0)::BIGINT AS no_place_days,
       coalesce(st.school_moves, 0)::BIGINT AS school_moves
FROM kids k
LEFT JOIN int_attendance_child att ON att.period_id = k.period_id AND att.child_id = k.child_id
LEFT JOIN int_exclusions_child ex ON ex.period_id = k.period_id AND ex.child_id = k.child_id
LEFT JOIN pep pe ON pe.period_id = k.period_id AND pe.child_id = k.child_id
LEFT JOIN int_stability_child st ON st.period_id = k.period_id AND st.child_id = k.child_id;
