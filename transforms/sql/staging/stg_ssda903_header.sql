-- SSDA903 header: the current version of each child (latest batch, then latest line).
CREATE TABLE stg_ssda903_header AS
SELECT child_id, sex, dob, ethnicity, upn, upn_status, batch_id, source_line, ingested_at
FROM src_ssda903_header
QUALIFY row_number() OVER (PARTITION BY child_id ORDER BY version_key(batch_id, source_line) DESC) = 1;
