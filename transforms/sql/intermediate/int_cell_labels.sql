-- The labels of each breakdown cell of int_cells (one row per cell_id).
CREATE TABLE int_cell_labels AS
SELECT DISTINCT cell_id, period_id, cohort, breakdown, breakdown_value
FROM int_cells;
