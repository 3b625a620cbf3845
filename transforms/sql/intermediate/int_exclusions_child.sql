-- Suspensions and permanent exclusions per period and child: events starting in the period
-- (any school), and the sessions lost to suspension (BIGINT, not the HUGEINT DuckDB sums into:
-- later sums over a HUGEINT column are several times slower).
CREATE TABLE int_exclusions_child AS
SELECT p.period_id, e.child_id, child_key(e.child_id) AS child_key,
       count(*) FILTER (WHERE e.category = 'SUSPENSION') AS suspensions,
       count(*) FILTER (WHERE e.category = 'PERMANENT') AS permanent_exclusions,
       coalesce(sum(e.sessions) FILTER (WHERE e.category = 'SUSPENSION'), 0)::BIGINT AS suspension_sessions
FROM periods p
JOIN stg_exclusions e ON e.start_date BETWEEN p.start_date AND p.end_date
GROUP BY p.period_id, e.child_id;
