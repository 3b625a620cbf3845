-- Which source families hold at least one record for each period (a measure whose sources
-- hold none is "x", not available, rather than 0):
--   attendance  a session mark dated in the period, or a summary row overlapping it;
--   exclusions  an exclusion starting in the period;
--   attainment  a result for the period's academic year (TERMLY rows: for the period's term);
--   peps        a PEP for the period's academic year and term (academic-year periods: any term);
--   cohort      a period of care or canonical membership that started on or before the
--               reference date (the roster of cohorts exists at D).
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
   OR p.ref_date >= (SELECT min(start_date) FROM stg_cohort_episodes);
