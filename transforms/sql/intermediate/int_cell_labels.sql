-- The labels of each breakdown cell of int_cells (one row per cell_id): the cohort as
-- published ("<label> at <reference date>"), the breakdown and its value. The check after it
-- stops the run if two different cells had the same cell_id (a 64-bit hash collision).
CREATE TABLE int_cell_labels AS
SELECT c.cell_id, c.period_id, l.label || ' at ' || p.ref_label AS cohort,
       c.breakdown::VARCHAR AS breakdown, c.breakdown_value
FROM (SELECT DISTINCT cell_id, period_id, cohort_code, breakdown, breakdown_value FROM int_cells) c
JOIN periods p ON p.period_id = c.period_id
JOIN int_cohort_labels l ON l.cohort_code = c.cohort_code;
SELECT CASE WHEN count(*) <> count(DISTINCT cell_id) THEN error('transforms: two breakdown cells share a cell_id') END
FROM int_cell_labels;
