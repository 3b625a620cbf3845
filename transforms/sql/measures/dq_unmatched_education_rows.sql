-- measure: dq_unmatched_education_rows
-- kind: count
-- sources: cohort
-- definition: current education rows dated in the term (attendance marks and summaries, exclusions, PEPs, termly attainment) whose child_id is on neither roster (SSDA903 header, children); denominator: all such rows of the dataset.
-- source: int_attendance_segments (marks), stg_attendance_summary, stg_exclusions, stg_peps, stg_attainment against int_roster.
-- grain: term period; cohort "All records"; breakdown Dataset, and Total.
WITH edu AS (
    SELECT p.period_id, 'attendance_sessions' AS dataset, a.child_id, a.marks AS n
    FROM periods p JOIN int_attendance_segments a ON a.start_date >= p.start_date AND a.end_date <= p.end_date
    WHERE p.is_term
    UNION ALL
    SELECT p.period_id, 'attendance_summary', s.child_id, 1
    FROM periods p JOIN stg_attendance_summary s ON s.period_start BETWEEN p.start_date AND p.end_date
    WHERE p.is_term
    UNION ALL
    SELECT p.period_id, 'exclusions', e.child_id, 1
    FROM periods p JOIN stg_exclusions e ON e.start_date BETWEEN p.start_date AND p.end_date
    WHERE p.is_term
    UNION ALL
    SELECT p.period_id, 'peps', e.child_id, 1
    FROM periods p JOIN stg_peps e ON e.academic_year = p.academic_year AND e.term = p.term
    WHERE p.is_term
    UNION ALL
    SELECT p.period_id, 'attainment', t.child_id, 1
    FROM periods p JOIN stg_attainment t ON t.academic_year = p.academic_year AND t.term = p.term
    WHERE p.is_term
),
datasets AS (
    SELECT dataset FROM (VALUES ('attendance_sessions'), ('attendance_summary'), ('exclusions'), ('peps'), ('attainment')) AS v(dataset)
),
counts AS (
    SELECT p.period_id, d.dataset,
           coalesce(sum(e.n) FILTER (WHERE r.child_id IS NULL), 0) AS unmatched,
           coalesce(sum(e.n), 0) AS total
    FROM periods p
    CROSS JOIN datasets d
    LEFT JOIN edu e ON e.period_id = p.period_id AND e.dataset = d.dataset
    LEFT JOIN int_roster r ON r.child_id = e.child_id
    WHERE p.is_term
    GROUP BY p.period_id, d.dataset
)
SELECT period_id, 'All records' AS cohort, 'Dataset' AS breakdown, dataset AS breakdown_value,
       'dq_unmatched_education_rows' AS measure, unmatched::DOUBLE AS numerator, total::DOUBLE AS denominator
FROM counts
UNION ALL
SELECT period_id, 'All records', 'Total', 'Total', 'dq_unmatched_education_rows', sum(unmatched)::DOUBLE, sum(total)::DOUBLE
FROM counts
GROUP BY period_id;
