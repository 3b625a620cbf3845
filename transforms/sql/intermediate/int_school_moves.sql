-- School moves (docs/measures.md, Education stability): a child's school placements (provision SCHOOL or AP) ordered
-- by start date, then setting URN; a move happens at each school placement whose setting URN
-- differs from the previous school placement's, dated by the new placement's start date. The
-- first school placement is not a move. Overlaps are not looked at (an AP placement starting
-- while the school placement is still open, a dual registration, is a move when its URN
-- differs). midyear: the move is not dated 1 August to 30 September (the DfE's definition).
CREATE TABLE int_school_moves AS
SELECT child_id, start_date AS move_date, month(start_date) NOT IN (8, 9) AS midyear
FROM (
    SELECT child_id, setting_urn, start_date,
           lag(setting_urn) OVER w AS previous_urn,
           row_number() OVER w AS n
    FROM stg_education_placements
    WHERE provision IN ('SCHOOL', 'AP')
    WINDOW w AS (PARTITION BY child_id ORDER BY start_date, setting_urn)
)
WHERE n > 1 AND setting_urn IS DISTINCT FROM previous_urn;
