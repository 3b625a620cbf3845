-- Attendance marks added up per child, school and calendar segment (a term, or a holiday
-- between terms): marks (rows), possible, present, authorised and unauthorised sessions, over
-- the current version of each mark (child, school, date, session): the latest batch, then
-- the latest source line. Every period is a union of whole segments, so later models never
-- rescan the marks.
-- A mark belongs to the segment with the latest start on or before its date, when the date
-- is on or before that segment's end (marks outside every segment are not counted).
--
-- The marks are read as summaries, not one by one. Dates fall in 32-day buckets counted from
-- 2000-01-01; inside a bucket a mark (date, session) is one of 64 slots (day * 2, + 1 for
-- PM). A summary row holds, for one batch, child, school, bucket and code, the mask of the
-- slots used and the number of marks. Ingest writes the summaries of each attendance batch
-- beside it (src_attendance_buckets); the batches it did not summarise (lakes written before
-- it did) are summarised here from their marks (src_attendance_unsummarised).
-- A bucket is clean when in every batch each slot holds at most one mark (the popcount of
-- the batch's slots equals its number of marks) and every mark is plain (an AM/PM session,
-- a code, a batch_id and a source_line). In a clean bucket the current version of a slot is
-- the one of the latest batch that has the slot: a batch's summary rows count only the slots
-- that no later batch has. Each slot is then split by segment with the segment's slots of
-- the bucket (bucket_segs). Only the marks of buckets that are not clean are read one by one
-- and deduplicated (latest batch, then latest source line), as the plain definition says.
CREATE TABLE int_attendance_segments AS
WITH seg AS (
    SELECT academic_year, term, start_date, end_date,
           row_number() OVER (ORDER BY start_date, end_date, academic_year, term) AS seg_id
    FROM segments
),
days AS (
    SELECT s.seg_id, d.date,
           CAST(floor((d.date - DATE '2000-01-01') / 32) AS INTEGER) AS bucket,
           CAST(3 AS UBIGINT) << CAST((((d.date - DATE '2000-01-01') % 32 + 32) % 32) * 2 AS UBIGINT) AS day_slots
    FROM (SELECT CAST(g.d AS DATE) AS date
          FROM generate_series((SELECT min(start_date) FROM seg), (SELECT max(end_date) FROM seg), INTERVAL 1 DAY) AS g(d)) d
    ASOF JOIN seg s ON d.date >= s.start_date
    WHERE d.date <= s.end_date
),
-- The slots of each bucket that fall in each segment.
bucket_segs AS (
    SELECT bucket, seg_id, bit_or(day_slots) AS seg_slots
    FROM days
    GROUP BY bucket, seg_id
),
raw AS NOT MATERIALIZED (
    SELECT a.child_id, a.school_urn, a.date, a.session, a.code, a.batch_id, a.source_line,
           CAST(floor((a.date - DATE '2000-01-01') / 32) AS INTEGER) AS bucket,
           CAST(1 AS UBIGINT) << CAST((((a.date - DATE '2000-01-01') % 32 + 32) % 32) * 2
                                      + CASE WHEN a.session = 'PM' THEN 1 ELSE 0 END AS UBIGINT) AS slot,
           coalesce(a.session IN ('AM', 'PM') AND a.code IS NOT NULL AND a.batch_id IS NOT NULL
                    AND a.source_line IS NOT NULL, false) AS plain
    FROM src_attendance_unsummarised a
    WHERE a.date IS NOT NULL
),
summaries AS (
    SELECT batch_id, child_id, school_urn, bucket, code, mask, marks::BIGINT AS marks, true AS plain
    FROM src_attendance_buckets
    UNION ALL
    SELECT batch_id, child_id, school_urn, bucket, code, bit_or(slot), count(*), bool_and(plain)
    FROM raw
    GROUP BY batch_id, child_id, school_urn, bucket, code
),
-- Per batch, child, school and bucket: the slots used, the slots of each class of code
-- (attendance_code_classes; a code not in the table is possible and nothing else), and
-- whether each slot holds one mark (single).
versions AS (
    SELECT s.child_id, s.school_urn, s.bucket, s.batch_id,
           bit_or(s.mask) AS slots,
           coalesce(bit_or(s.mask) FILTER (WHERE coalesce(k.class, 4) <> 0 AND s.code IS NOT NULL), CAST(0 AS UBIGINT)) AS possible,
           coalesce(bit_or(s.mask) FILTER (WHERE k.class = 1), CAST(0 AS UBIGINT)) AS present,
           coalesce(bit_or(s.mask) FILTER (WHERE k.class = 2), CAST(0 AS UBIGINT)) AS authorised,
           coalesce(bit_or(s.mask) FILTER (WHERE k.class = 3), CAST(0 AS UBIGINT)) AS unauthorised,
           bit_count(bit_or(s.mask)) = sum(s.marks) AND bool_and(s.plain) AS single
    FROM summaries s
    LEFT JOIN attendance_code_classes k ON k.code = s.code
    GROUP BY s.child_id, s.school_urn, s.bucket, s.batch_id
),
-- newer: the slots of the later batches of the same child, school and bucket; a slot counts
-- in the latest batch that has it.
ranked AS (
    SELECT v.*,
           coalesce(bit_or(slots) OVER (PARTITION BY child_id, school_urn, bucket ORDER BY batch_id DESC
                                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), CAST(0 AS UBIGINT)) AS newer,
           bool_and(single) OVER (PARTITION BY child_id, school_urn, bucket) AS clean
    FROM versions v
),
clean_counts AS (
    SELECT r.child_id, r.school_urn, b.seg_id,
           sum(bit_count(r.slots & ~r.newer & b.seg_slots)) AS marks,
           sum(bit_count(r.possible & ~r.newer & b.seg_slots)) AS possible,
           sum(bit_count(r.present & ~r.newer & b.seg_slots)) AS present,
           sum(bit_count(r.authorised & ~r.newer & b.seg_slots)) AS authorised,
           sum(bit_count(r.unauthorised & ~r.newer & b.seg_slots)) AS unauthorised
    FROM ranked r
    JOIN bucket_segs b ON b.bucket = r.bucket
    WHERE r.clean
    GROUP BY r.child_id, r.school_urn, b.seg_id
),
-- The marks of the buckets that are not clean, one by one (from every batch, summarised or
-- not), with their segment.
several AS (
    SELECT m.child_id, m.school_urn, d.seg_id, m.date, m.session, m.code, m.batch_id, m.source_line
    FROM src_attendance_sessions m
    JOIN days d ON d.date = m.date
    SEMI JOIN (SELECT DISTINCT child_id, school_urn, bucket FROM ranked WHERE NOT clean) u
      ON u.child_id IS NOT DISTINCT FROM m.child_id AND u.school_urn IS NOT DISTINCT FROM m.school_urn
     AND u.bucket = d.bucket
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
    FROM clean_counts
    UNION ALL
    SELECT child_id, school_urn, seg_id, marks, possible, present, authorised, unauthorised
    FROM deduplicated
)
SELECT c.child_id, c.school_urn, s.academic_year, s.term, s.start_date, s.end_date,
       c.marks, c.possible, c.present, c.authorised, c.unauthorised
FROM (
    SELECT child_id, school_urn, seg_id,
           sum(marks)::BIGINT AS marks, coalesce(sum(possible), 0)::BIGINT AS possible,
           coalesce(sum(present), 0)::BIGINT AS present, coalesce(sum(authorised), 0)::BIGINT AS authorised,
           coalesce(sum(unauthorised), 0)::BIGINT AS unauthorised
    FROM counted
    GROUP BY child_id, school_urn, seg_id
) c
JOIN seg s USING (seg_id)
WHERE c.marks > 0;
