-- Attainment results: the current version of each (child, academic year, term, assessment, subject).
-- term is NULL except for TERMLY judgements.
CREATE TABLE stg_attainment AS
SELECT child_id, academic_year, term, assessment, subject, result, result_score
FROM src_attainment
QUALIFY row_number() OVER (PARTITION BY child_id, academic_year, term, assessment, subject ORDER BY version_key(batch_id, source_line) DESC) = 1;
