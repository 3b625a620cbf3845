-- GIAS schools: the current version of each URN.
CREATE TABLE stg_schools AS
SELECT urn, name, la_code, la_name, establishment_type, phase, ofsted_rating
FROM src_schools
QUALIFY row_number() OVER (PARTITION BY urn ORDER BY version_key(batch_id, source_line) DESC) = 1;
