-- measure: dq_quarantined_rows
-- kind: count
-- sources: quarantine
-- definition: rows refused at ingest (quarantined) by batches ingested in the period: a batch counts in the period that contains its ingest date (the UTC date at the start of its batch_id, the manifest's ingested_at), whatever the dates inside its rows. A row with several problems counts once in Total and Dataset, and once under each of its rules in Reason (so Reason rows can add up to more than Total).
-- source: the quarantine CSV files of committed batches (lake/_quarantine/<batch_id>.csv, Request.Quarantine).
-- grain: every term and academic-year period (not years to date); cohort "All records"; breakdowns Total, Dataset and Reason (the rule code); Dataset and Reason rows only for values with refused rows in the period.
WITH q AS (
    SELECT dataset, batch_id, file, line, rule,
           CAST(strptime(left(batch_id, 8), '%Y%m%d') AS DATE) AS ingest_date
    FROM src_quarantine
),
rows_in AS (
    SELECT p.period_id, q.dataset, q.batch_id, q.file, q.line, q.rule
    FROM periods p JOIN q ON q.ingest_date BETWEEN p.start_date AND p.end_date
    WHERE NOT p.is_ytd
)
SELECT p.period_id, 'All records' AS cohort, 'Total' AS breakdown, 'Total' AS breakdown_value,
       'dq_quarantined_rows' AS measure,
       count(DISTINCT (r.batch_id, r.file, r.line)) FILTER (WHERE r.batch_id IS NOT NULL)::DOUBLE AS numerator,
       NULL::DOUBLE AS denominator
FROM periods p
LEFT JOIN rows_in r ON r.period_id = p.period_id
WHERE NOT p.is_ytd
GROUP BY p.period_id
UNION ALL
SELECT period_id, 'All records', 'Dataset', dataset, 'dq_quarantined_rows',
       count(DISTINCT (batch_id, file, line))::DOUBLE, NULL::DOUBLE
FROM rows_in
GROUP BY period_id, dataset
UNION ALL
SELECT period_id, 'All records', 'Reason', rule, 'dq_quarantined_rows',
       count(DISTINCT (batch_id, file, line))::DOUBLE, NULL::DOUBLE
FROM rows_in
GROUP BY period_id, rule;
