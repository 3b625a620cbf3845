-- Education placements: the current version of each (child, provision, setting, start date).
-- A placement is open on day d when start_date <= d and (end_date IS NULL OR end_date > d).
CREATE TABLE stg_education_placements AS
SELECT child_id, setting_urn, provision, start_date, end_date, hours_per_week, leaving_reason
FROM src_education_placements
QUALIFY row_number() OVER (PARTITION BY child_id, provision, setting_urn, start_date ORDER BY version_key(batch_id, source_line) DESC) = 1;
