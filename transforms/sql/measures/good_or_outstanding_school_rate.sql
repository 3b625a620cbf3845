-- measure: good_or_outstanding_school_rate
-- kind: rate
-- sources: cohort
-- definition: school-age cohort children whose school (roster URN) is rated Outstanding or Good in the GIAS extract / school-age cohort children whose school has an Ofsted rating in the extract x 100.
-- source: roster school_urn, schools (GIAS OfstedRating).
-- grain: term period x cohort at term end x breakdown cell; school-age children (NCY 0-11).
SELECT l.period_id, l.cohort, l.breakdown, l.breakdown_value, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'good_or_outstanding_school_rate' AS measure,
           count(c.child_id) FILTER (WHERE a.good_or_outstanding)::DOUBLE AS numerator,
           count(c.child_id) FILTER (WHERE a.rated)::DOUBLE AS denominator
    FROM int_term_cells c
    JOIN periods p ON p.period_id = c.period_id
    -- The rating tests once per child, not once per cell the child is in.
    LEFT JOIN (
        SELECT period_id, child_id,
               lower(ofsted_rating) IN ('outstanding', 'good') AS good_or_outstanding,
               nullif(trim(ofsted_rating), '') IS NOT NULL AS rated
        FROM int_child_attributes
    ) a ON a.period_id = c.period_id AND a.child_id = c.child_id
    WHERE p.is_term AND (c.child_id IS NULL OR c.school_age)
    GROUP BY c.period_id, c.cell_id
) m
JOIN int_cell_labels l ON l.cell_id = m.cell_id;
