-- Attendance marks: the current version of each (child, school, date, session), with the
-- domain-reference 1.2 implementation rule applied to the (normalised, 2024-set) code:
-- possible = every code except X, Q, Y1-Y7, Z, #, D and '-';
-- present = / \ L K V P W B; authorised = C C1 C2 E I J1 M R S T; unauthorised = G N O U.
CREATE VIEW stg_attendance_sessions AS
SELECT child_id, school_urn, date, session, code,
       (code NOT IN ('X', 'Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'Z', '#', 'D', '-')) AS is_possible,
       (code IN ('/', '\', 'L', 'K', 'V', 'P', 'W', 'B')) AS is_present,
       (code IN ('C', 'C1', 'C2', 'E', 'I', 'J1', 'M', 'R', 'S', 'T')) AS is_authorised,
       (code IN ('G', 'N', 'O', 'U')) AS is_unauthorised
FROM src_attendance_sessions
QUALIFY row_number() OVER (PARTITION BY child_id, school_urn, date, session ORDER BY batch_id DESC, source_line DESC) = 1;
