-- One row per child known to any roster (SSDA903 header, canonical children, CIN census).
-- Where several describe a child, the most recently ingested non-blank value wins field by field (order:
-- batch_id, then source_line). upn and upn_status travel together. ncy is an override of the
-- derived national curriculum year; ncy_year is the academic year (start year) in which that
-- override was ingested, so it shifts by one each later year.
CREATE TABLE int_roster AS
WITH r AS (
    SELECT child_id, sex, dob, ethnicity, upn, upn_status,
           NULL::VARCHAR AS sen_provision, NULL::VARCHAR AS school_urn, NULL::SMALLINT AS ncy,
           ingested_at, batch_id || '#' || lpad(source_line::VARCHAR, 12, '0') AS version
    FROM stg_ssda903_header
    UNION ALL
    SELECT child_id, sex, dob, ethnicity, upn, upn_status, sen_provision, school_urn, ncy,
           ingested_at, batch_id || '#' || lpad(source_line::VARCHAR, 12, '0') AS version
    FROM stg_children
    UNION ALL
    SELECT child_id, sex, dob, ethnicity, upn, upn_status, NULL, NULL, NULL,
           ingested_at, batch_id || '#' || lpad(source_line::VARCHAR, 12, '0') AS version
    FROM stg_cin_census
)
SELECT child_id,
       arg_max(sex, version) FILTER (WHERE sex IS NOT NULL) AS sex,
       arg_max(dob, version) FILTER (WHERE dob IS NOT NULL) AS dob,
       arg_max(ethnicity, version) FILTER (WHERE ethnicity IS NOT NULL) AS ethnicity,
       arg_max(upn, version) FILTER (WHERE upn_status IS NOT NULL) AS upn,
       arg_max(upn_status, version) FILTER (WHERE upn_status IS NOT NULL) AS upn_status,
       arg_max(sen_provision, version) FILTER (WHERE sen_provision IS NOT NULL) AS sen_provision,
       arg_max(school_urn, version) FILTER (WHERE school_urn IS NOT NULL) AS school_urn,
       arg_max(ncy, version) FILTER (WHERE ncy IS NOT NULL) AS ncy,
       arg_max(CASE WHEN month(ingested_at) >= 8 THEN year(ingested_at) ELSE year(ingested_at) - 1 END, version)
           FILTER (WHERE ncy IS NOT NULL) AS ncy_year
FROM r
GROUP BY child_id;
