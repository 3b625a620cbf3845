-- Periods of care, one row per child and period: start_date, end_date (NULL = open; a child is
-- looked after on day D when start_date <= D and (end_date IS NULL OR end_date > D)).
-- From SSDA903 episodes: V3/V4 short-break episodes are dropped first; then an episode joins
-- the previous one when the previous episode's REC is X1 (episode ceases, a new one starts
-- the same day); otherwise it starts a new period. A period ends at the DEC of its last
-- episode (NULL when that episode is still open, including a last X1 episode with no DEC).
-- From canonical cohort_episodes (cohort CLA): touching or overlapping rows of a child are
-- one period (they are membership periods, often split by placement).
-- The two sources are then unioned and strictly overlapping periods merged, so a child
-- reported by both counts once.
CREATE TABLE int_periods_of_care AS
WITH eps AS (
    SELECT child_id, decom, dec, rec,
           lag(rec) OVER (PARTITION BY child_id ORDER BY decom) AS prev_rec
    FROM stg_ssda903_episodes
    WHERE coalesce(ls, '') NOT IN ('V3', 'V4')
),
eps_grouped AS (
    SELECT child_id, decom, dec,
           sum(CASE WHEN prev_rec = 'X1' THEN 0 ELSE 1 END)
               OVER (PARTITION BY child_id ORDER BY decom ROWS UNBOUNDED PRECEDING) AS grp
    FROM eps
),
from_903 AS (
    SELECT child_id, min(decom) AS start_date, arg_max_null(dec, decom) AS end_date
    FROM eps_grouped
    GROUP BY child_id, grp
),
canon AS (
    SELECT child_id, start_date, end_date,
           max(coalesce(end_date, DATE '9999-12-31')) OVER (
               PARTITION BY child_id ORDER BY start_date, end_date NULLS LAST
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max_end
    FROM stg_cohort_episodes
    WHERE cohort = 'CLA'
),
canon_grouped AS (
    SELECT child_id, start_date, end_date,
           sum(CASE WHEN prev_max_end IS NOT NULL AND start_date <= prev_max_end THEN 0 ELSE 1 END)
               OVER (PARTITION BY child_id ORDER BY start_date, end_date NULLS LAST ROWS UNBOUNDED PRECEDING) AS grp
    FROM canon
),
from_canon AS (
    SELECT child_id, min(start_date) AS start_date,
           nullif(max(coalesce(end_date, DATE '9999-12-31')), DATE '9999-12-31') AS end_date
    FROM canon_grouped
    GROUP BY child_id, grp
),
both_sources AS (
    SELECT child_id, start_date, end_date,
           max(coalesce(end_date, DATE '9999-12-31')) OVER (
               PARTITION BY child_id ORDER BY start_date, end_date NULLS LAST
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max_end
    FROM (SELECT child_id, start_date, end_date FROM from_903
          UNION ALL
          SELECT child_id, start_date, end_date FROM from_canon)
),
merged AS (
    SELECT child_id, start_date, end_date,
           sum(CASE WHEN prev_max_end IS NOT NULL AND start_date < prev_max_end THEN 0 ELSE 1 END)
               OVER (PARTITION BY child_id ORDER BY start_date, end_date NULLS LAST ROWS UNBOUNDED PRECEDING) AS grp
    FROM both_sources
)
SELECT child_id, min(start_date) AS start_date,
       nullif(max(coalesce(end_date, DATE '9999-12-31')), DATE '9999-12-31') AS end_date
FROM merged
GROUP BY child_id, grp;
