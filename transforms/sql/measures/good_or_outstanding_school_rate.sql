-- measure: good_or_outstanding_school_rate
-- kind: rate
-- sources: cohort
-- definition: school-age cohort children whose school (roster URN) is rated Outstanding or Good in the GIAS extract / school-age cohort children whose school has an Ofsted rating in the extract x 100.
-- source: roster school_urn, schools (GIAS OfstedRating).
-- grain: term period x cohort at term end x breakdown cell; school-age children (NCY 0-11).
-- Counts per cell from int_term_cell_counts.
SELECT a.cell_id, 'good_or_outstanding_school_rate' AS measure,
       a.good_or_outstanding::DOUBLE AS numerator, a.rated::DOUBLE AS denominator
FROM int_term_cell_counts a
WHERE (a.scaffold OR a.school_age > 0);
