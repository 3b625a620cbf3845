-- PEPs: the current version of each pep_id. done = status COMPLETED or QA_APPROVED.
CREATE TABLE stg_peps AS
SELECT pep_id, child_id, academic_year, term, meeting_date, status, completed_date, initial,
       quality, child_voice, targets_count, pp_plus_requested_pence, pp_plus_approved_pence,
       (status IN ('COMPLETED', 'QA_APPROVED')) AS done
FROM src_peps
QUALIFY row_number() OVER (PARTITION BY pep_id ORDER BY version_key(batch_id, source_line) DESC) = 1;
