-- The rows of int_cells the PEP measures read: cohort CLA in term periods (a tenth or so of
-- int_cells). The PEP measures keep their own filters; reading this subset instead of every
-- cell row only makes their joins smaller.
-- A view, not a table: copying the rows cost more CPU (~60 ms on the benchmark lake) than
-- the PEP measures spend filtering int_cells through it.
CREATE VIEW int_pep_cells AS
SELECT c.period_id, c.cohort_code, c.breakdown, c.breakdown_value,
       c.child_key, c.ncy, c.school_age, c.cell_id
FROM int_cells c
JOIN periods p ON p.period_id = c.period_id
WHERE p.is_term AND c.cohort_code = 'CLA';
