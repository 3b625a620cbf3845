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
-- beside it (src_attendance_buckets; vschool migrate gives them to batches stored before it
-- did, and a lake without them is refused before the transforms run).
-- A bucket is clean when in every batch each slot holds at most one mark (the popcount of
-- the batch's slots equals its number of marks, which must be known). In a clean bucket the
-- current version of a slot is the one of the latest batch that has the slot: a batch's
-- summary rows count only the slots that no later batch has. Each slot is then split by
-- segment with the segment's slots of the bucket (bucket_segs). Most buckets need no
-- comparison of batches at all: when, over all its batches, each slot holds one mark, every
-- mark is the current version of its slot. Only the marks of buckets that are not clean are
-- read one by one (src_attendance_sessions) and deduplicated (latest batch, then latest
-- source line), as the plain definition says.
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
-- Not materialised: copying 200,000 summary rows costs three times more than reading them
-- twice (the second read stops at once when no bucket needs comparing batch by batch).
summaries AS NOT MATERIALIZED (
    SELECT batch_id, child_id, school_urn, bucket, code, mask, marks::BIGINT AS marks
    FROM src_attendance_buckets
),
-- Each summary row with the class of its code (attendance_code_classes; a code not in the
-- table is possible and nothing else).
classified AS NOT MATERIALIZED (
    SELECT s.batch_id, s.child_id, s.school_urn, s.bucket, s.mask, s.marks,
           coalesce(k.class, 4) AS class, s.code IS NOT NULL AS has_code
    FROM summaries s
    LEFT JOIN attendance_code_classes k ON k.code = s.code
),
-- Per child, school and bucket, over every batch: the slots used, the slots of each class of
-- code, and whether each slot holds one mark in all (single; not when a count is
-- missing, so such a bucket is read mark by mark). Then no slot has two versions, and no
-- comparison of batches is needed: most buckets are single.
buckets AS MATERIALIZED (
    SELECT child_id, school_urn, bucket,
           bit_or(mask) AS slots,
           coalesce(bit_or(mask) FILTER (WHERE class <> 0 AND has_code), CAST(0 AS UBIGINT)) AS possible,
           coalesce(bit_or(mask) FILTER (WHERE class = 1), CAST(0 AS UBIGINT)) AS present,
           coalesce(bit_or(mask) FILTER (WHERE class = 2), CAST(0 AS UBIGINT)) AS authorised,
           coalesce(bit_or(mask) FILTER (WHERE class = 3), CAST(0 AS UBIGINT)) AS unauthorised,
           coalesce(bit_count(bit_or(mask)) = sum(marks), false) AS single
    FROM classified
    GROUP BY child_id, school_urn, bucket
),
-- The other buckets, per batch: the same, and whether the batch's slots hold one mark each.
versions AS (
    SELECT c.child_id, c.school_urn, c.bucket, c.batch_id,
           bit_or(c.mask) AS slots,
           coalesce(bit_or(c.mask) FILTER (WHERE c.class <> 0 AND c.has_code), CAST(0 AS UBIGINT)) AS possible,
           coalesce(bit_or(c.mask) FILTER (WHERE c.class = 1), CAST(0 AS UBIGINT)) AS present,
           coalesce(bit_or(c.mask) FILTER (WHERE c.class = 2), CAST(0 AS UBIGINT)) AS authorised,
           coalesce(bit_or(c.mask) FILTER (WHERE c.class = 3), CAST(0 AS UBIGINT)) AS unauthorised,
           coalesce(bit_count(bit_or(c.mask)) = sum(c.marks), false) AS single
    FROM classified c
    SEMI JOIN (SELECT child_id, school_urn, bucket FROM buckets WHERE NOT single) b
      ON b.child_id IS NOT DISTINCT FROM c.child_id AND b.school_urn IS NOT DISTINCT FROM c.school_urn
     AND b.bucket = c.bucket
    GROUP BY c.child_id, c.school_urn, c.bucket, c.batch_id
),
-- newer: the slots of the later batches of the same child, school and bucket; a slot counts
-- in the latest batch that has it. A bucket is clean when every batch's slots are single.
ranked AS (
    SELECT v.*,
           coalesce(bit_or(slots) OVER (PARTITION BY child_id, school_urn, bucket ORDER BY batch_id DESC
                                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), CAST(0 AS UBIGINT)) AS newer,
           bool_and(single) OVER (PARTITION BY child_id, school_urn, bucket) AS clean
    FROM versions v
),
clean_versions AS (
    SELECT child_id, school_urn, bucket, slots, possible, present, authorised, unauthorised,
           CAST(0 AS UBIGINT) AS newer
    FROM buckets
    WHERE single
    UNION ALL
    SELECT child_id, school_urn, bucket, slots, possible, present, authorised, unauthorised, newer
    FROM ranked
    WHERE clean
),
unclean AS (
    SELECT DISTINCT child_id, school_urn, bucket FROM ranked WHERE NOT clean
),
-- Each clean version's counts in each segment its bucket touches.
clean_counts AS (
    SELECT r.child_id, r.school_urn, b.seg_id,
           bit_count(r.slots & ~r.newer & b.seg_slots) AS marks,
           bit_count(r.possible & ~r.newer & b.seg_slots) AS possible,
           bit_count(r.present & ~r.newer & b.seg_slots) AS present,
           bit_count(r.authorised & ~r.newer & b.seg_slots) AS authorised,
           bit_count(r.unauthorised & ~r.newer & b.seg_slots) AS unauthorised
    FROM clean_versions r
    JOIN bucket_segs b ON b.bucket = r.bucket
),
-- The marks of the buckets that are not clean, one by one (from every batch, summarised or
-- not), with their segment.
several AS (
    SELECT m.child_id, m.school_urn, d.seg_id, m.date, m.session, m.code, m.batch_id, m.source_line
    FROM src_attendance_sessions m
    JOIN days d ON d.date = m.date
    SEMI JOIN unclean u
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
-- Each current mark of those buckets, counted once.
deduplicated AS (
    SELECT c.child_id, c.school_urn, c.seg_id,
           1 AS marks,
           CASE WHEN coalesce(k.class, 4) <> 0 AND c.code IS NOT NULL THEN 1 ELSE 0 END AS possible,
           CASE WHEN k.class = 1 THEN 1 ELSE 0 END AS present,
           CASE WHEN k.class = 2 THEN 1 ELSE 0 END AS authorised,
           CASE WHEN k.class = 3 THEN 1 ELSE 0 END AS unauthorised
    FROM current c
    LEFT JOIN attendance_code_classes k ON k.code = c.code
),
-- One aggregate over both kinds of bucket: a segment can hold clean and unclean buckets.
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
           sum(marks)::BIGINT AS marks, sum(possible)::BIGINT AS possible,
           sum(present)::BIGINT AS present, sum(authorised)::BIGINT AS authorised,
           sum(unauthorised)::BIGINT AS unauthorised
    FROM counted
    GROUP BY child_id, school_urn, seg_id
) c
JOIN seg s USING (seg_id)
WHERE c.marks > 0;
