-- The rows of int_cells the attainment measures read: academic-year periods (not terms, not
-- years to date). The measures keep their own filters; reading this subset instead of every
-- cell row only makes their joins smaller. A view: it has two readers (int_attainment_cells
-- and missing_results), which filter it further.
CREATE VIEW int_year_cells AS
SELECT c.period_id, c.cohort_code, c.breakdown, c.breakdown_value,
       c.child_key, c.ncy, c.school_age, c.cell_id
FROM int_cells c
JOIN periods p ON p.period_id = c.period_id
WHERE NOT p.is_term AND NOT p.is_ytd;
