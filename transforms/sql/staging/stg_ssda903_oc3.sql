-- SSDA903 OC3 care leavers: the current version of each (child, collection year).
CREATE TABLE stg_ssda903_oc3 AS
SELECT child_id, collection_year, dob, in_touch, activ
FROM src_ssda903_oc3
QUALIFY row_number() OVER (PARTITION BY child_id, collection_year ORDER BY version_key(batch_id, source_line) DESC) = 1;
