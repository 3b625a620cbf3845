-- Canonical cohort membership periods: the current version of each (child, cohort, start),
-- from the cohort_episodes files and the CIN census files (stg_cin_census_episodes; the
-- latest batch wins where both give the same membership).
-- A child is in the cohort on day D when start_date <= D < end_date (end_date NULL = open).
CREATE TABLE stg_cohort_episodes AS
SELECT child_id, cohort, start_date, end_date, legal_status, placement_type, placement_la, plac_route
FROM (
    SELECT child_id, cohort, start_date, end_date, legal_status, placement_type, placement_la, plac_route,
           batch_id, source_line
    FROM src_cohort_episodes
    UNION ALL
    SELECT child_id, cohort, start_date, end_date, NULL, NULL, NULL, NULL, batch_id, source_line
    FROM stg_cin_census_episodes
)
QUALIFY row_number() OVER (PARTITION BY child_id, cohort, start_date ORDER BY version_key(batch_id, source_line) DESC) = 1;
