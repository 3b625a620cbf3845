-- Which source families hold at least one record for each period (a measure whose sources
-- hold none is "x", not available, rather than 0):
--   attendance  a session mark dated in the period, or a summary row overlapping it;
--   exclusions  an exclusion starting in the period;
--   attainment  a result for the period's academic year (TERMLY rows: for the period's term);
--   peps        a PEP for the period's academic year and term (academic-year periods: any term);
--   cohort      a period of care or canonical membership that started on or before the
--               reference date (the roster of cohorts exists at D).
--   education   (v2) an education placement that started on or before the end of the
--               period's stability window (int_stability_windows): the placements export
--               has been received for the period;
--   care_leavers (v2) an OC3 row of the collection year ending on an academic year's
--               reference date (31 March).
-- Each family is a semi join of the periods with its source rows (a period is listed once per
-- family, as soon as one row matches), not a join followed by DISTINCT: a DISTINCT or UNION
-- costs a hash table of its own, and building one costs more than this whole model's joins.
CREATE TABLE int_availability AS
SELECT p.period_id, 'attendance' AS source
FROM periods p
SEMI JOIN (SELECT start_date, end_date, false AS overlapping FROM int_attendance_segments
           UNION ALL
           SELECT period_start, period_end, true FROM stg_attendance_summary) a
  ON CASE WHEN a.overlapping THEN a.start_date <= p.end_date AND a.end_date >= p.start_date
          ELSE a.start_date >= p.start_date AND a.end_date <= p.end_date END
UNION ALL
SELECT p.period_id, 'exclusions'
FROM periods p SEMI JOIN stg_exclusions e ON e.start_date BETWEEN p.start_date AND p.end_date
UNION ALL
SELECT p.period_id, 'attainment'
FROM periods p SEMI JOIN stg_attainment t ON t.academic_year = p.academic_year AND t.assessment <> 'TERMLY'
UNION ALL
SELECT p.period_id, 'termly_attainment'
FROM periods p SEMI JOIN stg_attainment t
  ON t.academic_year = p.academic_year AND t.term = p.term AND t.assessment = 'TERMLY'
UNION ALL
SELECT p.period_id, 'peps'
FROM periods p SEMI JOIN stg_peps e ON e.academic_year = p.academic_year AND (NOT p.is_term OR e.term = p.term)
UNION ALL
SELECT p.period_id, 'cohort'
FROM periods p
WHERE p.ref_date >= (SELECT min(start_date) FROM int_periods_of_care)
   OR p.ref_date >= (SELECT min(start_date) FROM stg_cohort_episodes)
UNION ALL
SELECT w.period_id, 'education'
FROM int_stability_windows w SEMI JOIN stg_education_placements e ON e.start_date <= w.window_end
UNION ALL
SELECT p.period_id, 'care_leavers'
FROM periods p SEMI JOIN stg_ssda903_oc3 o ON o.collection_year = year(p.ref_date)
WHERE NOT p.is_term AND NOT p.is_ytd;
