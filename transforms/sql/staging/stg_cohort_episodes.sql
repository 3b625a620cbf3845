-- Canonical cohort membership periods: the current version of each (child, cohort, start).
-- A child is in the cohort on day D when start_date <= D < end_date (end_date NULL = open).
CREATE TABLE stg_cohort_episodes AS
SELECT child_id, cohort, start_date, end_date, legal_status, placement_type, placement_la, plac_route
FROM src_cohort_episodes
QUALIFY row_number() OVER (PARTITION BY child_id, cohort, start_date ORDER BY version_key(batch_id, source_line) DESC) = 1;
