-- Attendance marks: the current version of each (child, school, date, session) (latest batch,
-- then latest line), materialised once because it is the largest dataset. The domain-reference
-- 1.2 implementation rule is applied to the (normalised, 2024-set) code:
-- possible = every code except X, Q, Y1-Y7, Z, #, D and '-';
-- present = / \ L K V P W B; authorised = C C1 C2 E I J1 M R S T; unauthorised = G N O U.
CREATE TABLE stg_attendance_sessions AS
WITH current AS (
    SELECT child_id, school_urn, date, session,
           arg_max(code, batch_id || '#' || lpad(source_line::VARCHAR, 12, '0')) AS code
    FROM src_attendance_sessions
    GROUP BY child_id, school_urn, date, session
)
SELECT child_id, school_urn, date, session, code,
       (code NOT IN ('X', 'Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'Z', '#', 'D', '-')) AS is_possible,
       (code IN ('/', '\', 'L', 'K', 'V', 'P', 'W', 'B')) AS is_present,
       (code IN ('C', 'C1', 'C2', 'E', 'I', 'J1', 'M', 'R', 'S', 'T')) AS is_authorised,
       (code IN ('G', 'N', 'O', 'U')) AS is_unauthorised
FROM current;
