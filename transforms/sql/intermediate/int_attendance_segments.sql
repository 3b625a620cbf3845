-- Attendance marks added up per child, school and calendar segment (a term, or a holiday
-- between terms): marks (rows), possible, present, authorised and unauthorised sessions, over
-- the current version of each mark (child, school, date, session): the latest batch, then
-- the latest source line. Every period is a union of whole segments, so later models never
-- rescan the marks.
-- A mark belongs to the segment with the latest start on or before its date, when the date
-- is on or before that segment's end (marks outside every segment are not counted).
-- Deduplication without grouping millions of marks: the marks of a child and school are first
-- counted per bucket of 32 days of a segment. Inside a bucket a mark's key (date, session)
-- is one of 64 slots; when the number of distinct slots used equals the number of rows (and
-- every row has an AM/PM session, a code, a batch_id and a source_line), every row is the
-- only version of its mark and the bucket's counts stand as they are. Only the other buckets
-- are deduplicated mark by mark (arg_max of the code by version, see stg_attendance_sessions).
-- A bucket number is seg_id * 64 + (days since the segment start) // 32.
CREATE TABLE int_attendance_segments AS
WITH seg AS (
    SELECT academic_year, term, start_date, end_date,
           row_number() OVER (ORDER BY start_date, end_date, academic_year, term) AS seg_id
    FROM segments
),
days AS (
    SELECT s.seg_id, d.date,
           s.seg_id * 64 + ((d.date - s.start_date) // 32) AS bucket,
           CAST(((d.date - s.start_date) % 32) * 2 AS UBIGINT) AS first_slot
    FROM (SELECT CAST(g.d AS DATE) AS date
          FROM generate_series((SELECT min(start_date) FROM seg), (SELECT max(end_date) FROM seg), INTERVAL 1 DAY) AS g(d)) d
    ASOF JOIN seg s ON d.date >= s.start_date
    WHERE d.date <= s.end_date
),
marks AS NOT MATERIALIZED (
    SELECT a.child_id, a.school_urn, a.date, a.session, a.code, a.batch_id, a.source_line,
           a.is_possible, a.is_present, a.is_authorised, a.is_unauthorised, d.seg_id, d.bucket,
           d.first_slot + CASE a.session WHEN 'PM' THEN 1::UBIGINT ELSE 0::UBIGINT END AS slot,
           coalesce(a.session IN ('AM', 'PM') AND a.code IS NOT NULL AND a.batch_id IS NOT NULL
                    AND a.source_line IS NOT NULL, false) AS plain
    FROM stg_attendance_sessions a
    JOIN days d ON d.date = a.date
),
buckets AS (
    SELECT child_id, school_urn, bucket, bucket // 64 AS seg_id,
           bool_and(plain) AND bit_count(bit_or(1::UBIGINT << slot)) = count(*) AS single_versions,
           count(*) AS marks,
           count(*) FILTER (WHERE is_possible) AS possible,
           count(*) FILTER (WHERE is_possible AND is_present) AS present,
           count(*) FILTER (WHERE is_possible AND is_authorised) AS authorised,
           count(*) FILTER (WHERE is_possible AND is_unauthorised) AS unauthorised
    FROM marks
    GROUP BY child_id, school_urn, bucket
),
several AS (
    SELECT m.*
    FROM marks m
    SEMI JOIN (SELECT child_id, school_urn, bucket FROM buckets WHERE NOT single_versions) b
      ON b.child_id IS NOT DISTINCT FROM m.child_id AND b.school_urn IS NOT DISTINCT FROM m.school_urn
     AND b.bucket = m.bucket
),
batch_rank AS (
    SELECT batch_id, row_number() OVER (ORDER BY batch_id) AS batch_rank
    FROM (SELECT DISTINCT batch_id FROM several WHERE batch_id IS NOT NULL)
),
current AS (
    SELECT m.child_id, m.school_urn, m.seg_id, m.date, m.session,
           arg_max(m.code, r.batch_rank * 1099511627776 + m.source_line) AS code
    FROM several m
    LEFT JOIN batch_rank r ON r.batch_id = m.batch_id
    GROUP BY m.child_id, m.school_urn, m.seg_id, m.date, m.session
),
deduplicated AS (
    SELECT child_id, school_urn, seg_id,
           count(*) AS marks,
           count(*) FILTER (WHERE is_possible) AS possible,
           count(*) FILTER (WHERE is_possible AND is_present) AS present,
           count(*) FILTER (WHERE is_possible AND is_authorised) AS authorised,
           count(*) FILTER (WHERE is_possible AND is_unauthorised) AS unauthorised
    FROM (
        SELECT c.child_id, c.school_urn, c.seg_id,
               coalesce(k.is_possible, c.code IS NOT NULL) AS is_possible,
               coalesce(k.is_present, false) AS is_present,
               coalesce(k.is_authorised, false) AS is_authorised,
               coalesce(k.is_unauthorised, false) AS is_unauthorised
        FROM current c
        LEFT JOIN attendance_code_classes k ON k.code = c.code
    )
    GROUP BY child_id, school_urn, seg_id
),
counted AS (
    SELECT child_id, school_urn, seg_id, marks, possible, present, authorised, unauthorised
    FROM buckets WHERE single_versions
    UNION ALL
    SELECT child_id, school_urn, seg_id, marks, possible, present, authorised, unauthorised
    FROM deduplicated
)
SELECT c.child_id, c.school_urn, s.academic_year, s.term, s.start_date, s.end_date,
       sum(c.marks)::BIGINT AS marks, sum(c.possible)::BIGINT AS possible,
       sum(c.present)::BIGINT AS present, sum(c.authorised)::BIGINT AS authorised,
       sum(c.unauthorised)::BIGINT AS unauthorised
FROM counted c
JOIN seg s USING (seg_id)
GROUP BY c.child_id, c.school_urn, s.academic_year, s.term, s.start_date, s.end_date;
