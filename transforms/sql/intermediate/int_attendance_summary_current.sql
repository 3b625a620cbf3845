-- Attendance summary rows still counted: a summary row is superseded (not counted) when the
-- same child has session marks at the same school in the term of the summary's period_start
-- (the configured term containing period_start, or the first term starting after it when
-- period_start falls in a holiday). A term may be cut into several segments (where a half
-- term or custom period starts or ends), so terms are told by academic year and name.
CREATE TABLE int_attendance_summary_current AS
WITH terms AS (
    SELECT academic_year, term, min(start_date) AS start_date, max(end_date) AS end_date
    FROM segments
    WHERE term <> ''
    GROUP BY academic_year, term
),
summary_term AS (
    SELECT s.child_id, s.school_urn, s.period_start, s.period_end, s.sessions_possible,
           s.sessions_present, s.sessions_authorised, s.sessions_unauthorised,
           arg_min(t.academic_year, t.start_date) AS term_year, arg_min(t.term, t.start_date) AS term
    FROM stg_attendance_summary s
    LEFT JOIN terms t ON t.end_date >= s.period_start
    GROUP BY ALL
)
SELECT st.child_id, st.school_urn, st.period_start, st.period_end, st.sessions_possible,
       st.sessions_present, st.sessions_authorised, st.sessions_unauthorised
FROM summary_term st
WHERE NOT EXISTS (
    SELECT 1 FROM int_attendance_segments a
    WHERE a.child_id = st.child_id AND a.school_urn = st.school_urn
      AND a.academic_year = st.term_year AND a.term = st.term
);
