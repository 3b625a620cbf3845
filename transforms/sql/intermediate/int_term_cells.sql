-- The rows of int_cells of term periods: what the term-only profile, data-quality and termly
-- judgement measures read. They keep their own filters; reading this subset instead of every
-- cell row only makes their joins smaller.
-- A view, not a table: copying two thirds of int_cells cost more CPU (~120 ms on the
-- benchmark lake) than the six measures spend filtering int_cells through it.
CREATE VIEW int_term_cells AS
SELECT c.period_id, c.cohort_code, c.breakdown, c.breakdown_value,
       c.child_key, c.ncy, c.school_age, c.cell_id
FROM int_cells c
JOIN periods p ON p.period_id = c.period_id
WHERE p.is_term;
