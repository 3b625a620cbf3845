-- Children looked after at each period's reference date D, with their current period of care
-- (start <= D, open at D) and the end of their previous period of care (NULL when none).
CREATE TABLE int_cla_at_reference AS
WITH poc AS (
    SELECT child_id, start_date, end_date,
           lag(end_date) OVER (PARTITION BY child_id ORDER BY start_date) AS previous_end
    FROM int_periods_of_care
)
SELECT p.period_id, poc.child_id, poc.start_date AS care_start, poc.end_date AS care_end,
       poc.previous_end
FROM periods p
JOIN poc ON poc.start_date <= p.ref_date AND (poc.end_date IS NULL OR poc.end_date > p.ref_date);
