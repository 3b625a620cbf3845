-- Suspensions and permanent exclusions: the current version of each (child, school, start, category).
CREATE TABLE stg_exclusions AS
SELECT child_id, school_urn, start_date, category, sessions, reason
FROM src_exclusions
QUALIFY row_number() OVER (PARTITION BY child_id, school_urn, start_date, category ORDER BY version_key(batch_id, source_line) DESC) = 1;
