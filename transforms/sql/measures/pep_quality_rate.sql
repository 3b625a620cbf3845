-- measure: pep_quality_rate
-- kind: rate
-- sources: peps
-- definition: one measure per rating of the configured quality scale, named pep_quality_<rating>_rate (pep_quality_red_rate, ...): done PEPs rated <rating> / done PEPs x 100.
-- source: peps (done PEPs of eligible children for the academic year and term), pep_quality_scale.
-- grain: term period x cohort CLA at term end x breakdown cell x rating; counts PEPs, not children.
-- Done PEPs are counted per child first (a PEP belongs to one child, and a child is in a
-- cell once), then summed per cell.
WITH per_child AS (
    SELECT pc.period_id, pc.child_id, q.rating,
           count(DISTINCT e.pep_id) FILTER (WHERE upper(e.quality) = q.rating) AS rated,
           count(DISTINCT e.pep_id) AS done
    FROM int_pep_child pc
    JOIN periods p ON p.period_id = pc.period_id
    CROSS JOIN pep_quality_scale q
    LEFT JOIN stg_peps e
           ON e.child_id = pc.child_id AND e.academic_year = p.academic_year AND e.term = p.term AND e.done
    WHERE p.is_term
    GROUP BY pc.period_id, pc.child_id, q.rating
)
SELECT l.period_id, l.cohort, l.breakdown, l.breakdown_value, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'pep_quality_' || lower(q.rating) || '_rate' AS measure,
           coalesce(sum(pq.rated), 0)::DOUBLE AS numerator,
           coalesce(sum(pq.done), 0)::DOUBLE AS denominator
    FROM int_pep_cells c
    CROSS JOIN pep_quality_scale q
    JOIN periods p ON p.period_id = c.period_id
    LEFT JOIN per_child pq ON pq.period_id = c.period_id AND pq.child_id = c.child_id AND pq.rating = q.rating
    WHERE p.is_term AND c.cohort_code = 'CLA' AND (c.child_id IS NULL OR pq.child_id IS NOT NULL)
    GROUP BY c.period_id, c.cell_id, q.rating
) m
JOIN int_cell_labels l ON l.cell_id = m.cell_id
;
