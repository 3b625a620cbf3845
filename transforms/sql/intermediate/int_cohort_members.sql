-- Cohort membership on each period's reference date D (docs/measures.md, Cohorts):
--   CLA   a period of care with start <= D and (end blank or end > D);
--   CLA12 such a period that started on or before D minus 1 year. DuckDB's date - INTERVAL 1 YEAR
--         keeps the day and month and clamps 29 February to 28 February: at D = 29 Feb 2024 the
--         care must have started on or before 28 Feb 2023, so a child who came into care on
--         1 Mar 2023 is not CLA12 at 29 Feb 2024;
--   CIN   an open CIN, CPP or CLA membership at D (the umbrella);
--   CINO  CIN, not CPP, not CLA;   CPPO  CPP, not CLA;   CWSW  CINO or CPPO;
--   PLAC  an open PLAC membership;
--   KINSHIP an open KINSHIP membership (v2; a child can be in KINSHIP and PLAC at once);
--   CWSW6 (v2) a CIN or CPP membership with start <= D and (end blank or end > D minus 6
--         years), and not CLA at D. D - INTERVAL 6 YEAR keeps the day and month (29 February
--         becomes 28 February, as for CLA12): a membership that ended exactly 6 years before
--         D is out, one that ended a day later is in.
-- Canonical memberships are open on D when start_date <= D < end_date (end blank = open).
-- published: the cohort is one outputs show (int_cohort_labels). The string published for a
-- cohort ("<label> at term end", "<label> at 31 March") is built from int_cohort_labels and
-- the period where it is shown, not stored here: a text column of tens of thousands of rows
-- costs more to write than the few joins that build it.
-- A run restricted to one school (school_filter, Request.School) keeps only the children on
-- that school's roll in the period (cohort_roll, from int_school_roll).
CREATE TABLE int_cohort_members AS
WITH canon AS (
    SELECT p.period_id, e.child_id, e.cohort AS flag
    FROM periods p
    JOIN stg_cohort_episodes e
      ON e.start_date <= p.ref_date AND (e.end_date IS NULL OR e.end_date > p.ref_date)
    WHERE e.cohort IN ('CIN', 'CPP', 'PLAC', 'KINSHIP')
),
sw6 AS (
    SELECT p.period_id, e.child_id, 'SW6' AS flag
    FROM periods p
    JOIN stg_cohort_episodes e
      ON e.start_date <= p.ref_date
     AND (e.end_date IS NULL OR e.end_date > CAST(p.ref_date - INTERVAL 6 YEAR AS DATE))
    WHERE e.cohort IN ('CIN', 'CPP')
),
flags AS (
    SELECT period_id, child_id,
           bool_or(flag = 'CLA') AS cla, bool_or(flag = 'CLA12') AS cla12,
           bool_or(flag = 'CIN') AS cin_plan, bool_or(flag = 'CPP') AS cpp,
           bool_or(flag = 'PLAC') AS plac,
           bool_or(flag = 'KINSHIP') AS kinship, bool_or(flag = 'SW6') AS sw6
    FROM (
        SELECT period_id, child_id, 'CLA' AS flag FROM int_cla_at_reference
        UNION ALL
        SELECT c.period_id, c.child_id, 'CLA12'
        FROM int_cla_at_reference c JOIN periods p USING (period_id)
        WHERE c.care_start <= CAST(p.ref_date - INTERVAL 1 YEAR AS DATE)
        UNION ALL
        SELECT period_id, child_id, flag FROM canon
        UNION ALL
        SELECT period_id, child_id, flag FROM sw6
    )
    GROUP BY period_id, child_id
),
codes AS (
    SELECT period_id, child_id, 'CLA' AS cohort_code FROM flags WHERE cla
    UNION ALL SELECT period_id, child_id, 'CLA12' FROM flags WHERE cla12
    UNION ALL SELECT period_id, child_id, 'CIN' FROM flags WHERE cin_plan OR cpp OR cla
    UNION ALL SELECT period_id, child_id, 'CINO' FROM flags WHERE cin_plan AND NOT cpp AND NOT cla
    UNION ALL SELECT period_id, child_id, 'CPPO' FROM flags WHERE cpp AND NOT cla
    UNION ALL SELECT period_id, child_id, 'CWSW' FROM flags WHERE (cin_plan OR cpp) AND NOT cla
    UNION ALL SELECT period_id, child_id, 'PLAC' FROM flags WHERE plac
    UNION ALL SELECT period_id, child_id, 'KINSHIP' FROM flags WHERE kinship
    UNION ALL SELECT period_id, child_id, 'CWSW6' FROM flags WHERE sw6 AND NOT cla
)
SELECT c.period_id, c.child_id, c.cohort_code, l.published
FROM codes c
JOIN int_cohort_labels l USING (cohort_code)
WHERE NOT EXISTS (SELECT 1 FROM school_filter)
   OR EXISTS (SELECT 1 FROM cohort_roll r WHERE r.period_id = c.period_id AND r.child_id = c.child_id);
