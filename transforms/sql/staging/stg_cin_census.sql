-- CIN census children: the current census row of each child and collection year (the latest
-- batch that lists the child for that year), with the roster fields the census gives.
CREATE TABLE stg_cin_census AS
SELECT child_id, census_year, reference_date, upn, upn_status, dob, sex, ethnicity,
       batch_id, source_line, ingested_at
FROM src_cin_census
QUALIFY row_number() OVER (PARTITION BY child_id, census_year ORDER BY version_key(batch_id, source_line) DESC) = 1;
