-- Which source families hold at least one record for each period (a measure whose sources
-- hold none is "x", not available, rather than 0):
--   attendance  a session mark dated in the period, or a summary row overlapping it;
--   exclusions  an exclusion starting in the period;
--   attainment  a result for the period's academic year (TERMLY rows: for the period's term);
--   peps        a PEP for the period's academic year and term (academic-year periods: any term);
--   cohort      a period of care or canonical membership that started on or before the
--               reference date (the roster of cohorts exists at D).
-- Each source is reduced to its distinct dates, years or terms before it meets the periods.
CREATE TABLE int_availability AS
SELECT DISTINCT p.period_id, 'attendance' AS source
FROM periods p JOIN (SELECT DISTINCT start_date, end_date FROM int_attendance_segments) a
  ON a.start_date >= p.start_date AND a.end_date <= p.end_date
UNION
SELECT DISTINCT p.period_id, 'attendance'
FROM periods p JOIN (SELECT DISTINCT period_start, period_end FROM stg_attendance_summary) s
  ON s.period_start <= p.end_date AND s.period_end >= p.start_date
UNION
SELECT DISTINCT p.period_id, 'exclusions'
FROM periods p JOIN (SELECT DISTINCT start_date FROM stg_exclusions) e ON e.start_date BETWEEN p.start_date AND p.end_date
UNION
SELECT DISTINCT p.period_id, 'attainment'
FROM periods p JOIN (SELECT DISTINCT academic_year FROM stg_attainment WHERE assessment <> 'TERMLY') t
  ON t.academic_year = p.academic_year
UNION
SELECT DISTINCT p.period_id, 'termly_attainment'
FROM periods p JOIN (SELECT DISTINCT academic_year, term FROM stg_attainment WHERE assessment = 'TERMLY') t
  ON t.academic_year = p.academic_year AND t.term = p.term
UNION
SELECT DISTINCT p.period_id, 'peps'
FROM periods p JOIN (SELECT DISTINCT academic_year, term FROM stg_peps) e
  ON e.academic_year = p.academic_year AND (NOT p.is_term OR e.term = p.term)
UNION
SELECT DISTINCT p.period_id, 'cohort'
FROM periods p JOIN (SELECT min(start_date) AS start_date FROM int_periods_of_care) c ON c.start_date <= p.ref_date
UNION
SELECT DISTINCT p.period_id, 'cohort'
FROM periods p JOIN (SELECT min(start_date) AS start_date FROM stg_cohort_episodes) e ON e.start_date <= p.ref_date;
