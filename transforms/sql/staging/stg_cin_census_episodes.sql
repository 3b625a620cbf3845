-- CIN and CPP memberships from the CIN census files (docs/inputs.md). A census file is a full
-- snapshot of its collection year: for each child and year, only the memberships of the
-- latest census batch that lists the child count, so a later file replaces what an earlier
-- one derived for the same child and year (also memberships it no longer has, and all of
-- them when its referrals are all NFA). A membership listed in the census of several years
-- (a case open across 31 March) takes the latest year's version, whose closure date may be
-- known only then; within one year, the latest batch's.
CREATE TABLE stg_cin_census_episodes AS
SELECT child_id, cohort, start_date, end_date, census_year, batch_id, source_line
FROM (
    SELECT e.child_id, e.cohort, e.start_date, e.end_date, e.census_year, e.batch_id, e.source_line
    FROM src_cin_census_episodes e
    JOIN stg_cin_census c
      ON c.child_id = e.child_id AND c.census_year = e.census_year AND c.batch_id = e.batch_id
)
QUALIFY row_number() OVER (PARTITION BY child_id, cohort, start_date ORDER BY census_year DESC, version_key(batch_id, source_line) DESC) = 1;
