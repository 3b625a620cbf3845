-- Breakdown cells: one row per period, published cohort, breakdown cell and member child,
-- plus one scaffold row (child_key NULL) per period and published cohort on the Total
-- breakdown, so every measure has a Total row even for an empty cohort. Measures filter the
-- member rows to their population (keeping the scaffold rows) and aggregate by cell.
-- Breakdowns (docs/measures.md): Total, NCY, Key stage, Sex, Ethnicity, SEN provision, School phase,
-- School location, Placement type (CLA and CLA12 only).
-- Only the members are stored (int_cell_members: one row per period, published cohort and
-- member child, with its breakdown attributes); int_cells is a view that expands each member
-- into its breakdown cells as a reader scans it, so the child x breakdown rows (nine or ten
-- per member: 31 million nationally, several GB) are never held in memory, only each
-- reader's per-cell sums. breakdown is an ENUM (breakdown_name), the cohort is its code, and
-- cell_id, the integer measures group by, is a 64-bit hash of (period_id, cohort_code,
-- breakdown, breakdown_value); int_cell_labels holds each cell's labels and fails the run if
-- two cells ever shared a cell_id. The member is its child_key (sources.sql), the integer the
-- per-child models are joined on (int_child_key_check fails the run if two children ever
-- shared one): an integer column costs a tenth of the child_id text to write, and joins faster.
CREATE TYPE breakdown_name AS ENUM ('Total', 'NCY', 'Key stage', 'Sex', 'Ethnicity', 'SEN provision',
    'School phase', 'School location', 'Placement type');
-- The members of the breakdown cells: one row per period, published cohort and member child,
-- with the child's breakdown values and its cell_id on each breakdown (hashed once here rather
-- than by every reader of int_cells; NULL when the value is NULL: no cell). Models that join
-- per-child figures join them to these rows once, then count each member in each of its
-- cells (unnest of the nine cell_id columns, NULLs dropped), plus int_cells' scaffold rows.
CREATE TABLE int_cell_members AS
WITH members AS (
    SELECT m.period_id, m.cohort_code, child_key(a.child_id) AS child_key, a.ncy, a.school_age,
           coalesce(a.ncy::VARCHAR, 'Unknown') AS ncy_value, a.key_stage, a.sex, a.ethnicity_major,
           a.sen_provision, a.school_phase, a.school_location,
           CASE WHEN m.cohort_code IN ('CLA', 'CLA12') THEN a.placement_type END AS placement_type
    FROM int_cohort_members m
    JOIN int_child_attributes a USING (period_id, child_id)
    WHERE m.published
)
SELECT *,
       hash(period_id, cohort_code, 'Total'::breakdown_name, 'Total') AS total_cell,
       hash(period_id, cohort_code, 'NCY'::breakdown_name, ncy_value) AS ncy_cell,
       CASE WHEN key_stage IS NOT NULL THEN hash(period_id, cohort_code, 'Key stage'::breakdown_name, key_stage) END AS key_stage_cell,
       CASE WHEN sex IS NOT NULL THEN hash(period_id, cohort_code, 'Sex'::breakdown_name, sex) END AS sex_cell,
       CASE WHEN ethnicity_major IS NOT NULL THEN hash(period_id, cohort_code, 'Ethnicity'::breakdown_name, ethnicity_major) END AS ethnicity_cell,
       CASE WHEN sen_provision IS NOT NULL THEN hash(period_id, cohort_code, 'SEN provision'::breakdown_name, sen_provision) END AS sen_cell,
       CASE WHEN school_phase IS NOT NULL THEN hash(period_id, cohort_code, 'School phase'::breakdown_name, school_phase) END AS school_phase_cell,
       CASE WHEN school_location IS NOT NULL THEN hash(period_id, cohort_code, 'School location'::breakdown_name, school_location) END AS school_location_cell,
       CASE WHEN placement_type IS NOT NULL THEN hash(period_id, cohort_code, 'Placement type'::breakdown_name, placement_type) END AS placement_cell
FROM members;
-- Breakdown cells: one row per period, published cohort, breakdown cell and member child,
-- plus the scaffold rows; a view over int_cell_members, expanded as each reader scans it. One
-- SELECT per breakdown over the members (a scan of a few tens of thousands of rows each),
-- rather than unnesting a list per member, which DuckDB plans as a correlated join; the
-- breakdowns whose value can be NULL drop those members.
CREATE VIEW int_cells AS
SELECT p.period_id, l.cohort_code, 'Total'::breakdown_name AS breakdown, 'Total' AS breakdown_value,
       NULL::UBIGINT AS child_key, NULL::INTEGER AS ncy, NULL::BOOLEAN AS school_age,
       hash(p.period_id, l.cohort_code, 'Total'::breakdown_name, 'Total') AS cell_id
FROM periods p CROSS JOIN int_cohort_labels l
WHERE l.published
UNION ALL
SELECT period_id, cohort_code, 'Total'::breakdown_name, 'Total', child_key, ncy, school_age, total_cell FROM int_cell_members
UNION ALL
SELECT period_id, cohort_code, 'NCY'::breakdown_name, ncy_value, child_key, ncy, school_age, ncy_cell FROM int_cell_members
UNION ALL
SELECT period_id, cohort_code, 'Key stage'::breakdown_name, key_stage, child_key, ncy, school_age, key_stage_cell FROM int_cell_members
WHERE key_stage IS NOT NULL
UNION ALL
SELECT period_id, cohort_code, 'Sex'::breakdown_name, sex, child_key, ncy, school_age, sex_cell FROM int_cell_members
WHERE sex IS NOT NULL
UNION ALL
SELECT period_id, cohort_code, 'Ethnicity'::breakdown_name, ethnicity_major, child_key, ncy, school_age, ethnicity_cell FROM int_cell_members
WHERE ethnicity_major IS NOT NULL
UNION ALL
SELECT period_id, cohort_code, 'SEN provision'::breakdown_name, sen_provision, child_key, ncy, school_age, sen_cell FROM int_cell_members
WHERE sen_provision IS NOT NULL
UNION ALL
SELECT period_id, cohort_code, 'School phase'::breakdown_name, school_phase, child_key, ncy, school_age, school_phase_cell FROM int_cell_members
WHERE school_phase IS NOT NULL
UNION ALL
SELECT period_id, cohort_code, 'School location'::breakdown_name, school_location, child_key, ncy, school_age, school_location_cell FROM int_cell_members
WHERE school_location IS NOT NULL
UNION ALL
SELECT period_id, cohort_code, 'Placement type'::breakdown_name, placement_type, child_key, ncy, school_age, placement_cell FROM int_cell_members
WHERE placement_type IS NOT NULL;
