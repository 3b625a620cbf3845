-- The action list (team edition only): children looked after at the end of the action term
-- (each period flagged in action_period: a run of several reports has one per report) who
-- need attention, one row per period, child and reason:
--   severe_absence        school age, absence >= 50% of own possible sessions;
--   persistent_absence    school age, absence >= 10% (and below 50%);
--   no_attendance_data    school age, no possible session in the term;
--   suspension            a suspension starting in the term;
--   permanent_exclusion   a permanent exclusion starting in the term;
--   no_done_pep           PEP-eligible with no done PEP for the term;
--   initial_pep_overdue   initial PEP due by the term's end and none held in time;
--   no_school_place       school age with no school URN on the roster;
-- and in v2 (docs/measures.md, Action list; int_stability_child of the term):
--   no_education_place    school age, at least one school day of the term in care without an
--                         education place;
--   part_time_timetable   school age, the education place open at the term's end gives fewer
--                         hours than the full-time threshold;
--   school_move_after_placement_move   school age, a placement move in the term followed by
--                         a school move 0 to 30 days after it in the term;
--   post16_neet           NCY 12-13, an open NEET or NONE placement at the term's end and no
--                         open education, employment or training placement.
-- The v2 reasons need the education placements export: none is given for a term whose
-- 'education' source family is not available (int_availability), as its measures are x.
CREATE TABLE int_actions AS
WITH kids AS (
    SELECT m.period_id, m.child_id, l.label || ' at ' || p.ref_label AS cohort, a.school_age, a.school_urn
    FROM int_cohort_members m
    JOIN action_period ap USING (period_id)
    JOIN periods p USING (period_id)
    JOIN int_cohort_labels l USING (cohort_code)
    JOIN int_child_attributes a USING (period_id, child_id)
    WHERE m.cohort_code = 'CLA'
),
att AS (
    SELECT k.period_id, k.child_id, k.cohort, k.school_age, coalesce(c.possible, 0) AS possible,
           coalesce(c.authorised + c.unauthorised, 0) AS absence
    FROM kids k
    LEFT JOIN int_attendance_child c USING (period_id, child_id)
),
excl AS (
    SELECT DISTINCT k.period_id, k.child_id, k.cohort,
           CASE WHEN e.category = 'PERMANENT' THEN 'permanent_exclusion' ELSE 'suspension' END AS reason
    FROM kids k
    JOIN periods p USING (period_id)
    JOIN stg_exclusions e ON e.child_id = k.child_id AND e.start_date BETWEEN p.start_date AND p.end_date
)
SELECT period_id, child_id, cohort, 'severe_absence' AS reason FROM att
WHERE school_age AND possible > 0 AND absence * 2 >= possible
UNION ALL
SELECT period_id, child_id, cohort, 'persistent_absence' FROM att
WHERE school_age AND possible > 0 AND absence * 10 >= possible AND absence * 2 < possible
UNION ALL
SELECT period_id, child_id, cohort, 'no_attendance_data' FROM att WHERE school_age AND possible = 0
UNION ALL
SELECT period_id, child_id, cohort, reason FROM excl
UNION ALL
SELECT k.period_id, k.child_id, k.cohort, 'no_done_pep' FROM kids k
JOIN int_pep_child pc USING (period_id, child_id) WHERE NOT pc.has_done_pep
UNION ALL
SELECT k.period_id, k.child_id, k.cohort, 'initial_pep_overdue' FROM kids k
JOIN int_pep_child pc USING (period_id, child_id) WHERE pc.initial_due AND NOT pc.initial_timely
UNION ALL
SELECT period_id, child_id, cohort, 'no_school_place' FROM kids WHERE school_age AND school_urn IS NULL
UNION ALL
SELECT k.period_id, k.child_id, k.cohort, r.reason
FROM kids k
JOIN int_stability_child s ON s.period_id = k.period_id AND s.child_id = k.child_id
SEMI JOIN int_availability av ON av.period_id = k.period_id AND av.source = 'education'
CROSS JOIN (VALUES ('no_education_place'), ('part_time_timetable'), ('school_move_after_placement_move'), ('post16_neet')) AS r(reason)
WHERE CASE r.reason
          WHEN 'no_education_place' THEN s.school_age AND s.no_place_days > 0
          WHEN 'part_time_timetable' THEN s.school_age AND s.hours_known AND s.part_time
          WHEN 'school_move_after_placement_move' THEN s.school_age AND s.placement_moved AND s.school_after_placement
          ELSE s.post16 AND s.post16_neet
      END;
