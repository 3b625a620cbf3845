-- measure: school_move_after_placement_move_rate
-- kind: rate
-- sources: education, cohort
-- definition: children with a placement move (SSDA903 episode with RNE P, T, B or U, PLACE not T0-T4, dated DECOM) in the window followed by a school move 0 to 30 days after it, both in the window / school-age cohort children with at least one placement move in the window x 100.
-- source: SSDA903 episodes (int_placement_moves), education_placements (int_school_moves).
-- grain: term and academic-year periods x cohort CLA at the reference date x breakdown cell; school-age children (NCY 0-11, their NCY in the report's academic year). Window: the term; for an academic year 1 April before the reference date to 31 March (the DfE's year).
SELECT m.cell_id, m.measure, m.numerator, m.denominator
FROM (
    SELECT c.period_id, c.cell_id, 'school_move_after_placement_move_rate' AS measure,
           c.school_after_placement::DOUBLE AS numerator, c.placement_moved::DOUBLE AS denominator
    FROM int_stability_cells c
    WHERE c.scaffold OR c.school_age > 0
) m;
