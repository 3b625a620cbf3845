-- The breakdown cells are joined to the per-child models on child_key(child_id), a 64-bit
-- hash (sources.sql): every child ID those joins can meet (the members' attributes, the
-- per-child attendance, exclusion, attainment and PEP models, the termly judgements) must
-- have a key of its own. The check after the table stops the run if two ever shared one.
CREATE TABLE int_child_key_check AS
SELECT count(*) AS ids, count(DISTINCT child_key(child_id)) AS keys
FROM (SELECT DISTINCT child_id FROM (
    SELECT child_id FROM int_child_attributes
    UNION ALL SELECT child_id FROM int_attendance_child
    UNION ALL SELECT child_id FROM int_exclusions_child
    UNION ALL SELECT child_id FROM int_attainment_child
    UNION ALL SELECT child_id FROM int_pep_child
    UNION ALL SELECT child_id FROM int_pep_done_child
    UNION ALL SELECT child_id FROM stg_attainment
));
SELECT CASE WHEN ids <> keys THEN error('transforms: two child IDs share a child_key') END
FROM int_child_key_check;
