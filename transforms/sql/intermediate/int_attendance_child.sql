-- Sessions per period and child, summed over every school the child attended in the period:
-- session marks dated inside the period (from int_attendance_segments), plus non-superseded summary rows that belong to the
-- period. A summary row belongs to a period when the midpoint of its span lies in the period
-- and the span is no longer than the period plus 14 days (so a whole-year summary counts in
-- the academic year, not in a term; a termly return whose dates differ from the configured
-- term by a few days still counts in that term).
-- The sums are BIGINT: DuckDB sums BIGINTs into HUGEINTs, and a HUGEINT column makes every
-- later sum over it several times slower.
CREATE TABLE int_attendance_child AS
SELECT period_id, child_id, child_key(child_id) AS child_key,
       sum(possible)::BIGINT AS possible, sum(present)::BIGINT AS present,
       sum(authorised)::BIGINT AS authorised, sum(unauthorised)::BIGINT AS unauthorised
FROM (
    SELECT p.period_id, a.child_id, a.possible, a.present, a.authorised, a.unauthorised
    FROM periods p
    JOIN int_attendance_segments a ON a.start_date >= p.start_date AND a.end_date <= p.end_date
    UNION ALL
    SELECT p.period_id, s.child_id,
           s.sessions_possible, s.sessions_present, s.sessions_authorised, s.sessions_unauthorised
    FROM periods p
    JOIN int_attendance_summary_current s
      ON s.period_start + CAST((s.period_end - s.period_start) // 2 AS INTEGER) BETWEEN p.start_date AND p.end_date
     AND (s.period_end - s.period_start) <= (p.end_date - p.start_date) + 14
)
GROUP BY period_id, child_id;
