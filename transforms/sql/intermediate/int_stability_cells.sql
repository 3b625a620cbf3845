-- Per breakdown cell of the CLA cohort (int_cells; periods other than years to date), the
-- counts the education stability and post-16 measures read, in one pass. scaffold: the cell
-- holds its scaffold row (the cohort's Total, there even when empty); a school-age measure
-- has a row for a cell with its scaffold or a school-age member, a post-16 measure for a
-- cell with its scaffold or a member in NCY 12-13. Numerators count only children of their
-- denominator.
CREATE TABLE int_stability_cells AS
SELECT c.period_id, c.cell_id,
       bool_or(c.child_key IS NULL) AS scaffold,
       count(s.child_key) FILTER (WHERE s.school_age) AS school_age,
       count(s.child_key) FILTER (WHERE s.school_age AND s.school_place) AS school_place,
       count(s.child_key) FILTER (WHERE s.school_age AND s.school_place AND s.school_moves > 0) AS moved,
       count(s.child_key) FILTER (WHERE s.school_age AND s.school_place AND s.midyear_moves > 0) AS midyear_moved,
       coalesce(sum(s.no_place_days) FILTER (WHERE s.school_age), 0)::BIGINT AS no_place_days,
       count(s.child_key) FILTER (WHERE s.school_age AND s.no_place_days > 0) AS no_place_children,
       count(s.child_key) FILTER (WHERE s.school_age AND s.hours_known) AS hours_known,
       count(s.child_key) FILTER (WHERE s.school_age AND s.hours_known AND s.part_time) AS part_time,
       count(s.child_key) FILTER (WHERE s.school_age AND s.placement_moved) AS placement_moved,
       count(s.child_key) FILTER (WHERE s.school_age AND s.placement_moved AND s.school_after_placement) AS school_after_placement,
       count(s.child_key) FILTER (WHERE s.post16) AS post16,
       count(s.child_key) FILTER (WHERE s.post16 AND s.post16_eet) AS post16_eet,
       count(s.child_key) FILTER (WHERE s.post16 AND s.post16_neet) AS post16_neet
FROM int_cells c
JOIN periods p ON p.period_id = c.period_id
LEFT JOIN int_stability_child s ON s.period_id = c.period_id AND s.child_key = c.child_key
WHERE c.cohort_code = 'CLA' AND NOT p.is_ytd
GROUP BY c.period_id, c.cell_id;
