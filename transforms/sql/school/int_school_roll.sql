-- The children on each school's roll in each period: a child is on the roll of school S in
-- period P when, in P, they have an attendance mark at S (a session dated in P), an attendance
-- summary at S whose span overlaps P, or a suspension or exclusion from S starting in P; or,
-- when they have no attendance mark or summary at any school in P, when the roster (the
-- canonical children file's school_urn: it has no dates) names S. source says which.
CREATE VIEW int_school_roll AS
WITH attended AS (
    SELECT p.period_id, a.child_id, a.school_urn, 'attendance' AS source
    FROM periods p
    JOIN int_attendance_segments a ON a.start_date >= p.start_date AND a.end_date <= p.end_date
    UNION
    SELECT p.period_id, s.child_id, s.school_urn, 'attendance'
    FROM periods p
    JOIN stg_attendance_summary s ON s.period_start <= p.end_date AND s.period_end >= p.start_date
),
excluded AS (
    SELECT p.period_id, e.child_id, e.school_urn, 'exclusion' AS source
    FROM periods p
    JOIN stg_exclusions e ON e.start_date BETWEEN p.start_date AND p.end_date
),
rostered AS (
    SELECT p.period_id, r.child_id, r.school_urn, 'roster' AS source
    FROM periods p
    CROSS JOIN int_roster r
    WHERE r.school_urn IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM attended a WHERE a.period_id = p.period_id AND a.child_id = r.child_id)
)
SELECT period_id, child_id, school_urn, source FROM attended WHERE child_id IS NOT NULL AND school_urn IS NOT NULL
UNION
SELECT period_id, child_id, school_urn, source FROM excluded WHERE child_id IS NOT NULL AND school_urn IS NOT NULL
UNION
SELECT period_id, child_id, school_urn, source FROM rostered;
