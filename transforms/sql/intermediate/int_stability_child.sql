-- Per period (not years to date) and child looked after at its reference date D, of school
-- age (NCY 0-11) or in NCY 12-13, the facts behind the education stability and post-16
-- measures (docs/measures.md, Education stability; NCY for the whole window is the child's NCY in the report's
-- academic year). Education placements are open on day d when start_date <= d and (end_date
-- IS NULL OR end_date > d); an education place is a placement of provision other than NONE
-- and NEET (EHE counts); a school placement is SCHOOL or AP.
--   school_place   a school placement open on at least one day of the window;
--   school_moves, midyear_moves   school moves (int_school_moves) dated in the window;
--   no_place_days  school days of the window (stability_school_days) on which the child was in a period
--                  of care and had no education place open (no rows at all: no place);
--   hours_known, part_time   the education place open at D with the latest start date (ties:
--                  the larger hours_per_week, a given number above none) gives its hours;
--                  they are below education_settings.full_time_hours;
--   placement_moved   a placement move (int_placement_moves) dated in the window;
--   school_after_placement   one of them followed by a school move 0 to 30 days after it,
--                  the school move in the window too;
--   post16_eet     NCY 12-13 and any placement open at D of provision SCHOOL, AP, COLLEGE,
--                  APPRENTICESHIP or EMPLOYMENT_TRAINING;
--   post16_neet    NCY 12-13, an open NEET or NONE placement at D and no open one of those.
CREATE TABLE int_stability_child AS
WITH kids AS (
    SELECT m.period_id, m.child_id, a.school_age, coalesce(a.ncy BETWEEN 12 AND 13, false) AS post16,
           w.window_start, w.window_end, w.ref_date
    FROM int_cohort_members m
    JOIN int_child_attributes a USING (period_id, child_id)
    JOIN int_stability_windows w USING (period_id)
    WHERE m.cohort_code = 'CLA' AND (a.school_age OR a.ncy BETWEEN 12 AND 13)
),
-- Every fact about the education placements of each child: one hash join on child_id and one
-- aggregate, not three joins of kids and the placements (one per fact), which cost about a
-- fifth more at LA scale. (An inner join and an aggregate, not a SEMI JOIN: DuckDB plans a semi
-- join with range conditions as a nested loop over every pair, hours nationally.)
--   school_place  a school placement open on a day of the window;
--   place_at_d    of the education places open at D (school age), the latest start, then a
--                 given number of hours above none, then the most hours: the struct's order
--                 (a NULL hours is false in k, so never above a given one); h is its hours;
--   eet, neet_row post16 children, any placement open at D of those provisions.
edu AS (
    SELECT k.period_id, k.child_id,
           bool_or(e.provision IN ('SCHOOL', 'AP') AND e.start_date <= k.window_end
                   AND (e.end_date IS NULL OR (e.end_date > e.start_date AND e.end_date > k.window_start))) AS school_place,
           max({'s': e.start_date, 'k': e.hours_per_week IS NOT NULL, 'h': e.hours_per_week}) FILTER (
               WHERE k.school_age AND e.provision NOT IN ('NONE', 'NEET')
                 AND e.start_date <= k.ref_date AND (e.end_date IS NULL OR e.end_date > k.ref_date)) AS place_at_d,
           bool_or(e.provision IN ('SCHOOL', 'AP', 'COLLEGE', 'APPRENTICESHIP', 'EMPLOYMENT_TRAINING')) FILTER (
               WHERE k.post16 AND e.start_date <= k.ref_date AND (e.end_date IS NULL OR e.end_date > k.ref_date)) AS eet,
           bool_or(e.provision IN ('NEET', 'NONE')) FILTER (
               WHERE k.post16 AND e.start_date <= k.ref_date AND (e.end_date IS NULL OR e.end_date > k.ref_date)) AS neet_row
    FROM kids k
    JOIN stg_education_placements e ON e.child_id = k.child_id
    GROUP BY k.period_id, k.child_id
),
moves AS (
    SELECT k.period_id, k.child_id, count(*) AS school_moves, count(*) FILTER (WHERE s.midyear) AS midyear_moves
    FROM kids k
    JOIN int_school_moves s ON s.child_id = k.child_id AND s.move_date BETWEEN k.window_start AND k.window_end
    GROUP BY k.period_id, k.child_id
),
-- Days without a place, by intervals rather than day by day: the education places of each
-- child merged into islands (touching or overlapping places are one), the gaps between them
-- (a child with no place has one gap, all time), intersected with each period of care inside
-- the window, and the school days of those holes counted.
places AS (
    SELECT child_id, start_date, coalesce(end_date, DATE '9999-12-31') AS end_date,
           max(coalesce(end_date, DATE '9999-12-31')) OVER (
               PARTITION BY child_id ORDER BY start_date, end_date NULLS LAST
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max_end
    FROM stg_education_placements
    WHERE provision NOT IN ('NONE', 'NEET') AND (end_date IS NULL OR end_date > start_date)
),
islands AS (
    SELECT child_id, min(start_date) AS s, max(end_date) AS e
    FROM (SELECT child_id, start_date, end_date,
                 sum(CASE WHEN prev_max_end IS NOT NULL AND start_date <= prev_max_end THEN 0 ELSE 1 END)
                     OVER (PARTITION BY child_id ORDER BY start_date, end_date ROWS UNBOUNDED PRECEDING) AS grp
          FROM places)
    GROUP BY child_id, grp
),
gaps AS (
    SELECT child_id, coalesce(lag(e) OVER (PARTITION BY child_id ORDER BY s), DATE '0001-01-01') AS gs, s AS ge
    FROM islands
    UNION ALL
    SELECT child_id, max(e), DATE '9999-12-31' FROM islands GROUP BY child_id
),
care AS (
    SELECT k.period_id, k.child_id,
           greatest(c.start_date, k.window_start) AS cs,
           least(coalesce(c.end_date, DATE '9999-12-31'), k.window_end + 1) AS ce
    FROM kids k
    JOIN int_periods_of_care c
      ON c.child_id = k.child_id AND c.start_date <= k.window_end AND (c.end_date IS NULL OR c.end_date > k.window_start)
    WHERE k.school_age
),
holes AS (
    SELECT c.period_id, c.child_id, greatest(c.cs, g.gs) AS hs, least(c.ce, g.ge) AS he
    FROM care c
    JOIN (SELECT child_id, gs, ge FROM gaps
          UNION ALL
          SELECT DISTINCT child_id, DATE '0001-01-01', DATE '9999-12-31' FROM care
          WHERE child_id NOT IN (SELECT child_id FROM islands)) g
      ON g.child_id = c.child_id AND g.gs < c.ce AND g.ge > c.cs
),
no_place AS (
    SELECT h.period_id, h.child_id, count(*) AS days
    FROM holes h
    JOIN stability_school_days d ON d.day >= h.hs AND d.day < h.he
    GROUP BY h.period_id, h.child_id
),
placement_moves AS (
    SELECT k.period_id, k.child_id,
           bool_or(s.move_date IS NOT NULL) AS school_after_placement
    FROM kids k
    JOIN int_placement_moves pm ON pm.child_id = k.child_id AND pm.move_date BETWEEN k.window_start AND k.window_end
    LEFT JOIN int_school_moves s
      ON s.child_id = k.child_id AND s.move_date BETWEEN pm.move_date AND pm.move_date + 30
     AND s.move_date <= k.window_end
    GROUP BY k.period_id, k.child_id
)
SELECT k.period_id, k.child_id, child_key(k.child_id) AS child_key, k.school_age, k.post16,
       coalesce(ed.school_place, false) AS school_place,
       coalesce(mv.school_moves, 0)::BIGINT AS school_moves,
       coalesce(mv.midyear_moves, 0)::BIGINT AS midyear_moves,
       coalesce(np.days, 0)::BIGINT AS no_place_days,
       ed.place_at_d.h IS NOT NULL AS hours_known,
       coalesce(ed.place_at_d.h < (SELECT full_time_hours FROM education_settings), false) AS part_time,
       pm.child_id IS NOT NULL AS placement_moved,
       coalesce(pm.school_after_placement, false) AS school_after_placement,
       coalesce(ed.eet, false) AS post16_eet,
       coalesce(ed.neet_row AND NOT ed.eet, false) AS post16_neet
FROM kids k
LEFT JOIN edu ed ON ed.period_id = k.period_id AND ed.child_id = k.child_id
LEFT JOIN moves mv ON mv.period_id = k.period_id AND mv.child_id = k.child_id
LEFT JOIN no_place np ON np.period_id = k.period_id AND np.child_id = k.child_id
LEFT JOIN placement_moves pm ON pm.period_id = k.period_id AND pm.child_id = k.child_id;
