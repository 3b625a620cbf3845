-- Breakdown cells: one row per period, published cohort, breakdown cell and member child,
-- plus one scaffold row (child_id NULL) per period and published cohort on the Total
-- breakdown, so every measure has a Total row even for an empty cohort. Measures filter the
-- member rows to their population (keeping the scaffold rows) and aggregate by cell.
-- Breakdowns (outputs.md): Total, NCY, Key stage, Sex, Ethnicity, SEN provision, School phase,
-- School location, Placement type (CLA and CLA12 only).
-- cell_id numbers the cells (period, cohort, breakdown, breakdown value): measures group by it,
-- an integer, and take the cell's labels from int_cell_labels at the end.
CREATE TABLE int_cells AS
WITH members AS (
    SELECT m.period_id, m.cohort_code, m.cohort, m.cohort_rank, a.child_id, a.ncy, a.key_stage,
           a.school_age, a.sex, a.ethnicity_major, a.sen_provision, a.school_phase,
           a.school_location, a.placement_type
    FROM int_cohort_members m
    JOIN int_child_attributes a USING (period_id, child_id)
    WHERE m.published
),
cells AS (
    SELECT p.period_id, l.cohort_code, l.label || ' at ' || p.ref_label AS cohort, l.cohort_rank,
           'Total' AS breakdown, 'Total' AS breakdown_value,
           NULL::VARCHAR AS child_id, NULL::INTEGER AS ncy, NULL::BOOLEAN AS school_age
    FROM periods p CROSS JOIN int_cohort_labels l
    WHERE l.published
    UNION ALL
    SELECT period_id, cohort_code, cohort, cohort_rank, b.breakdown, b.breakdown_value, child_id, ncy, school_age
    FROM members,
         unnest([
             {'breakdown': 'Total', 'breakdown_value': 'Total'},
             {'breakdown': 'NCY', 'breakdown_value': coalesce(ncy::VARCHAR, 'Unknown')},
             {'breakdown': 'Key stage', 'breakdown_value': key_stage},
             {'breakdown': 'Sex', 'breakdown_value': sex},
             {'breakdown': 'Ethnicity', 'breakdown_value': ethnicity_major},
             {'breakdown': 'SEN provision', 'breakdown_value': sen_provision},
             {'breakdown': 'School phase', 'breakdown_value': school_phase},
             {'breakdown': 'School location', 'breakdown_value': school_location},
             {'breakdown': 'Placement type', 'breakdown_value': CASE WHEN cohort_code IN ('CLA', 'CLA12') THEN placement_type END}
         ]) AS u(b)
    WHERE b.breakdown_value IS NOT NULL
),
-- Numbered over the few thousand distinct cells, then joined back (cheaper than ranking every
-- member row by its label strings).
ids AS (
    SELECT period_id, cohort, breakdown, breakdown_value,
           row_number() OVER (ORDER BY period_id, cohort, breakdown, breakdown_value)::INTEGER AS cell_id
    FROM (SELECT DISTINCT period_id, cohort, breakdown, breakdown_value FROM cells)
)
SELECT c.period_id, c.cohort_code, c.cohort, c.cohort_rank, c.breakdown, c.breakdown_value, c.child_id, c.ncy,
       c.school_age, i.cell_id
FROM cells c
JOIN ids i USING (period_id, cohort, breakdown, breakdown_value);
