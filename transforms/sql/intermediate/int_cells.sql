-- Breakdown cells: one row per period, published cohort, breakdown cell and member child,
-- plus one scaffold row (child_key NULL) per period and published cohort on the Total
-- breakdown, so every measure has a Total row even for an empty cohort. Measures filter the
-- member rows to their population (keeping the scaffold rows) and aggregate by cell.
-- Breakdowns (docs/measures.md): Total, NCY, Key stage, Sex, Ethnicity, SEN provision, School phase,
-- School location, Placement type (CLA and CLA12 only).
-- The table is kept narrow (it has a row per child and cell: about 210,000 for 2,000 children
-- over nine periods): breakdown is an ENUM (breakdown_name), the cohort is its code, and
-- cell_id, the integer measures group by, is a 64-bit hash of (period_id, cohort_code,
-- breakdown, breakdown_value); int_cell_labels holds each cell's labels and fails the run if
-- two cells ever shared a cell_id. The member is its child_key (sources.sql), the integer the
-- per-child models are joined on (int_child_key_check fails the run if two children ever
-- shared one): an integer column costs a tenth of the child_id text to write, and joins faster.
CREATE TYPE breakdown_name AS ENUM ('Total', 'NCY', 'Key stage', 'Sex', 'Ethnicity', 'SEN provision',
    'School phase', 'School location', 'Placement type');
CREATE TABLE int_cells AS
WITH members AS MATERIALIZED (
    SELECT m.period_id, m.cohort_code, child_key(a.child_id) AS child_key, a.ncy, a.key_stage,
           a.school_age, a.sex, a.ethnicity_major, a.sen_provision, a.school_phase,
           a.school_location, a.placement_type
    FROM int_cohort_members m
    JOIN int_child_attributes a USING (period_id, child_id)
    WHERE m.published
),
-- One SELECT per breakdown over the members (a scan of a few tens of thousands of rows each),
-- rather than unnesting a list per member, which DuckDB plans as a correlated join.
cells AS (
    SELECT p.period_id, l.cohort_code, 'Total'::breakdown_name AS breakdown, 'Total' AS breakdown_value,
           NULL::UBIGINT AS child_key, NULL::INTEGER AS ncy, NULL::BOOLEAN AS school_age
    FROM periods p CROSS JOIN int_cohort_labels l
    WHERE l.published
    UNION ALL
    SELECT period_id, cohort_code, 'Total'::breakdown_name, 'Total', child_key, ncy, school_age FROM members
    UNION ALL
    SELECT period_id, cohort_code, 'NCY'::breakdown_name, coalesce(ncy::VARCHAR, 'Unknown'), child_key, ncy, school_age FROM members
    UNION ALL
    SELECT period_id, cohort_code, 'Key stage'::breakdown_name, key_stage, child_key, ncy, school_age FROM members
    UNION ALL
    SELECT period_id, cohort_code, 'Sex'::breakdown_name, sex, child_key, ncy, school_age FROM members
    UNION ALL
    SELECT period_id, cohort_code, 'Ethnicity'::breakdown_name, ethnicity_major, child_key, ncy, school_age FROM members
    UNION ALL
    SELECT period_id, cohort_code, 'SEN provision'::breakdown_name, sen_provision, child_key, ncy, school_age FROM members
    UNION ALL
    SELECT period_id, cohort_code, 'School phase'::breakdown_name, school_phase, child_key, ncy, school_age FROM members
    UNION ALL
    SELECT period_id, cohort_code, 'School location'::breakdown_name, school_location, child_key, ncy, school_age FROM members
    UNION ALL
    SELECT period_id, cohort_code, 'Placement type'::breakdown_name, placement_type, child_key, ncy, school_age FROM members
    WHERE cohort_code IN ('CLA', 'CLA12')
)
SELECT period_id, cohort_code, breakdown, breakdown_value, child_key, ncy, school_age,
       hash(period_id, cohort_code, breakdown, breakdown_value) AS cell_id
FROM cells
WHERE breakdown_value IS NOT NULL;
