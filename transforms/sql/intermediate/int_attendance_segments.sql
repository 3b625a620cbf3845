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
           CAST(1 AS UBIGINT) << CAST(((d.date - s.start_date) % 32) * 2 AS UBIGINT) AS am_bit
    FROM (SELECT CAST(g.d AS DATE) AS date
          FROM generate_series((SELECT min(start_date) FROM seg), (SELECT max(end_date) FROM seg), INTERVAL 1 DAY) AS g(d)) d
    ASOF JOIN seg s ON d.date >= s.start_date
    WHERE d.date <= s.end_date
),
-- bit: the mark's slot in its bucket (AM, then PM, of each day); 0 for a row that cannot be
-- shown to be the only version of its mark (a session other than AM/PM, or no code, batch_id
-- or source_line), so that its bucket is deduplicated mark by mark.
-- class: attendance_code_classes.class; 4 (possible and nothing else) for a code that is not
-- in the table, 0 (nothing) for a NULL code.
marks AS NOT MATERIALIZED (
    SELECT a.child_id, a.school_urn, a.date, a.session, a.code, a.batch_id, a.source_line, d.seg_id, d.bucket,
           CASE
               WHEN a.code IS NULL OR a.batch_id IS NULL OR a.source_line IS NULL THEN CAST(0 AS UBIGINT)
               WHEN a.session = 'AM' THEN d.am_bit
               WHEN a.session = 'PM' THEN d.am_bit << CAST(1 AS UBIGINT)
               ELSE CAST(0 AS UBIGINT)
           END AS bit,
           coalesce(k.class, CASE WHEN a.code IS NULL THEN 0 ELSE 4 END) AS class
    FROM src_attendance_sessions a
    JOIN days d ON d.date = a.date
    LEFT JOIN attendance_code_classes k ON k.code = a.code
),
buckets AS (
    SELECT child_id, school_urn, bucket, bucket // 64 AS seg_id,
           bit_count(bit_or(bit)) = count(*) AS single_versions,
           count(*) AS marks,
           count(*) FILTER (WHERE class <> 0) AS possible,
           count(*) FILTER (WHERE class = 1) AS present,
           count(*) FILTER (WHERE class = 2) AS authorised,
           count(*) FILTER (WHERE class = 3) AS unauthorised
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
    SELECT c.child_id, c.school_urn, c.seg_id,
           count(*) AS marks,
           count(*) FILTER (WHERE coalesce(k.class, 4) <> 0 AND c.code IS NOT NULL) AS possible,
           count(*) FILTER (WHERE k.class = 1) AS present,
           count(*) FILTER (WHERE k.class = 2) AS authorised,
           count(*) FILTER (WHERE k.class = 3) AS unauthorised
    FROM current c
    LEFT JOIN attendance_code_classes k ON k.code = c.code
    GROUP BY c.child_id, c.school_urn, c.seg_id
),
counted AS (
    SELECT child_id, school_urn, seg_id, marks, possible, present, authorised, unauthorised
    FROM buckets WHERE single_versions
    UNION ALL
    SELECT child_id, school_urn, seg_id, marks, possible, present, authorised, unauthorised
    FROM deduplicated
)
SELECT c.child_id, c.school_urn, s.academic_year, s.term, s.start_date, s.end_date,
       c.marks, c.possible, c.present, c.authorised, c.unauthorised
FROM (
    SELECT child_id, school_urn, seg_id,
           sum(marks)::BIGINT AS marks, sum(possible)::BIGINT AS possible,
           sum(present)::BIGINT AS present, sum(authorised)::BIGINT AS authorised,
           sum(unauthorised)::BIGINT AS unauthorised
    FROM counted
    GROUP BY child_id, school_urn, seg_id
) c
JOIN seg s USING (seg_id);
