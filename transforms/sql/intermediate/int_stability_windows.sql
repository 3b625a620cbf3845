-- The window of the education stability measures of each period (docs/measures.md, Education stability), as
-- stabilityWindow computes it for the stability_school_days parameter: a term itself; an academic year
-- the DfE's year, 1 April before its reference date (31 March) to the reference date (the DfE
-- publishes it as reporting year Y+1: 2024-25 <-> 2025). Years to date have none.
CREATE TABLE int_stability_windows AS
SELECT period_id, ref_date,
       CASE WHEN is_term THEN start_date ELSE make_date(year(ref_date) - 1, 4, 1) END AS window_start,
       CASE WHEN is_term THEN end_date ELSE ref_date END AS window_end
FROM periods
WHERE NOT is_ytd;
