-- measure: pep_quality_rate
-- kind: rate
-- sources: peps
-- definition: one measure per rating of the configured quality scale, named pep_quality_<rating>_rate (pep_quality_red_rate, ...): done PEPs rated <rating> / done PEPs x 100.
-- source: peps (done PEPs of eligible children for the academic year and term), pep_quality_scale.
-- grain: term period x cohort CLA at term end x breakdown cell x rating; counts PEPs, not children.
-- Done PEPs are counted per child first (a PEP belongs to one child, and a child is in a
-- cell once), then summed per cell.
-- The denominator per cell is the sum of the members' done PEPs (int_pep_cell_counts); the
-- numerators add up only the children with a PEP rated on the scale (few rows), so the cell
-- rows are not multiplied by the number of ratings.
-- (rated children are PEP-eligible: they come from int_pep_done_child, one row per period and
-- child of int_pep_child; a pep_id is one record of stg_peps, so count(pep_id) per child and
-- rating is the distinct count)
WITH members AS (
    SELECT c.period_id, c.cell_id, c.child_key
    FROM int_pep_cells c
    WHERE c.child_key IS NOT NULL
),
rated AS (
    SELECT pc.period_id, pc.child_key, q.rating, count(e.pep_id) AS rated
    FROM int_pep_done_child pc
    JOIN periods p ON p.period_id = pc.period_id
    JOIN stg_peps e
      ON e.child_id = pc.child_id AND e.academic_year = p.academic_year AND e.term = p.term AND e.done
    JOIN pep_quality_scale q ON q.rating = upper(e.quality)
    WHERE p.is_term
    GROUP BY pc.period_id, pc.child_key, q.rating
),
cell_rated AS (
    SELECT m.period_id, m.cell_id, r.rating, sum(r.rated) AS rated
    FROM members m
    JOIN rated r ON r.period_id = m.period_id AND r.child_key = m.child_key
    GROUP BY m.period_id, m.cell_id, r.rating
)
SELECT d.cell_id,
       'pep_quality_' || lower(q.rating) || '_rate' AS measure,
       coalesce(r.rated, 0)::DOUBLE AS numerator, d.done::DOUBLE AS denominator,
       d.with_done_pep::DOUBLE AS contributors
FROM int_pep_cell_counts d
CROSS JOIN pep_quality_scale q
LEFT JOIN cell_rated r ON r.period_id = d.period_id AND r.cell_id = d.cell_id AND r.rating = q.rating;
