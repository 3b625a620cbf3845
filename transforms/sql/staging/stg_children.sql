-- Canonical roster: the current version of each child.
CREATE TABLE stg_children AS
SELECT child_id, upn, upn_status, dob, sex, ethnicity, sen_provision, school_urn, ncy,
       batch_id, source_line, ingested_at
FROM src_children
QUALIFY row_number() OVER (PARTITION BY child_id ORDER BY version_key(batch_id, source_line) DESC) = 1;
