-- Suspensions and permanent exclusions per breakdown cell (int_cells) of school-age children
-- (NCY 0-11), with the scaffold rows: what the four exclusion measures read, summed in one
-- pass instead of one join per measure. The *_children counts are the children behind each
-- sum (the board edition hides a sum over fewer than its threshold of children).
CREATE TABLE int_exclusion_cells AS
SELECT c.period_id, c.cell_id,
       count(c.child_key) AS children,
       count(c.child_key) FILTER (WHERE e.suspensions > 0) AS suspended_children,
       count(c.child_key) FILTER (WHERE e.suspension_sessions > 0) AS suspension_session_children,
       count(c.child_key) FILTER (WHERE e.permanent_exclusions > 0) AS excluded_children,
       coalesce(sum(e.suspensions), 0) AS suspensions,
       coalesce(sum(e.permanent_exclusions), 0) AS permanent_exclusions,
       coalesce(sum(e.suspension_sessions), 0) AS suspension_sessions
FROM int_cells c
LEFT JOIN int_exclusions_child e ON e.period_id = c.period_id AND e.child_key = c.child_key
WHERE c.child_key IS NULL OR c.school_age
GROUP BY c.period_id, c.cell_id;
